import type { CustomerPreferences, ServiceRequirement, TimeWindow, Weekday } from "@kundenakte/contract";
import { readJson } from "../../db/dialect.js";
import type { PreferencesRow } from "./preferences.repository.js";

/** What a customer nobody set preferences for shows: version 1, never stored. */
export function defaultPreferences(customerId: number): CustomerPreferences {
  return {
    customerId,
    deliveryDays: [],
    deliveryWindows: [],
    preferredChannel: null,
    correspondenceLanguage: null,
    invoiceDelivery: "paper",
    invoiceEmail: null,
    leitwegId: null,
    shippingInstructions: null,
    serviceRequirements: [],
    version: 1,
    updatedAt: null,
    updatedBy: null,
  };
}

export function presentPreferences(r: PreferencesRow): CustomerPreferences {
  return {
    customerId: Number(r.customer_id),
    deliveryDays: readJson<Weekday[]>(r.delivery_days),
    deliveryWindows: readJson<TimeWindow[]>(r.delivery_windows),
    preferredChannel: r.preferred_channel as CustomerPreferences["preferredChannel"],
    correspondenceLanguage: r.correspondence_language,
    invoiceDelivery: r.invoice_delivery as CustomerPreferences["invoiceDelivery"],
    invoiceEmail: r.invoice_email,
    leitwegId: r.leitweg_id,
    shippingInstructions: r.shipping_instructions,
    serviceRequirements: readJson<ServiceRequirement[]>(r.service_requirements),
    version: r.version,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
  };
}
