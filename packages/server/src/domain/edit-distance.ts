/**
 * Edit distance with adjacent transpositions (optimal string alignment: "Meier" → "Meeir" is one
 * edit), bounded: the answer is exact up to `max`, and anything farther is reported as `max + 1`.
 *
 * The search ranks dozens of candidates with some twenty words each per keystroke and only ever
 * asks "within one or two edits?". The `damerau-levenshtein` package builds a full matrix and a
 * result object per call (a quarter of the ranking time in a profile); this keeps three reused
 * rows, looks only at the diagonal band |i − j| ≤ max, and stops as soon as a row exceeds `max`.
 * `edit-distance.spec.ts` checks it against that package.
 */
let prev2 = new Int32Array(64);
let prev = new Int32Array(64);
let cur = new Int32Array(64);

export function boundedEditDistance(a: string, b: string, max: number): number {
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > max) return max + 1;
  if (a === b) return 0;
  if (n === 0 || m === 0) return Math.max(n, m);
  if (m + 1 > cur.length) {
    prev2 = new Int32Array(m + 1);
    prev = new Int32Array(m + 1);
    cur = new Int32Array(m + 1);
  }
  const far = max + 1;
  for (let j = 0; j <= m; j++) prev[j] = j <= max ? j : far;
  for (let i = 1; i <= n; i++) {
    const from = Math.max(1, i - max);
    const to = Math.min(m, i + max);
    cur[0] = i <= max ? i : far;
    if (from > 1) cur[from - 1] = far;
    let rowMin = cur[0]!;
    const ai = a.charCodeAt(i - 1);
    for (let j = from; j <= to; j++) {
      const cost = ai === b.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        d = Math.min(d, prev2[j - 2]! + 1);
      }
      cur[j] = Math.min(d, far);
      if (d < rowMin) rowMin = d;
    }
    if (to < m) cur[to + 1] = far;
    if (rowMin > max) return far;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  const d = prev[m]!;
  return d > max ? far : d;
}
