/**
 * The ticket part of `npm run bench`: loads tickets in bulk (not through HTTP) over the bench's
 * customers, then the run measures the filtered ticket list (status + assignee, newest first).
 *
 * The data has the shape of a few years of customer service: ids (and creation times) rise
 * with time; recent tickets are still being worked on, older ones are almost all closed, and
 * a few old ones were left open (the overdue ones). 95 % are assigned to one of 50 agents —
 * the bench user among them, so `assignee=me` has tickets — the rest unassigned.
 */
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { Random } from "../packages/server/src/demo/random.js";

/** The agents tickets are assigned to; the first is the user the bench logs in as. */
export const AGENTS = [
  "bench@kundenakte.test",
  ...Array.from({ length: 49 }, (_, i) => `agent${String(i + 2).padStart(2, "0")}@kundenakte.test`),
];

const TYPES = ["inquiry", "complaint", "service_request"];
const PRIORITIES = ["low", "normal", "normal", "normal", "high", "urgent"];
const SLA_HOURS: Record<string, number> = { low: 120, normal: 48, high: 24, urgent: 8 };
const SUBJECTS = [
  "Lieferung unvollständig",
  "Rechnung fehlerhaft",
  "Ersatzteil benötigt",
  "Gerät defekt",
  "Frage zur Bestellung",
  "Wartungstermin",
  "Falscher Artikel geliefert",
  "Preisanfrage",
];
const YEARS = 3;
/** The newest share of tickets that is still being worked on. */
const RECENT = 0.02;

interface TicketRow {
  id: number;
  number: string;
  customerId: number;
  type: string;
  subject: string;
  priority: string;
  status: string;
  assignee: string | null;
  createdAt: string;
  dueAt: string;
  resolvedAt: string | null;
  closedAt: string | null;
}

function statusOf(rng: Random, recent: boolean): string {
  const r = rng.next();
  if (recent) return r < 0.3 ? "new" : r < 0.65 ? "in_progress" : r < 0.85 ? "waiting_for_customer" : "resolved";
  // Older: almost all closed; some resolved and not yet closed; a few left open.
  return r < 0.94 ? "closed" : r < 0.99 ? "resolved" : r < 0.995 ? "in_progress" : "waiting_for_customer";
}

function* tickets(total: number, maxCustomer: number, firstId: number): Generator<TicketRow> {
  const rng = new Random(2027);
  const end = Date.now();
  const step = (YEARS * 365 * 24 * 3600 * 1000) / Math.max(total, 1);
  for (let i = 0; i < total; i++) {
    const id = firstId + i;
    const created = end - (total - i) * step;
    const priority = rng.pick(PRIORITIES);
    const status = statusOf(rng, i >= total * (1 - RECENT));
    const done = status === "resolved" || status === "closed";
    const resolvedAt = done ? new Date(created + rng.int(1, 96) * 3600_000).toISOString() : null;
    yield {
      id,
      number: `T-${String(id).padStart(7, "0")}`,
      customerId: 1 + Math.floor(rng.next() * maxCustomer),
      type: rng.pick(TYPES),
      subject: rng.pick(SUBJECTS),
      priority,
      status,
      assignee: rng.next() < 0.95 ? AGENTS[Math.floor(rng.next() * AGENTS.length)]! : null,
      createdAt: new Date(created).toISOString(),
      dueAt: new Date(created + SLA_HOURS[priority]! * 3600_000).toISOString(),
      resolvedAt,
      closedAt: status === "closed" ? resolvedAt : null,
    };
  }
}

const COLUMNS =
  "id, number, customer_id, type, subject, priority, status, assignee, due_at, resolution, resolution_category, resolved_at, closed_at, created_by, version, created_at, updated_at";

const values = (t: TicketRow) => {
  const done = t.resolvedAt !== null;
  return [
    t.id,
    t.number,
    t.customerId,
    t.type,
    t.subject,
    t.priority,
    t.status,
    t.assignee,
    t.dueAt,
    done ? "Erledigt" : null,
    done ? "answered" : null,
    t.resolvedAt,
    t.closedAt,
    "bench",
    1,
    t.createdAt,
    t.closedAt ?? t.resolvedAt ?? t.createdAt,
  ];
};

export function loadTicketsSqlite(file: string, total: number, maxCustomer: number): void {
  const db = new BetterSqlite3(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  db.pragma("cache_size = -1048576");
  // Consistent by construction (customers 1..maxCustomer exist); the checks would only cost time.
  db.pragma("foreign_keys = OFF");
  const firstId = (db.prepare("select coalesce(max(id), 0) + 1 as n from tickets").get() as { n: number }).n;
  const insert = db.prepare(
    `insert into tickets (${COLUMNS}) values (${COLUMNS.split(",")
      .map(() => "?")
      .join(", ")})`,
  );
  const batch = db.transaction((items: TicketRow[]) => {
    for (const t of items) insert.run(...values(t));
  });
  let buffer: TicketRow[] = [];
  for (const t of tickets(total, maxCustomer, firstId)) {
    buffer.push(t);
    if (buffer.length === 50_000) {
      batch(buffer);
      buffer = [];
    }
  }
  if (buffer.length) batch(buffer);
  for (const sql of finishing(total + firstId, "1")) db.exec(sql);
  db.exec("analyze");
  db.close();
}

export async function loadTicketsPostgres(url: string, total: number, maxCustomer: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const firstId = Number((await client.query("select coalesce(max(id), 0) + 1 as n from tickets")).rows[0].n);
  const width = COLUMNS.split(",").length;
  let buffer: TicketRow[] = [];
  const flush = async () => {
    const params: unknown[] = [];
    const tuples = buffer.map((t, i) => {
      params.push(...values(t));
      return `(${Array.from({ length: width }, (_, j) => `$${i * width + j + 1}`).join(",")})`;
    });
    await client.query(`insert into tickets (${COLUMNS}) values ${tuples.join(",")}`, params);
    buffer = [];
  };
  await client.query("begin");
  for (const t of tickets(total, maxCustomer, firstId)) {
    buffer.push(t);
    if (buffer.length === 2000) await flush();
  }
  if (buffer.length) await flush();
  await client.query("commit");
  await client.query("select setval(pg_get_serial_sequence('tickets', 'id'), (select max(id) from tickets))");
  for (const sql of finishing(total + firstId, "true")) await client.query(sql);
  await client.query("vacuum analyze tickets");
  await client.end();
}

/**
 * What the server keeps beside its tickets: the number range moves past the loaded numbers, and
 * the customers' files read key figures (open tickets) from now on.
 */
const finishing = (nextNumber: number, trueLiteral: string) => [
  `update number_ranges set next_value = ${nextNumber} where key = 'ticket'`,
  `update customer_file_documents set has_finance = ${trueLiteral} where customer_id in (select distinct customer_id from tickets)`,
];
