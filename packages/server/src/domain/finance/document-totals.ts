/**
 * Net, VAT and gross of a quote, order, invoice or credit note from its lines.
 *
 * The order of rounding follows German invoices: every line net is rounded to the cent and printed,
 * the VAT is then computed once per rate on the sum of that rate's line nets (§14 Abs. 4 Nr. 8 UStG
 * asks for the tax amount per rate), and the totals are plain sums of the rounded figures, so every
 * number on the printed document adds up by hand.
 */

import { requireInteger, roundDiv, toSafeNumber } from "./money.js";

export interface LineNetInput {
  /** Thousandths of a unit: 1.5 pieces = 1500; negative on credit notes. */
  quantityMilli: number;
  unitPriceCents: number;
  /** Line discount in basis points, 0..10000 (250 = 2.5 %). */
  discountBp: number;
}

export interface DocumentLine extends LineNetInput {
  /** VAT rate in basis points, 0..10000 (1900 = 19 %, 700 = 7 %). */
  vatRateBp: number;
}

export interface RateTotal {
  vatRateBp: number;
  net: number;
  vat: number;
}

export interface DocumentTotals {
  net: number;
  vat: number;
  gross: number;
  /** One entry per VAT rate that occurs, highest rate first as invoices list them. */
  perRate: RateTotal[];
  /** Each line's rounded net, in input order. */
  lines: number[];
}

const BP = 10_000n;
const MILLI = 1_000n;

function lineNetExact(line: LineNetInput, prefix: string): bigint {
  const quantity = BigInt(requireInteger(line.quantityMilli, `${prefix}quantityMilli`));
  const price = BigInt(requireInteger(line.unitPriceCents, `${prefix}unitPriceCents`));
  const discount = BigInt(requireInteger(line.discountBp, `${prefix}discountBp`, 0, 10_000));
  // One division at the end: rounding the undiscounted amount first would round twice.
  return roundDiv(quantity * price * (BP - discount), MILLI * BP);
}

/** quantity × price × (1 − discount), rounded half away from zero to the cent. */
export function lineNet(line: LineNetInput): number {
  return toSafeNumber(lineNetExact(line, ""), "lineNet");
}

export function documentTotals(lines: readonly DocumentLine[]): DocumentTotals {
  const lineNets: bigint[] = [];
  const netPerRate = new Map<number, bigint>();
  for (const [i, line] of lines.entries()) {
    const prefix = `lines/${i}/`;
    const net = lineNetExact(line, prefix);
    const rate = requireInteger(line.vatRateBp, `${prefix}vatRateBp`, 0, 10_000);
    lineNets.push(net);
    netPerRate.set(rate, (netPerRate.get(rate) ?? 0n) + net);
  }

  let net = 0n;
  let vat = 0n;
  const perRate: RateTotal[] = [];
  for (const rate of [...netPerRate.keys()].sort((a, b) => b - a)) {
    const rateNet = netPerRate.get(rate)!;
    const rateVat = roundDiv(rateNet * BigInt(rate), BP);
    net += rateNet;
    vat += rateVat;
    perRate.push({
      vatRateBp: rate,
      net: toSafeNumber(rateNet, `perRate/${rate}/net`),
      vat: toSafeNumber(rateVat, `perRate/${rate}/vat`),
    });
  }

  return {
    net: toSafeNumber(net, "net"),
    vat: toSafeNumber(vat, "vat"),
    gross: toSafeNumber(net + vat, "gross"),
    perRate,
    lines: lineNets.map((n, i) => toSafeNumber(n, `lines/${i}`)),
  };
}
