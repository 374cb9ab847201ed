import { Text } from "@mantine/core";

/** The "addresses and bank data" tab of the customer file: every address and bank account, with forms. */
export function AddressesPanel(_props: { customerId: number; canEdit: boolean; canSeeBank: boolean }) {
  return <Text c="dimmed">…</Text>;
}
