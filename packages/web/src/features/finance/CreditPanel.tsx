import { Text } from "@mantine/core";

/** The "credit and dunning" tab (finance and admin): credit settings, credit check, dunning notices. */
export function CreditPanel(_props: { customerId: number; currency: string }) {
  return <Text c="dimmed">…</Text>;
}
