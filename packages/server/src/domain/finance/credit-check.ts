/**
 * Credit check (Kreditlimitprüfung) before accepting an order or delivering: open items + open orders
 * + the new amount against the customer's credit limit, together with the customer's block.
 */

import { requireInteger, roundDiv, toSafeNumber } from "./money.js";

export type CustomerBlock = "none" | "delivery" | "invoice" | "all";

export type CreditReason = "delivery_block" | "invoice_block" | "limit_exceeded" | "near_limit";

export interface CreditCheckInput {
  /** null = no limit agreed (not checked); 0 = no credit at all (prepayment only). */
  limitCents: number | null;
  /** Open receivables; may be negative when the customer has a credit balance. */
  openItemsCents: number;
  /** Orders accepted but not yet invoiced. */
  openOrdersCents: number;
  /** The order or delivery being checked. */
  amountCents: number;
  block: CustomerBlock;
}

export interface CreditCheckResult {
  result: "ok" | "warning" | "blocked";
  exposureCents: number;
  limitCents: number | null;
  /** Limit minus exposure (after the new amount); negative by how much the limit is exceeded; null without limit. */
  availableCents: number | null;
  /** Exposure / limit, three decimals, may exceed 1; null without a limit or with a limit of 0. */
  usedShare: number | null;
  /** Codes, blocks first; empty when ok. */
  reasons: CreditReason[];
}

/** Warn from 90 % of the limit on, so that sales can talk to finance before the block hits. */
export const NEAR_LIMIT_BP = 9_000n;

export function creditCheck(input: CreditCheckInput): CreditCheckResult {
  const exposure =
    BigInt(requireInteger(input.openItemsCents, "openItemsCents")) +
    BigInt(requireInteger(input.openOrdersCents, "openOrdersCents")) +
    BigInt(requireInteger(input.amountCents, "amountCents"));
  const limit = input.limitCents === null ? null : BigInt(requireInteger(input.limitCents, "limitCents", 0));

  if (!["none", "delivery", "invoice", "all"].includes(input.block)) {
    throw new RangeError(`block must be none, delivery, invoice or all, got ${JSON.stringify(input.block)}`);
  }

  const blocked: CreditReason[] = [];
  const warnings: CreditReason[] = [];
  if (input.block === "delivery" || input.block === "all") blocked.push("delivery_block");
  // An invoice block does not stop a delivery, but whoever accepts the order must know it cannot be billed yet.
  if (input.block === "invoice" || input.block === "all") warnings.push("invoice_block");

  if (limit !== null) {
    if (exposure > limit) blocked.push("limit_exceeded");
    // exposure ≥ 90 % of limit, cross-multiplied to stay exact; a zero exposure is never "near" a zero limit.
    else if (exposure > 0n && exposure * 10_000n >= limit * NEAR_LIMIT_BP) warnings.push("near_limit");
  }

  return {
    result: blocked.length > 0 ? "blocked" : warnings.length > 0 ? "warning" : "ok",
    exposureCents: toSafeNumber(exposure, "exposureCents"),
    limitCents: input.limitCents,
    availableCents: limit === null ? null : toSafeNumber(limit - exposure, "availableCents"),
    usedShare: limit === null || limit === 0n ? null : Number(roundDiv(exposure * 1000n, limit)) / 1000,
    reasons: [...blocked, ...warnings],
  };
}
