/// <reference lib="dom" />
/**
 * `npm run bench:ui -- [--engine sqlite|postgres] [--customers 100000] [--samples 20] [--queries 20] [--keep NAME]`
 *
 * The web UI measured in Debian's Chromium against the real server on a demo database:
 * - time from navigation to a usable customer file (all three parts rendered: info panel,
 *   contacts, journal — no skeleton left in them), p50/p99 over `--samples` customers, both as a
 *   full page load and as the in-app step from the quick search (Enter on the result);
 * - quick search keystroke-to-results: names typed letter by letter at typing speed, from each
 *   keydown to the result list answering exactly what has been typed so far (p50/p99);
 * - JavaScript shipped for the first page (gzipped, as the server sends it).
 * Targets (issue 7): ≤ 500 ms, ≤ 150 ms, ≤ 400 KB.
 */
import { type ChildProcess, fork } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import pg from "pg";
import { chromium, type Page } from "playwright-core";
import { seedDemo } from "../packages/server/src/demo/seed.js";
import { SYSTEM_CONTEXT } from "../packages/server/src/http/context.js";
import { migrateToLatest, openDatabase } from "../packages/server/src/index.js";
import { createUser } from "../packages/server/src/modules/auth/users.service.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const { values: args } = parseArgs({
  options: {
    engine: { type: "string", default: "sqlite" },
    customers: { type: "string", default: "100000" },
    samples: { type: "string", default: "20" },
    queries: { type: "string", default: "20" },
    keep: { type: "string" },
    // Print the resource timeline of one full load (what the page waits for, in order).
    trace: { type: "boolean", default: false },
    "pg-url": { type: "string", default: process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432" },
  },
});
const CUSTOMERS = Number(args.customers);
const SAMPLES = Number(args.samples);
const QUERIES = Number(args.queries);
const EMAIL = "bench-ui@kundenakte.test";
const PASSWORD = "bench password 1234";
const log = (line: string) => process.stdout.write(`${line}\n`);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
const ms = (v: number) => `${v.toFixed(0)} ms`;
const summary = (values: number[]) =>
  `p50 ${ms(percentile(values, 50))}, p99 ${ms(percentile(values, 99))}, max ${ms(Math.max(...values))} (n=${values.length})`;

/** A database with the demo customers and a bench user; reused when `--keep` names one that is filled. */
async function prepareDatabase(): Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }> {
  let env: Record<string, string>;
  let cleanup = async () => {};
  if (args.engine === "postgres") {
    const name = `kundenakte_ui_${args.keep ?? process.pid}`;
    const admin = new pg.Client({ connectionString: `${args["pg-url"]}/postgres` });
    await admin.connect();
    const exists = await admin.query("select 1 from pg_database where datname = $1", [name]);
    if (exists.rowCount === 0) await admin.query(`create database ${name}`);
    await admin.end();
    env = { DATABASE_URL: `${args["pg-url"]}/${name}` };
    if (!args.keep)
      cleanup = async () => {
        const c = new pg.Client({ connectionString: `${args["pg-url"]}/postgres` });
        await c.connect();
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
      };
  } else {
    const dir = args.keep
      ? path.join(tmpdir(), `kundenakte-bench-ui-${args.keep}`)
      : mkdtempSync(path.join(tmpdir(), "kundenakte-bench-ui-"));
    mkdirSync(dir, { recursive: true });
    env = { DATA_DIR: dir };
    if (!args.keep) cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
  const db = openDatabase({
    databaseUrl: env.DATABASE_URL ?? null,
    sqliteFile: env.DATA_DIR ? path.join(env.DATA_DIR, "kundenakte.sqlite") : undefined,
  });
  await migrateToLatest(db);
  const ctx = SYSTEM_CONTEXT;
  const have = Number(
    (
      await db.kysely
        .selectFrom("customers")
        .select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );
  if (have < CUSTOMERS) {
    const started = Date.now();
    await seedDemo(db, ctx, {
      customers: CUSTOMERS - have,
      contactsPerCustomer: 3,
      seed: `ui-${have}`,
      onProgress: (done, total) => {
        if (done % 10_000 === 0 || done === total) log(`  seeded ${done}/${total}`);
      },
    });
    log(`seeded ${CUSTOMERS - have} customers in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  const user = await db.kysely.selectFrom("users").select("id").where("email", "=", EMAIL).executeTakeFirst();
  if (!user) await createUser(db, ctx, { email: EMAIL, name: "Bench", password: PASSWORD, roles: ["admin"] });
  await db.close();
  return { env, cleanup };
}

async function startServer(env: Record<string, string>): Promise<{ port: number; child: ChildProcess }> {
  const port = 20_000 + (process.pid % 20_000);
  const child = fork(path.join(root, "bench/server.ts"), {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, ...env, PORT: String(port), WEB_ROOT: path.join(root, "packages/web/dist") },
    stdio: "inherit",
  });
  await new Promise<void>((resolve, reject) => {
    child.once("message", () => resolve());
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { port, child };
}

/** Resolves when the file's three parts are on screen with no skeleton left; returns ms since `since`. */
async function fileUsable(page: Page, id: number, since: "navigation" | "mark"): Promise<number> {
  return page.evaluate(
    ({ id, origin }) =>
      new Promise<number>((resolve) => {
        const check = () => {
          // This customer's parts (not the previous customer's, still on screen for a moment).
          const parts = document.querySelector(`[data-file-parts="${id}"]`);
          const ready =
            parts &&
            parts.querySelector('[aria-label="Kennzahlen"], [aria-label="Key figures"]') !== null &&
            parts.querySelectorAll("section").length >= 3 &&
            parts.querySelector(".mantine-Skeleton-root") === null;
          if (ready) {
            const t0 = origin === "mark" ? ((window as unknown as { __t0: number }).__t0 ?? 0) : 0;
            resolve(performance.now() - t0);
          } else requestAnimationFrame(check);
        };
        check();
      }),
    { id, origin: since },
  );
}

/** The first page's JavaScript, gzipped as a browser would receive it. */
async function firstPageScriptBytes(base: string): Promise<number> {
  const html = await (await fetch(base)).text();
  let total = 0;
  for (const [, src] of html.matchAll(/<(?:script|link)[^>]+(?:src|href)="([^"]+\.js)"/g)) {
    const body = Buffer.from(await (await fetch(new URL(src!, base))).arrayBuffer());
    total += gzipSync(body).length;
  }
  return total;
}

async function main() {
  if (!existsSync(path.join(root, "packages/web/dist/index.html")))
    throw new Error("build the web UI first: npm run build");
  log(`bench:ui — ${args.engine}, ${CUSTOMERS} customers`);
  const { env, cleanup } = await prepareDatabase();
  const { port, child } = await startServer(env);
  const base = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: "de-DE" });
    // tsx compiles this file keeping function names through a `__name` helper, which the
    // functions sent to the page would call: give the page a do-nothing one.
    await context.addInitScript("window.__name = (f) => f");
    if (args.trace)
      await context.addInitScript(
        "window.__long = []; new PerformanceObserver((l) => window.__long.push(...l.getEntries())).observe({ type: 'longtask', buffered: true });",
      );
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(`${base}/customers`);
    await page.getByLabel("E-Mail").fill(EMAIL);
    await page.getByLabel("Passwort").fill(PASSWORD);
    await page.getByRole("button", { name: "Anmelden" }).click();
    await page.getByRole("heading", { name: "Kunden", exact: true }).waitFor();
    const session = (await (await page.request.get(`${base}/api/v1/auth/session`)).json()) as { csrfToken: string };
    const headers = { "x-csrf-token": session.csrfToken };

    // Customers spread over the whole database, each with a journal worth reading.
    const sample: { id: number; name: string; number: string }[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const id = 1 + Math.floor(((i + 0.5) * CUSTOMERS) / SAMPLES);
      const res = await page.request.get(`${base}/api/v1/customers/${id}`);
      if (!res.ok()) continue;
      const c = (await res.json()) as { id: number; name1: string; customerNumber: string };
      sample.push({ id: c.id, name: c.name1, number: c.customerNumber });
      const journal = (await (await page.request.get(`${base}/api/v1/customers/${id}/journal?limit=1`)).json()) as {
        items: unknown[];
      };
      if (journal.items.length === 0)
        for (let j = 0; j < 30; j++)
          await page.request.post(`${base}/api/v1/customers/${id}/journal`, {
            headers,
            data: {
              kind: j % 3 === 0 ? "call" : j % 3 === 1 ? "note" : "meeting",
              subject: `Gespräch ${j + 1} über Lieferung und Preise`,
              body: "Kunde fragt nach Liefertermin und Staffelpreisen; Angebot folgt.",
            },
          });
    }

    // Warm-up: the first load compiles the bundle and fills caches, as for a user who works all day.
    await page.goto(`${base}/customers/${sample[0]!.id}`);
    await fileUsable(page, sample[0]!.id, "navigation");

    const load: number[] = [];
    for (const c of sample) {
      await page.goto(`${base}/customers/${c.id}`);
      load.push(await fileUsable(page, c.id, "navigation"));
    }

    if (args.trace) {
      const last = sample.at(-1)!;
      await page.goto(`${base}/customers/${last.id}`);
      const usable = await fileUsable(page, last.id, "navigation");
      const timeline = await page.evaluate(() => {
        const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
        const rows = [`document ${nav.requestStart.toFixed(0)}–${nav.responseEnd.toFixed(0)} ms`];
        rows.push(`DOMContentLoaded ${nav.domContentLoadedEventEnd.toFixed(0)} ms`);
        for (const r of performance.getEntriesByType("resource") as PerformanceResourceTiming[])
          rows.push(`${r.name.replace(location.origin, "")} ${r.startTime.toFixed(0)}–${r.responseEnd.toFixed(0)} ms`);
        for (const t of (window as unknown as { __long: PerformanceEntry[] }).__long ?? [])
          rows.push(`long task ${t.startTime.toFixed(0)}–${(t.startTime + t.duration).toFixed(0)} ms`);
        return rows.sort((a, b) => Number(a.match(/ (\d+)[–\s]/)?.[1] ?? 0) - Number(b.match(/ (\d+)[–\s]/)?.[1] ?? 0));
      });
      log(`trace of one full load (usable at ${usable.toFixed(0)} ms):`);
      for (const row of timeline) log(`  ${row}`);
    }

    const inApp: number[] = [];
    for (const c of sample) {
      await page.getByTestId("quick-search-button").click();
      const input = page.getByRole("combobox", { name: "Schnellsuche" });
      await input.fill(c.number);
      await page.locator(`[data-results-for="${c.number}"] [role=option]`).first().waitFor();
      await page.evaluate(() => {
        (window as unknown as { __t0: number }).__t0 = performance.now();
      });
      await input.press("Enter");
      await page.waitForURL(`**/customers/${c.id}`);
      inApp.push(await fileUsable(page, c.id, "mark"));
    }

    // Keystroke to results: letter by letter at ~5 keys a second, as people type. The page notes
    // when each input event happened and when the result list first answered each exact text.
    await page.evaluate(() => {
      const w = window as unknown as { __input: Record<string, number>; __results: Record<string, number> };
      w.__input = {};
      w.__results = {};
      document.addEventListener(
        "input",
        (e) => {
          const target = e.target as HTMLInputElement;
          if (target.getAttribute("aria-controls") === "quick-search-results") w.__input[target.value] = e.timeStamp;
        },
        true,
      );
      new MutationObserver((records) => {
        for (const r of records) {
          const value = (r.target as Element).getAttribute("data-results-for");
          if (value && w.__results[value] === undefined) w.__results[value] = performance.now();
        }
      }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ["data-results-for"] });
    });
    const keystrokes: number[] = [];
    const queries = sample.slice(0, QUERIES).map((c) => c.name.split(/\s+/).slice(0, 2).join(" "));
    for (const q of queries) {
      await page.getByTestId("quick-search-button").click();
      const input = page.getByRole("combobox", { name: "Schnellsuche" });
      await input.fill("");
      await page.evaluate(() => {
        const w = window as unknown as { __input: Record<string, number>; __results: Record<string, number> };
        w.__input = {};
        w.__results = {};
      });
      for (let i = 1; i <= q.length; i++) {
        const typed = q.slice(0, i);
        await page.keyboard.type(q[i - 1]!);
        if (!typed.trim() || typed.endsWith(" ")) continue;
        const latency = await page.evaluate(
          (text) =>
            new Promise<number>((resolve) => {
              const w = window as unknown as { __input: Record<string, number>; __results: Record<string, number> };
              const started = performance.now();
              const check = () => {
                const at = w.__results[text];
                const typedAt = w.__input[text];
                if (at !== undefined && typedAt !== undefined) resolve(at - typedAt);
                else if (performance.now() - started > 5000) resolve(Number.NaN);
                else setTimeout(check, 5);
              };
              check();
            }),
          typed,
        );
        if (Number.isNaN(latency)) {
          const state = await page.evaluate(() => ({
            shown: document.querySelector("[role=listbox]")?.getAttribute("data-results-for"),
            typed: Object.keys((window as unknown as { __input: object }).__input),
            answered: Object.keys((window as unknown as { __results: object }).__results),
          }));
          throw new Error(`no results for "${typed}" within 5 s: ${JSON.stringify(state)}`);
        }
        keystrokes.push(latency);
        await page.waitForTimeout(Math.max(0, 200 - latency));
      }
      await page.keyboard.press("Escape");
    }

    const js = await firstPageScriptBytes(base);
    log("");
    log(`customer file usable after a full page load: ${summary(load)}  (target p99 ≤ 500 ms)`);
    log(`customer file usable from the quick search (Enter → three parts): ${summary(inApp)}`);
    log(`quick search keystroke → results: ${summary(keystrokes)}  (target p99 ≤ 150 ms)`);
    log(`JavaScript for the first page: ${(js / 1024).toFixed(0)} KB gzipped  (target ≤ 400 KB)`);
  } finally {
    await browser.close();
    child.kill("SIGTERM");
    await cleanup();
  }
}

await main();
