/**
 * The API speaks percent and decimal quantities; the database and the finance arithmetic
 * integers (basis points, thousandths). These convert at the edge, exactly.
 */
export const percentToBp = (percent: number): number => Math.round(percent * 100);
export const bpToPercent = (bp: number): number => Number(bp) / 100;

/** Thousandths of a unit, or null when the quantity has more than three decimals. */
export function quantityToMilli(quantity: number): number | null {
  const milli = Math.round(quantity * 1000);
  return Math.abs(milli - quantity * 1000) < 1e-6 ? milli : null;
}
export const milliToQuantity = (milli: number): number => Number(milli) / 1000;
