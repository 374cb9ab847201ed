/**
 * The price-agreement part of `npm run bench`: loads products and price agreements in bulk
 * (not through HTTP). Customer 1 has `perCustomer` agreements (its products over four yearly
 * periods); the rest are spread over all customers (product and product-group agreements,
 * open-ended); every company customer group gets agreements on every product group and on
 * 100 products. Everything is valid on BENCH_PRICE_DATE, so the lookups find something.
 */
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { Random } from "../packages/server/src/demo/random.js";
import { addDays } from "../packages/server/src/domain/finance/calendar-date.js";

export const PRICE_PRODUCTS = 500;
const PRODUCT_GROUPS = 25;
export const BENCH_PRICE_DATE = "2026-06-01";
const CUSTOMER_GROUPS = [
  "Großkunde",
  "Industrie",
  "Fachhandel",
  "Handwerk",
  "Wiederverkäufer",
  "Öffentliche Hand",
  "Dienstleister",
];
const AT = "2026-01-01T00:00:00.000Z";

type Row = [
  customerId: number | null,
  customerGroup: string | null,
  productId: number | null,
  productGroup: string | null,
  unitPriceCents: number | null,
  discountBp: number | null,
  validFrom: string,
  validTo: string | null,
];

const listPrice = (p: number) => 100 + ((p * 7919) % 50000);
const groupOf = (p: number) => `Preisgruppe ${p % PRODUCT_GROUPS}`;

function* agreements(total: number, perCustomer: number, maxCustomer: number, firstProduct: number): Generator<Row> {
  const rng = new Random(4711);
  const product = (i: number) => firstProduct + (i % PRICE_PRODUCTS);
  const price = (p: number): [number | null, number | null] =>
    rng.next() < 0.5 ? [Math.round(listPrice(p) * 0.9), null] : [null, 100 * (1 + Math.floor(rng.next() * 20))];
  let n = 0;
  for (const g of CUSTOMER_GROUPS) {
    for (let pg = 0; pg < PRODUCT_GROUPS && n < total; pg++, n++) {
      yield [null, g, null, `Preisgruppe ${pg}`, null, 100 * (1 + (pg % 10)), "2025-01-01", null];
    }
    for (let i = 0; i < 100 && n < total; i++, n++) {
      const p = product(i * 5);
      yield [null, g, p, null, ...price(p), "2025-01-01", null];
    }
  }
  // Customer 1: four yearly periods per product, the last one running on the bench date.
  for (let i = 0; i < perCustomer && n < total; i++, n++) {
    const p = product(i);
    const from = addDays("2023-06-01", 365 * Math.floor(i / PRICE_PRODUCTS));
    yield [1, null, p, null, ...price(p), from, addDays(from, 364)];
  }
  const others = Math.max(1, maxCustomer - 1);
  for (let j = 0; n < total; j++, n++) {
    const customerId = 2 + (j % others);
    const p = product(Math.floor(j / others) * 7 + customerId);
    const from = addDays("2025-01-01", j % 365);
    yield j % 5 === 0
      ? [customerId, null, null, groupOf(p), null, 500, from, null]
      : [customerId, null, p, null, ...price(p), from, null];
  }
}

const COLUMNS =
  "customer_id, customer_group, product_id, product_group, unit_price_cents, discount_bp, min_quantity_milli, valid_from, valid_to, note, created_by, version, created_at, updated_at";

export function loadPricesSqlite(file: string, total: number, perCustomer: number, maxCustomer: number): void {
  const db = new BetterSqlite3(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  db.pragma("cache_size = -1048576");
  const first = Number((db.prepare("select coalesce(max(id), 0) + 1 as n from products").get() as { n: number }).n);
  const product = db.prepare(
    "insert into products (id, article_number, name, name_key, unit, list_price_cents, vat_rate_bp, product_group, active, version, created_at, updated_at) values (?, ?, ?, ?, 'Stk', ?, 1900, ?, 1, 1, ?, ?)",
  );
  db.transaction(() => {
    for (let p = first; p < first + PRICE_PRODUCTS; p++) {
      product.run(
        p,
        `PV-${String(p).padStart(6, "0")}`,
        `Preisartikel ${p}`,
        `preisartikel ${p}`,
        listPrice(p),
        groupOf(p),
        AT,
        AT,
      );
    }
  })();
  const insert = db.prepare(
    `insert into price_agreements (${COLUMNS}) values (?, ?, ?, ?, ?, ?, 0, ?, ?, null, 'bench', 1, ?, ?)`,
  );
  const batch = db.transaction((rows: Row[]) => {
    for (const r of rows) insert.run(...r, AT, AT);
  });
  let rows: Row[] = [];
  for (const r of agreements(total, perCustomer, maxCustomer, first)) {
    rows.push(r);
    if (rows.length === 10_000) {
      batch(rows);
      rows = [];
    }
  }
  if (rows.length) batch(rows);
  db.exec("analyze");
  db.close();
}

export async function loadPricesPostgres(url: string, total: number, perCustomer: number, maxCustomer: number) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const first = Number((await client.query("select coalesce(max(id), 0) + 1 as n from products")).rows[0].n);
  const pv: unknown[] = [];
  const pt: string[] = [];
  for (let p = first; p < first + PRICE_PRODUCTS; p++) {
    const b = pv.length;
    pv.push(p, `PV-${String(p).padStart(6, "0")}`, `Preisartikel ${p}`, `preisartikel ${p}`, listPrice(p), groupOf(p));
    pt.push(`($${b + 1},$${b + 2},$${b + 3},$${b + 4},'Stk',$${b + 5},1900,$${b + 6},true,1,now(),now())`);
  }
  await client.query(
    `insert into products (id, article_number, name, name_key, unit, list_price_cents, vat_rate_bp, product_group, active, version, created_at, updated_at) values ${pt.join(",")}`,
    pv,
  );
  await client.query("select setval(pg_get_serial_sequence('products', 'id'), (select max(id) from products))");
  let rows: Row[] = [];
  const flush = async () => {
    const v: unknown[] = [];
    const t = rows.map((r) => {
      const b = v.length;
      v.push(...r);
      return `($${b + 1},$${b + 2},$${b + 3},$${b + 4},$${b + 5},$${b + 6},0,$${b + 7},$${b + 8},null,'bench',1,now(),now())`;
    });
    await client.query(`insert into price_agreements (${COLUMNS}) values ${t.join(",")}`, v);
    rows = [];
  };
  await client.query("begin");
  for (const r of agreements(total, perCustomer, maxCustomer, first)) {
    rows.push(r);
    if (rows.length === 1000) await flush();
  }
  if (rows.length) await flush();
  await client.query("commit");
  await client.query("vacuum analyze price_agreements");
  await client.query("vacuum analyze products");
  await client.end();
}
