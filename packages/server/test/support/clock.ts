import { type BusinessClock, businessClock, DEFAULT_BUSINESS_TIME_ZONE } from "../../src/lib/clock.js";

/**
 * The instant the tests' business clock starts at: `KUNDENAKTE_TEST_NOW` (an ISO instant, e.g.
 * 2027-03-28T00:30:00Z to run the suite at the night the Berlin offset changes), else a fixed
 * instant — never the machine's clock, so a test never depends on when or where it runs.
 * Only the test harness reads this variable; production code never does.
 */
export const TEST_NOW: string = (() => {
  const raw = process.env.KUNDENAKTE_TEST_NOW?.trim() || "2026-11-25T10:00:00.000Z";
  const at = new Date(raw);
  if (Number.isNaN(at.getTime())) throw new Error(`KUNDENAKTE_TEST_NOW is not an ISO instant: ${raw}`);
  return at.toISOString();
})();

/**
 * A business clock that starts at `start` and then runs with the real elapsed time, so records
 * made one after another keep their order while "today" stays the day of `start` for the few
 * minutes a test file runs.
 */
export function testClock(start: string = TEST_NOW, timeZone: string = DEFAULT_BUSINESS_TIME_ZONE): BusinessClock {
  const origin = Date.parse(start);
  const began = performance.now();
  return businessClock(timeZone, () => new Date(origin + Math.round(performance.now() - began)));
}

/** A business clock that always answers `at` (or what `at()` says), for tests that move time themselves. */
export function fixedClock(at: Date | (() => Date), timeZone: string = DEFAULT_BUSINESS_TIME_ZONE): BusinessClock {
  return businessClock(timeZone, typeof at === "function" ? at : () => at);
}
