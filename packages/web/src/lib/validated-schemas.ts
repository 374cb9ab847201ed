/**
 * The contract schemas the web UI validates forms with (`validate` in validate.ts): the build
 * generates a validator for each (packages/web/build/validators.ts). A schema missing here
 * makes `validate` throw, so a new form fails its first test rather than skip its checks.
 */
export const VALIDATED_SCHEMAS = [
  "AddressCreate",
  "AddressUpdate",
  "BankAccountCreate",
  "BankAccountUpdate",
  "ChannelCreate",
  "ChannelUpdate",
  "ContactCreate",
  "ContactUpdate",
  "CreditSettingsUpdate",
  "CustomerCreate",
  "CustomerUpdate",
  "FollowUpCreate",
  "PaymentCreate",
  "TicketCreate",
  "TicketUpdate",
] as const;
