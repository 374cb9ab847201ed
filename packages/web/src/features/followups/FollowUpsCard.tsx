import type { Contact } from "@kundenakte/contract";
import { Text } from "@mantine/core";

/** Follow-ups (Wiedervorlagen) of the customer in the info panel: open ones by due date, add and complete. */
export function FollowUpsCard(_props: { customerId: number; contacts: Contact[]; canEdit: boolean }) {
  return <Text c="dimmed">…</Text>;
}
