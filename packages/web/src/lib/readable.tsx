/** Small pieces every screen uses to show loading and failure the same way. */
import { Alert, Skeleton, Table } from "@mantine/core";
import type { TFunction } from "i18next";
import { ProblemError } from "./api";

/** A failed request as a sentence: 403 as "you may not see this", anything else with the server's detail. */
export function problemText(t: TFunction, error: Error): string {
  if (error instanceof ProblemError && error.status === 403) return t("error.forbidden");
  return t("error.generic", { detail: error.message });
}

/** Placeholder rows under a real table head while its data loads, so the table does not jump. */
export function SkeletonRows({ columns, rows = 4 }: { columns: number; rows?: number }) {
  return Array.from({ length: rows }, (_, i) => (
    // biome-ignore lint/suspicious/noArrayIndexKey: placeholders without identity
    <Table.Tr key={i}>
      <Table.Td colSpan={columns}>
        <Skeleton height={16} my={3} />
      </Table.Td>
    </Table.Tr>
  ));
}

/** What an action achieved, until the user closes it (a status region: screen readers announce it). */
export function SuccessNotice({
  text,
  onClose,
  closeLabel,
  mb,
}: {
  text: string | null;
  onClose: () => void;
  closeLabel: string;
  mb?: string;
}) {
  if (!text) return null;
  return (
    <Alert color="green" mb={mb} role="status" withCloseButton closeButtonLabel={closeLabel} onClose={onClose}>
      {text}
    </Alert>
  );
}
