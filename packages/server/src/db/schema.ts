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
  /**
   * JSON array `[layout, field, value…]` (modules/audit/audit.repository.ts packChanges; before
   * migration 018 an array of { field, old, new }); jsonb on PostgreSQL, text on SQLite.
   */
  changes: unknown;
  request_id: string | null;
}

export interface CustomerFileDocumentsTable {
  customer_id: number;
  customer_version: number;
  /**
   * The customer file response without finance data: JSON compressed by
   * modules/customer-file/document-codec.ts (text in databases not yet migrated).
   */
  body: Uint8Array | string;
  /** The bank accounts as a JSON array, added for users who may see finance data. */
  finance: string | null;
  owner: string | null;
  region: string | null;
  updated_at: string;
  has_finance: Generated<boolean | number>;
}

export interface UsersTable {
  id: Generated<number>;
  email: string;
  name: string;
  password_hash: string;
  active: Flag;
  language: string;
  region: string | null;
  last_login_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface RolesTable {
  key: string;
  name: string;
  built_in: Flag;
  /** JSON array of permissions. */
  permissions: unknown;
  version: number;
  updated_at: string;
}

export interface UserRolesTable {
  user_id: number;
  role_key: string;
}

export interface SessionsTable {
  /** SHA-256 of the cookie value. */
  id: string;
  user_id: number;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  /** Comma-separated scopes. */
  scopes: string;
  expires_at: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  first_failure_at: string;
  locked_until: string | null;
}

export interface SettingsTable {
  key: string;
  value: unknown;
  version: number;
  updated_at: string;
}

export interface JournalEntriesTable {
  id: Generated<number>;
  customer_id: number;
  kind: string;
  occurred_at: string;
  recorded_at: string;
  author: string;
  contact_id: number | null;
  direction: string | null;
  subject: string | null;
  body: string | null;
  link_type: string | null;
  link_id: number | null;
  editable: Flag;
  /** Subject and body folded (lower case, ä → ae...), what full text indexes. */
  search_text: string;
  deleted_at: string | null;
  deleted_by: string | null;
  delete_reason: string | null;
  /** Sanitised HTML of an imported e-mail. */
  body_html: string | null;
  /** Message-ID of an imported e-mail (or a hash of it): imported once only. */
  message_key: string | null;
  version: number;
  updated_at: string;
}

export interface BlobsTable {
  sha256: string;
  size: number;
  content_type: string;
  created_at: string;
}

export interface JournalAttachmentsTable {
  id: Generated<number>;
  journal_entry_id: number;
  sha256: string;
  filename: string;
  content_type: string;
  size: number;
  inline: Flag;
  content_id: string | null;
  created_at: string;
}

export interface FollowUpsTable {
  id: Generated<number>;
  customer_id: number;
  contact_id: number | null;
  journal_entry_id: number | null;
  owner: string;
  subject: string;
  note: string | null;
  due_at: string;
  status: string;
  completed_at: string | null;
  completed_by: string | null;
  created_by: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface JournalCountsTable {
  customer_id: number;
  kind: string;
  n: number;
}

export interface ProductsTable {
  id: Generated<number>;
  article_number: string;
  name: string;
  name_key: string;
  unit: string;
  list_price_cents: number;
  vat_rate_bp: number;
  product_group: string | null;
  active: Flag;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface PaymentTermsTable {
  id: Generated<number>;
  code: string;
  net_days: number;
  discount1_days: number | null;
  discount1_bp: number | null;
  discount2_days: number | null;
  discount2_bp: number | null;
  active: Flag;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface CustomerFinanceTable {
  customer_id: number;
  credit_limit_cents: number | null;
  payment_terms_id: number | null;
  dunning_excluded: Flag;
  version: number;
  updated_at: string;
}

/** JSON columns: jsonb (parsed) on PostgreSQL, text on SQLite; read with readJson(). */
type Json = ColumnType<unknown, string, string>;

export interface SalesDocumentsTable {
  id: Generated<number>;
  customer_id: number;
  type: string;
  number: string;
  status: string;
  contact_id: number | null;
  document_date: string;
  currency: string;
  net_cents: number;
  vat_cents: number;
  gross_cents: number;
  vat_per_rate: Json;
  open_cents: number | null;
  payment_terms_id: number | null;
  terms_text: string | null;
  terms: ColumnType<unknown, string | null, string | null>;
  due_date: string | null;
  valid_until: string | null;
  paid_on: string | null;
  reference_id: number | null;
  dunning_level: number;
  last_dunned_on: string | null;
  note: string | null;
  created_by: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface SalesDocumentLinesTable {
  id: Generated<number>;
  document_id: number;
  customer_id: number;
  position: number;
  product_id: number | null;
  article_number: string | null;
  text: string;
  quantity_milli: number;
  unit: string;
  unit_price_cents: number;
  discount_bp: number;
  vat_rate_bp: number;
  net_cents: number;
  price_source: string;
  /** The price agreement the unit price came from (`price_source` = `agreement`). */
  price_agreement_id: number | null;
  /** The agreement's description when the line was written ("Kundenpreis ab 01.01.2026"). */
  price_note: string | null;
}

export interface PaymentsTable {
  id: Generated<number>;
  customer_id: number;
  amount_cents: number;
  currency: string;
  payment_date: string;
  method: string;
  reference: string | null;
  unallocated_cents: number;
  created_by: string;
  created_at: string;
}

export interface PaymentAllocationsTable {
  id: Generated<number>;
  payment_id: number;
  document_id: number;
  amount_cents: number;
  discount_cents: number;
}

export interface DunningLevelsTable {
  level: number;
  days_after_due: number;
  fee_cents: number;
  text: string;
  version: number;
  updated_at: string;
}

export interface DunningNoticesTable {
  id: Generated<number>;
  customer_id: number;
  level: number;
  notice_date: string;
  fee_cents: number;
  total_cents: number;
  items: Json;
  delivery_block_set: Flag;
  created_by: string;
  created_at: string;
}

export interface CustomerRevenueTable {
  customer_id: number;
  /** YYYY-MM */
  month: string;
  net_cents: number;
  invoices: number;
}

export interface CustomerProductHistoryTable {
  customer_id: number;
  product_id: number;
  quantity_milli: number;
  revenue_cents: number;
  invoices: number;
  first_date: string;
  last_date: string;
  last_price_cents: number;
}

export interface PriceAgreementsTable {
  id: Generated<number>;
  customer_id: number | null;
  customer_group: string | null;
  product_id: number | null;
  product_group: string | null;
  unit_price_cents: number | null;
  discount_bp: number | null;
  min_quantity_milli: number;
  valid_from: string;
  valid_to: string | null;
  note: string | null;
  created_by: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface SearchEntriesTable {
  /** One entry per customer: the primary key (SQLite: the row id, also the FTS5 row id). */
  customer_id: number;
  /** Hash of the keys and fields (search.repository.ts entryDigest): unchanged entries are not rewritten. */
  digest: number;
  /**
   * Space-separated search keys (see modules/search/search-keys.ts). PostgreSQL only (its GIN
   * index is over them); SQLite's are only in the contentless FTS5 index.
   */
  tokens?: string;
  /** The display fields the ranking explains a match with (search-keys.ts encodeEntry). */
  fields: string;
}

export interface SearchVocabularyTable {
  key: string;
  term: string;
}

export interface SearchIndexStateTable {
  id: number;
  scheme: number;
  built_at: string | null;
}

export interface MergedCustomersTable {
  customer_id: number;
  customer_number: string;
  debtor_number: string | null;
  name: string;
  survivor_id: number;
  merged_at: string;
  merged_by: string;
}

export interface NotDuplicatesTable {
  customer_a: number;
  customer_b: number;
  marked_by: string;
  marked_at: string;
}

export interface DB {
  search_entries: SearchEntriesTable;
  search_vocabulary: SearchVocabularyTable;
  search_index_state: SearchIndexStateTable;
  merged_customers: MergedCustomersTable;
  not_duplicates: NotDuplicatesTable;
  number_ranges: NumberRangesTable;
  customers: CustomersTable;
  customer_tags: CustomerTagsTable;
  addresses: AddressesTable;
  channels: ChannelsTable;
  contacts: ContactsTable;
  bank_accounts: BankAccountsTable;
  audit_log: AuditLogTable;
  customer_file_documents: CustomerFileDocumentsTable;
  users: UsersTable;
  roles: RolesTable;
  user_roles: UserRolesTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_throttle: LoginThrottleTable;
  settings: SettingsTable;
  journal_entries: JournalEntriesTable;
  follow_ups: FollowUpsTable;
  blobs: BlobsTable;
  journal_attachments: JournalAttachmentsTable;
  journal_counts: JournalCountsTable;
  products: ProductsTable;
  payment_terms: PaymentTermsTable;
  customer_finance: CustomerFinanceTable;
  sales_documents: SalesDocumentsTable;
  sales_document_lines: SalesDocumentLinesTable;
  payments: PaymentsTable;
  payment_allocations: PaymentAllocationsTable;
  dunning_levels: DunningLevelsTable;
  dunning_notices: DunningNoticesTable;
  customer_revenue: CustomerRevenueTable;
  customer_product_history: CustomerProductHistoryTable;
  consents: ConsentsTable;
  advertising_objections: AdvertisingObjectionsTable;
  customer_preferences: CustomerPreferencesTable;
  segments: SegmentsTable;
  campaigns: CampaignsTable;
  campaign_members: CampaignMembersTable;
  price_agreements: PriceAgreementsTable;
  ticket_slas: TicketSlasTable;
  tickets: TicketsTable;
  opportunity_stages: OpportunityStagesTable;
  opportunities: OpportunitiesTable;
  opportunity_quotes: OpportunityQuotesTable;
}

export interface TicketSlasTable {
  type: string;
  priority: string;
  hours: number;
  version: number;
  updated_at: string;
}

export interface TicketsTable {
  id: Generated<number>;
  number: string;
  customer_id: number;
  contact_id: number | null;
  type: string;
  subject: string;
  description: string | null;
  priority: string;
  status: string;
  assignee: string | null;
  due_at: string;
  document_id: number | null;
  product_id: number | null;
  settlement_document_id: number | null;
  resolution: string | null;
  resolution_category: string | null;
  resolved_at: string | null;
  closed_at: string | null;
  created_by: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface OpportunityStagesTable {
  id: Generated<number>;
  name: string;
  /** Percent, 0–100. */
  probability: number;
  position: number;
  active: Flag;
  version: number;
  updated_at: string;
}

export interface OpportunitiesTable {
  id: Generated<number>;
  customer_id: number;
  contact_id: number | null;
  title: string;
  description: string | null;
  stage_id: number;
  status: string;
  value_cents: number;
  expected_close_date: string;
  owner: string;
  close_reason: string | null;
  closed_on: string | null;
  created_by: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface OpportunityQuotesTable {
  opportunity_id: number;
  document_id: number;
}

// ---------------------------------------------------------------- consents, preferences, campaigns (011, 012)

/** Append-only: one row per recorded consent or withdrawal; `is_current` marks the state in force. */
export interface ConsentsTable {
  id: Generated<number>;
  customer_id: number;
  contact_id: number | null;
  channel: string;
  state: string;
  source: string;
  source_detail: string | null;
  occurred_at: string;
  wording_version: string | null;
  doi_requested_at: string | null;
  doi_confirmed_at: string | null;
  doi_reference: string | null;
  campaign_id: number | null;
  note: string | null;
  is_current: Flag;
  recorded_by: string;
  recorded_at: string;
}

export interface AdvertisingObjectionsTable {
  id: Generated<number>;
  customer_id: number;
  contact_id: number | null;
  objected_on: string;
  source: string;
  note: string | null;
  recorded_by: string;
  lifted_on: string | null;
  lift_reason: string | null;
  lifted_by: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface CustomerPreferencesTable {
  customer_id: number;
  delivery_days: Json;
  delivery_windows: Json;
  preferred_channel: string | null;
  correspondence_language: string | null;
  invoice_delivery: string;
  invoice_email: string | null;
  leitweg_id: string | null;
  shipping_instructions: string | null;
  service_requirements: Json;
  version: number;
  updated_at: string;
  updated_by: string;
}

export interface SegmentsTable {
  id: Generated<number>;
  name: string;
  name_key: string;
  description: string | null;
  target: string;
  filter: Json;
  created_by: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface CampaignsTable {
  id: Generated<number>;
  name: string;
  description: string | null;
  channel: string;
  status: string;
  starts_on: string;
  ends_on: string | null;
  owner: string;
  segment_id: number | null;
  launched_at: string | null;
  created_by: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface CampaignMembersTable {
  id: Generated<number>;
  campaign_id: number;
  customer_id: number;
  contact_id: number | null;
  status: string;
  exclusion_reason: string | null;
  source: string;
  contacted_at: string | null;
  response: string | null;
  responded_at: string | null;
  response_note: string | null;
  added_by: string;
  added_at: string;
  version: number;
}
