/**
 * The journal part of `npm run bench`: loads journal entries in bulk (not through HTTP) —
 * one customer with `perCustomer` entries among `total` in all — and measures the first page,
 * a page filtered by kind and a full-text query of that customer.
 */
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { Random } from "../packages/server/src/demo/random.js";
import { foldText } from "../packages/server/src/domain/fold.js";

const KINDS: [string, number][] = [
  ["note", 30],
  ["call", 25],
  ["email", 20],
  ["meeting", 5],
  ["letter", 5],
  ["system", 10],
  ["follow_up", 5],
];
const SUBJECTS = [
  "Rückruf wegen Angebot",
  "Lieferung verschoben",
  "Reklamation Lieferschein",
  "Preisanfrage Ersatzteile",
  "Termin vereinbart",
  "Zahlungserinnerung besprochen",
  "Neue Ansprechpartnerin",
  "Messebesuch",
  "Rahmenvertrag verlängern",
  "Musterbestellung",
  "Stammdaten geändert",
  "Wiedervorlage erledigt",
];
const SENTENCES = [
  "Kunde bittet um Lieferung am Dienstag.",
  "Frau Müller ruft morgen zurück.",
  "Angebot über 1.250 Stück wurde angefragt.",
  "Die Rechnung 2026-4711 ist noch offen.",
  "Herr Weber ist ab Montag im Urlaub.",
  "Muster wurden per Post verschickt.",
  "Preise für 2027 besprochen, Rabatt 3 %.",
  "Reklamation: zwei Teile beschädigt angekommen.",
  "Termin vor Ort in Köln vereinbart.",
  "Neue Lieferadresse für das Lager in Hamburg.",
];

function pickWeighted(rng: Random): string {
  let r = rng.next() * 100;
  for (const [k, w] of KINDS) {
    r -= w;
    if (r < 0) return k;
  }
  return "note";
}

interface Row {
  id: number;
  customer_id: number;
  kind: string;
  occurred_at: string;
  subject: string;
  body: string;
  search_text: string;
}

export function* rows(total: number, perCustomer: number, maxCustomer: number, firstId: number): Generator<Row> {
  const rng = new Random(4711);
  const now = Date.now();
  const fiveYears = 5 * 365 * 24 * 3600 * 1000;
  for (let i = 0; i < total; i++) {
    const customer_id = i < perCustomer ? 1 : 2 + (i % (maxCustomer - 1));
    const subject = rng.pick(SUBJECTS);
    const body = `${rng.pick(SENTENCES)} ${rng.pick(SENTENCES)}`;
    yield {
      id: firstId + i,
      customer_id,
      kind: pickWeighted(rng),
      occurred_at: new Date(now - Math.floor(rng.next() * fiveYears)).toISOString(),
      subject,
      body,
      search_text: foldText(`${subject} ${body}`),
    };
  }
}

const FIXED = { author: "bench@kundenakte.test", editable: 1, version: 1 };

/** Loads the entries straight into SQLite (and its FTS5 index), in large transactions. */
export function loadSqlite(file: string, total: number, perCustomer: number, maxCustomer: number): number {
  // Statistics taken while the FTS5 shadow tables were empty (the seed's ANALYZE) make FTS5's
  // own lookups slower with every row (we measured 19,000 → 500 rows/s over 600,000 rows). They
  // go before the load, on a connection of their own (a connection keeps the statistics it
  // read); the ANALYZE after the load takes fresh ones.
  const pre = new BetterSqlite3(file);
  for (const t of ["sqlite_stat1", "sqlite_stat4"]) {
    if (pre.prepare("select 1 from sqlite_master where name = ?").get(t)) {
      pre.exec(`delete from ${t} where tbl like 'journal_fts%'`);
    }
  }
  pre.close();
  const db = new BetterSqlite3(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  // A bulk load touches index pages all over the file; SQLite's default 2 MB page cache
  // would re-read them from the OS for every row.
  db.pragma("cache_size = -1048576");
  // Consistent by construction (customers 1..maxCustomer exist); the checks would only cost time.
  db.pragma("foreign_keys = OFF");
  const firstId = (db.prepare("select coalesce(max(id), 0) + 1 as n from journal_entries").get() as { n: number }).n;
  const insert = db.prepare(
    `insert into journal_entries (id, customer_id, kind, occurred_at, recorded_at, author, subject, body, editable, search_text, version, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // The same time key and customer-prefixed words as the server writes (see migration 007).
  const fts = db.prepare("insert into journal_fts (rowid, text) values ((unixepoch(?) << 31) + cast(? as integer), ?)");
  const batch = db.transaction((items: Row[]) => {
    for (const r of items) {
      insert.run(
        r.id,
        r.customer_id,
        r.kind,
        r.occurred_at,
        r.occurred_at,
        FIXED.author,
        r.subject,
        r.body,
        1,
        r.search_text,
        1,
        r.occurred_at,
      );
      const prefix = `c${r.customer_id}x`;
      fts.run(r.occurred_at, r.id, (r.search_text.match(/[\p{L}\p{N}]+/gu) ?? []).map((w) => prefix + w).join(" "));
    }
  });
  let buffer: Row[] = [];
  let t = performance.now();
  for (const r of rows(total, perCustomer, maxCustomer, firstId)) {
    buffer.push(r);
    if (buffer.length === 50_000) {
      batch(buffer);
      buffer = [];
      if (process.env.BENCH_VERBOSE)
        console.error(`journal ${r.id - firstId + 1}: ${Math.round(50_000 / ((performance.now() - t) / 1000))}/s`);
      t = performance.now();
    }
  }
  if (buffer.length) batch(buffer);
  db.exec(
    "delete from journal_counts; insert into journal_counts (customer_id, kind, n) select customer_id, kind, count(*) from journal_entries where deleted_at is null group by customer_id, kind",
  );
  db.exec("analyze");
  db.close();
  return total;
}

/** Loads the entries into PostgreSQL with multi-row inserts; indexes are rebuilt afterwards, as a bulk load does. */
export async function loadPostgres(
  url: string,
  total: number,
  perCustomer: number,
  maxCustomer: number,
): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("set maintenance_work_mem = '512MB'");
  await client.query("drop index if exists ix_journal_search, ix_journal_customer_time, ix_journal_customer_kind_time");
  const firstId = Number((await client.query("select coalesce(max(id), 0) + 1 as n from journal_entries")).rows[0].n);
  const cols = 12;
  let buffer: Row[] = [];
  const flush = async () => {
    const values: unknown[] = [];
    const tuples = buffer.map((r, i) => {
      values.push(
        r.id,
        r.customer_id,
        r.kind,
        r.occurred_at,
        r.occurred_at,
        FIXED.author,
        r.subject,
        r.body,
        true,
        r.search_text,
        1,
        r.occurred_at,
      );
      return `(${Array.from({ length: cols }, (_, j) => `$${i * cols + j + 1}`).join(",")})`;
    });
    await client.query(
      `insert into journal_entries (id, customer_id, kind, occurred_at, recorded_at, author, subject, body, editable, search_text, version, updated_at) values ${tuples.join(",")}`,
      values,
    );
    buffer = [];
  };
  await client.query("begin");
  for (const r of rows(total, perCustomer, maxCustomer, firstId)) {
    buffer.push(r);
    if (buffer.length === 2000) await flush();
  }
  if (buffer.length) await flush();
  await client.query("commit");
  await client.query(
    "select setval(pg_get_serial_sequence('journal_entries', 'id'), (select max(id) from journal_entries))",
  );
  await client.query("create index ix_journal_customer_time on journal_entries (customer_id, occurred_at, id)");
  await client.query(
    "create index ix_journal_customer_kind_time on journal_entries (customer_id, kind, occurred_at, id)",
  );
  await client.query("create index ix_journal_search on journal_entries using gin (search)");
  await client.query("delete from journal_counts");
  await client.query(
    "insert into journal_counts (customer_id, kind, n) select customer_id, kind, count(*) from journal_entries where deleted_at is null group by customer_id, kind",
  );
  await client.query("vacuum analyze journal_entries");
  await client.end();
  return total;
}
