import type { ColumnType, Generated } from "kysely";

/**
 * Row types of the tables, as the repositories see them.
 * Flags are stored as booleans on PostgreSQL and 0/1 on SQLite; read them with `flag()`.
 * Timestamps are ISO 8601 UTC strings on both engines (see dialect.ts).
 */
type Flag = ColumnType<boolean | number, boolean | number, boolean | number>;

export interface NumberRangesTable {
  key: string;
  prefix: string;
  next_value: number;
  width: number;
  version: number;
  updated_at: string;
}

export interface CustomersTable {
  id: Generated<number>;
  customer_number: string;
  debtor_number: string | null;
  kind: string;
  name1: string;
  name2: string | null;
  name3: string | null;
  name_sort: string;
  salutation: string | null;
  title: string | null;
  first_name: string | null;
  last_name: string | null;
  legal_form: string | null;
  status: string;
  block_type: string;
  block_reason: string | null;
  block_set_by: string | null;
  block_set_at: string | null;
  customer_group: string | null;
  industry: string | null;
  region: string | null;
  abc_rating: string | null;
  owner: string | null;
  language: string;
  vat_id: string | null;
  tax_number: string | null;
  notes: string | null;
  billing_city_key: string | null;
  billing_postal_code: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface CustomerTagsTable {
  customer_id: number;
  tag: string;
}

export interface AddressesTable {
  id: Generated<number>;
  customer_id: number;
  type: string;
  is_default: Flag;
  name1: string | null;
  name2: string | null;
  street: string;
  addition: string | null;
  postal_code: string;
  city: string;
  city_key: string;
  country: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface ChannelsTable {
  id: Generated<number>;
  customer_id: number;
  kind: string;
  value: string;
  label: string | null;
  is_primary: Flag;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface ContactsTable {
  id: Generated<number>;
  customer_id: number;
  salutation: string | null;
  title: string | null;
  first_name: string | null;
  last_name: string;
  position: string | null;
  department: string | null;
  phone: string | null;
  mobile: string | null;
  email: string | null;
  preferred_channel: string | null;
  birthday: string | null;
  is_primary: Flag;
  active: Flag;
  formal: Flag;
  language: string;
  letter_salutation_override: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface BankAccountsTable {
  id: Generated<number>;
  customer_id: number;
  iban: string;
  bic: string | null;
  account_holder: string | null;
  bank_name: string | null;
  is_default: Flag;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor: string;
  customer_id: number | null;
  entity_type: string;
  entity_id: number;
  action: string;
  /** JSON array of { field, old, new }; jsonb on PostgreSQL, text on SQLite. */
  changes: unknown;
  request_id: string | null;
}

export interface CustomerFileDocumentsTable {
  customer_id: number;
  customer_version: number;
  /** The customer file response as JSON text. */
  body: string;
  updated_at: string;
}

export interface DB {
  number_ranges: NumberRangesTable;
  customers: CustomersTable;
  customer_tags: CustomerTagsTable;
  addresses: AddressesTable;
  channels: ChannelsTable;
  contacts: ContactsTable;
  bank_accounts: BankAccountsTable;
  audit_log: AuditLogTable;
  customer_file_documents: CustomerFileDocumentsTable;
}
