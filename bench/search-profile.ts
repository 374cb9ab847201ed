/**
 * `npm run bench:search -- (--sqlite FILE | --pg URL) [--rounds 3] [--show 20]`
 *
 * The quick search in-process against a kept bench database (`npm run bench -- --keep NAME`):
 * the same 200 queries as `npm run bench`, each run several times through the search service
 * with its timing hook — top-5 share per kind with the misses, p50/p99, and the slowest
 * queries with the time of each pass (index read / ranking). For finding where time goes;
 * the figures to report are the HTTP ones of `npm run bench`.
 */
import { PerformanceObserver } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { openDatabase } from "../packages/server/src/db/database.js";
import { SYSTEM_CONTEXT } from "../packages/server/src/http/context.js";
import { migrateToLatest } from "../packages/server/src/index.js";
import { search } from "../packages/server/src/modules/search/search.service.js";
import { describeMiss, searchCases } from "./search.js";

const { values: args } = parseArgs({
  options: {
    sqlite: { type: "string" },
    pg: { type: "string" },
    rounds: { type: "string", default: "3" },
    show: { type: "string", default: "20" },
  },
});
if (!args.sqlite && !args.pg) throw new Error("--sqlite FILE or --pg URL");
const target = { databaseUrl: args.pg ?? null, sqliteFile: args.sqlite };
const db = openDatabase(target);
// A kept database from an older release gets this one's schema (the server would do the same at start).
await migrateToLatest(db);
const maxId = Number(
  (
    await db.kysely
      .selectFrom("customers")
      .select((eb) => eb.fn.max("id").as("m"))
      .executeTakeFirstOrThrow()
  ).m,
);
const cases = await searchCases(target, maxId);
const ctx = { ...SYSTEM_CONTEXT, actor: "bench@kundenakte.test" };

// Garbage collection pauses during the searches: part of the tail a user sees.
const gcPauses: number[] = [];
const gcObserver = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcPauses.push(e.duration);
});
gcObserver.observe({ entryTypes: ["gc"] });

const perQuery: { q: string; kind: string; ms: number; stages: string }[] = [];
const all: number[] = [];
const found: Record<string, [number, number]> = {};
const misses: string[] = [];
for (const c of cases) {
  let best = Number.POSITIVE_INFINITY;
  let stages = "";
  for (let r = 0; r < Number(args.rounds); r++) {
    const parts: string[] = [];
    const t = performance.now();
    const res = await search(db, ctx, { q: c.q, limit: 10 }, (stage, read, rank, n) =>
      parts.push(`${stage} ${read.toFixed(1)}+${rank.toFixed(1)} (${n})`),
    );
    const ms = performance.now() - t;
    all.push(ms);
    if (ms < best) {
      best = ms;
      stages = parts.join(", ");
    }
    if (r === 0) {
      const ids = res.results.map((x) => x.customerId);
      const hit = ids.slice(0, 5).includes(c.expected);
      found[c.kind] ??= [0, 0];
      found[c.kind]![0] += hit ? 1 : 0;
      found[c.kind]![1] += 1;
      if (!hit) misses.push(describeMiss(c, (await search(db, ctx, { q: c.q, limit: 50 })).results));
    }
  }
  perQuery.push({ q: c.q, kind: c.kind, ms: best, stages });
}
// The observer hears of pauses on a later turn of the event loop.
await new Promise((resolve) => setTimeout(resolve, 50));
gcObserver.disconnect();
await db.close();

const pct = (a: number[], p: number) => a[Math.min(a.length - 1, Math.floor((a.length * p) / 100))]!;
all.sort((a, b) => a - b);
const hits = Object.values(found).reduce((a, [h]) => a + h, 0);
console.log(
  `top 5: ${hits}/${cases.length} (${((hits / cases.length) * 100).toFixed(1)} %) — ${Object.entries(found)
    .map(([k, [h, t]]) => `${k} ${h}/${t}`)
    .join(", ")}`,
);
for (const m of misses) console.log(`  miss ${m}`);
console.log(
  `in-process, ${all.length} searches: p50 ${pct(all, 50).toFixed(1)} ms, p99 ${pct(all, 99).toFixed(1)} ms, max ${all.at(-1)!.toFixed(1)} ms`,
);
gcPauses.sort((a, b) => a - b);
console.log(
  `garbage collection: ${gcPauses.length} pauses, ${gcPauses.reduce((a, b) => a + b, 0).toFixed(0)} ms in all, longest ${(gcPauses.at(-1) ?? 0).toFixed(1)} ms`,
);
console.log("slowest queries (best of the rounds; pass: read+rank ms (rows)):");
for (const x of perQuery.sort((a, b) => b.ms - a.ms).slice(0, Number(args.show))) {
  console.log(`  ${x.ms.toFixed(1).padStart(6)} ms  ${x.kind.padEnd(11)} "${x.q}"  ${x.stages}`);
}
