import type { OpenItem } from "@kundenakte/contract";

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

export { problemText, SkeletonRows } from "../../lib/readable";
