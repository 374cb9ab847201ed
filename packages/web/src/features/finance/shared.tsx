import type { OpenItem } from "@kundenakte/contract";
import { Skeleton, Table } from "@mantine/core";
import type { TFunction } from "i18next";
import { ProblemError } from "../../lib/api";

export const BUCKETS: OpenItem["bucket"][] = ["not_due", "1_30", "31_60", "61_90", "over_90"];
export const BUCKET_COLOR: Record<OpenItem["bucket"], string> = {
  not_due: "gray",
  "1_30": "yellow",
  "31_60": "orange",
  "61_90": "red",
  over_90: "red",
};

export const STATUS_COLOR: Record<string, string> = {
  open: "blue",
  accepted: "green",
  delivered: "green",
  paid: "green",
  settled: "green",
  partly_delivered: "yellow",
  partly_paid: "yellow",
  partly_settled: "yellow",
  rejected: "gray",
  expired: "gray",
  cancelled: "gray",
};

/** Right-aligned, unbroken cells for amounts and numbers. */
export const NUM = { ta: "right", style: { whiteSpace: "nowrap" } } as const;

/** A failed read as a sentence: 403 as "you may not see this", anything else with the server's detail. */
export function problemText(t: TFunction, error: Error): string {
  if (error instanceof ProblemError && error.status === 403) return t("error.forbidden");
  return t("error.generic", { detail: error.message });
}

/** Placeholder rows under the real table head, so the table does not jump when the data arrives. */
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
