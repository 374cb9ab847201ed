import type { Address, Badge, Contact, CustomerFile } from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { notFound } from "../../http/errors.js";
import { addressSpec } from "../customer-parts/addresses.js";
import { channelSpec } from "../customer-parts/channels.js";
import { contactSpec } from "../customer-parts/contacts.js";
import type { PartRow } from "../customer-parts/part.js";
import { presentCustomer } from "./customers.presenter.js";
import { readFileRows } from "./customers.repository.js";

const STATUS_SEVERITY = { prospect: "info", active: "success", inactive: "warning" } as const;

/** The status badges of the info panel. Later features add theirs (overdue, credit, objection). */
function badges(status: string, blockType: string, blockReason: string | null): Badge[] {
  const out: Badge[] = [
    { code: status as Badge["code"], severity: STATUS_SEVERITY[status as keyof typeof STATUS_SEVERITY], detail: null },
  ];
  if (blockType !== "none")
    out.push({ code: `${blockType}_block` as Badge["code"], severity: "danger", detail: blockReason });
  return out;
}

/**
 * The customer file screen's data in one response: master data, default addresses, primary
 * contact, badges and contacts. A hot path: read with prepared statements (see the repository).
 */
export async function getCustomerFile(db: Database, id: number): Promise<CustomerFile> {
  const rows = await readFileRows(db, id);
  if (!rows) throw notFound("Customer", id);
  const customer = presentCustomer(rows.customer, rows.tags);
  const addresses: Address[] = rows.addresses.map((r) => addressSpec.present(r as PartRow));
  const contacts: Contact[] = rows.contacts.map((r) => contactSpec.present(r as PartRow));
  const defaultOf = (type: Address["type"]) => addresses.find((a) => a.type === type && a.isDefault) ?? null;
  return {
    customer,
    billingAddress: defaultOf("billing"),
    deliveryAddress: defaultOf("delivery") ?? defaultOf("billing"),
    addresses,
    channels: rows.channels.map((r) => channelSpec.present(r as PartRow)),
    primaryContact: contacts.find((c) => c.isPrimary) ?? null,
    contacts,
    badges: badges(customer.status, customer.block.type, customer.block.reason),
  };
}
