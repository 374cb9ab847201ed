import { Text } from "@mantine/core";

/** The "change history" tab: who changed which field of the customer when, from what to what. */
export function ChangeHistoryPanel(_props: { customerId: number }) {
  return <Text c="dimmed">…</Text>;
}
