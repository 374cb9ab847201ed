/**
 * `npm run test:clocks`: runs the date-sensitive tests with the business clock set to the hours
 * a day boundary hides in — 23:30 and 00:30 UTC on the days the Berlin offset changes (last Sunday
 * of March and of October) — and once more on a machine in another time zone. The test harness
 * reads KUNDENAKTE_TEST_NOW (production code never does). Extra arguments go to Vitest, e.g.
 * `npm run test:clocks -- packages/server/test/api/finance.api.test.ts`; KUNDENAKTE_TEST_ENGINES
 * narrows the engines as in `npm test`.
 */
import { spawnSync } from "node:child_process";

const FILES = [
  "packages/server/test/api/finance.api.test.ts",
  "packages/server/test/api/follow-ups.api.test.ts",
  "packages/server/test/api/tickets.api.test.ts",
  "packages/server/test/api/consents.api.test.ts",
  "packages/server/test/api/price-agreements.api.test.ts",
  "packages/server/test/api/opportunities.api.test.ts",
  "packages/server/test/api/campaigns.api.test.ts",
  "packages/server/test/key-figures-contact.test.ts",
  "packages/web/test/e2e-finance.test.ts",
  "packages/web/test/e2e-followups.test.ts",
];

const RUNS = [
  { now: "2027-03-28T00:30:00Z" }, // 01:30 in Berlin, winter time, an hour before the change
  { now: "2027-03-28T23:30:00Z" }, // 01:30 on the 29th in Berlin, summer time
  { now: "2027-10-31T00:30:00Z" }, // 02:30 in Berlin, summer time, half an hour before the change
  { now: "2027-10-31T23:30:00Z" }, // 00:30 on 1 November in Berlin, winter time
  { now: "2027-03-28T23:30:00Z", tz: "America/Los_Angeles" }, // the machine's time zone must not matter
];

const args = process.argv.slice(2);
// Generous timeouts: five runs back to back on a busy machine, the e2e steps among them.
const targets = [...(args.some((a) => !a.startsWith("-")) ? args : [...FILES, ...args]), "--testTimeout=120000"];
const failed = [];
for (const run of RUNS) {
  const label = `KUNDENAKTE_TEST_NOW=${run.now}${run.tz ? ` TZ=${run.tz}` : ""}`;
  console.log(`\n=== ${label}`);
  const env = { ...process.env, KUNDENAKTE_TEST_NOW: run.now, ...(run.tz ? { TZ: run.tz } : {}) };
  const r = spawnSync("npx", ["vitest", "run", ...targets], { stdio: "inherit", env });
  if (r.status !== 0) failed.push(label);
}
if (failed.length > 0) {
  console.error(`\nFailed with: ${failed.join("; ")}`);
  process.exit(1);
}
console.log("\nGreen at every clock.");
