import type { Customer, CustomerListItem } from "@kundenakte/contract";
import { companySalutation, letterSalutation } from "../../domain/salutation.js";
import type { CustomerRow, ListRow } from "./customers.repository.js";

/** The API representation of a stored customer. Raw rows never leave the server. */
export function presentCustomer(r: CustomerRow, tags: string[]): Customer {
  const salutation = r.salutation as Customer["salutation"];
  return {
    id: Number(r.id),
    customerNumber: r.customer_number,
    debtorNumber: r.debtor_number,
    kind: r.kind as Customer["kind"],
    name1: r.name1,
    name2: r.name2,
    name3: r.name3,
    salutation,
    title: r.title,
    firstName: r.first_name,
    lastName: r.last_name,
    legalForm: r.legal_form,
    status: r.status as Customer["status"],
    block: {
      type: r.block_type as Customer["block"]["type"],
      reason: r.block_reason,
      setBy: r.block_set_by,
      setAt: r.block_set_at,
    },
    customerGroup: r.customer_group,
    industry: r.industry,
    region: r.region,
    abcRating: r.abc_rating as Customer["abcRating"],
    tags,
    owner: r.owner,
    language: r.language,
    vatId: r.vat_id,
    taxNumber: r.tax_number,
    notes: r.notes,
    letterSalutation:
      r.kind === "person" && r.last_name
        ? letterSalutation({
            salutation,
            title: r.title,
            firstName: r.first_name,
            lastName: r.last_name,
            formal: true,
            language: r.language,
          })
        : companySalutation(r.language),
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Derived fields of the customer representation: not audited as changes. */
export const CUSTOMER_DERIVED = ["letterSalutation"] as const;

export function presentListItem(r: ListRow): CustomerListItem {
  return {
    id: Number(r.id),
    customerNumber: r.customer_number,
    kind: r.kind as CustomerListItem["kind"],
    name1: r.name1,
    name2: r.name2,
    status: r.status as CustomerListItem["status"],
    blockType: r.block_type as CustomerListItem["blockType"],
    customerGroup: r.customer_group,
    region: r.region,
    abcRating: r.abc_rating as CustomerListItem["abcRating"],
    owner: r.owner,
    street: r.street,
    postalCode: r.postal_code,
    city: r.city,
    country: r.country,
    version: r.version,
    updatedAt: r.updated_at,
  };
}
