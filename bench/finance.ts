/**
 * The finance part of `npm run bench`: loads products, invoices and their lines in bulk (not
 * through HTTP) — one customer with `perCustomer` invoices among `total` — with the summary
 * tables the server keeps (revenue per month, per-product history) built afterwards by SQL.
 * 90 % of the invoices are paid (5–60 days after their date), the rest open.
 */
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { Random } from "../packages/server/src/demo/random.js";
import { addDays } from "../packages/server/src/domain/finance/calendar-date.js";
import { documentTotals } from "../packages/server/src/domain/finance/document-totals.js";

const PRODUCTS = 2000;
const LINES = 3;

interface Line {
  product: number;
  quantityMilli: number;
  price: number;
  discountBp: number;
  vatRateBp: number;
  net: number;
}

interface Invoice {
  id: number;
  customerId: number;
  number: string;
  date: string;
  due: string;
  net: number;
  vat: number;
  gross: number;
  vatPerRate: string;
  open: number;
  status: string;
  paidOn: string | null;
  lines: Line[];
}

const price = (p: number) => 100 + ((p * 7919) % 50000);
const vat = (p: number) => (p % 5 === 0 ? 700 : 1900);
const TERMS = JSON.stringify({ netDays: 30, discounts: [], dueDate: "", dates: [] });

function* invoices(total: number, perCustomer: number, maxCustomer: number, firstId: number): Generator<Invoice> {
  const rng = new Random(815);
  const today = new Date().toISOString().slice(0, 10);
  for (let i = 0; i < total; i++) {
    const customerId = i < perCustomer ? 1 : 2 + (i % (maxCustomer - 1));
    const date = addDays(today, -Math.floor(rng.next() * 5 * 365));
    const lines: Line[] = [];
    for (let l = 0; l < LINES; l++) {
      const product = 1 + Math.floor(rng.next() * PRODUCTS);
      lines.push({
        product,
        quantityMilli: (1 + Math.floor(rng.next() * 20)) * 1000,
        price: price(product),
        discountBp: rng.next() < 0.2 ? 500 : 0,
        vatRateBp: vat(product),
        net: 0,
      });
    }
    const t = documentTotals(
      lines.map((l) => ({
        quantityMilli: l.quantityMilli,
        unitPriceCents: l.price,
        discountBp: l.discountBp,
        vatRateBp: l.vatRateBp,
      })),
    );
    lines.forEach((l, k) => {
      l.net = t.lines[k]!;
    });
    const paid = rng.next() < 0.9;
    yield {
      id: firstId + i,
      customerId,
      number: `RB-${String(firstId + i).padStart(8, "0")}`,
      date,
      due: addDays(date, 30),
      net: t.net,
      vat: t.vat,
      gross: t.gross,
      vatPerRate: JSON.stringify(t.perRate),
      open: paid ? 0 : t.gross,
      status: paid ? "paid" : "open",
      paidOn: paid ? addDays(date, 5 + Math.floor(rng.next() * 55)) : null,
      lines,
    };
  }
}

const AT = "2026-01-01T00:00:00.000Z";

export function loadFinanceSqlite(file: string, total: number, perCustomer: number, maxCustomer: number): void {
  const db = new BetterSqlite3(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  db.pragma("cache_size = -1048576");
  const product = db.prepare(
    "insert into products (id, article_number, name, name_key, unit, list_price_cents, vat_rate_bp, product_group, active, version, created_at, updated_at) values (?, ?, ?, ?, 'Stk', ?, ?, ?, 1, 1, ?, ?)",
  );
  db.transaction(() => {
    for (let p = 1; p <= PRODUCTS; p++) {
      const name = `Artikel ${p}`;
      product.run(
        p,
        `P-${String(p).padStart(5, "0")}`,
        name,
        name.toLowerCase(),
        price(p),
        vat(p),
        `Gruppe ${p % 20}`,
        AT,
        AT,
      );
    }
  })();
  const doc = db.prepare(
    `insert into sales_documents (id, customer_id, type, number, status, document_date, currency, net_cents, vat_cents, gross_cents, vat_per_rate, open_cents, terms_text, terms, due_date, paid_on, dunning_level, created_by, version, created_at, updated_at)
     values (?, ?, 'invoice', ?, ?, ?, 'EUR', ?, ?, ?, ?, ?, '30 Tage netto', ?, ?, ?, 0, 'bench', 1, ?, ?)`,
  );
  const line = db.prepare(
    `insert into sales_document_lines (document_id, customer_id, position, product_id, article_number, text, quantity_milli, unit, unit_price_cents, discount_bp, vat_rate_bp, net_cents, price_source)
     values (?, ?, ?, ?, ?, ?, ?, 'Stk', ?, ?, ?, ?, 'list_price')`,
  );
  const batch = db.transaction((items: Invoice[]) => {
    for (const d of items) {
      doc.run(
        d.id,
        d.customerId,
        d.number,
        d.status,
        d.date,
        d.net,
        d.vat,
        d.gross,
        d.vatPerRate,
        d.open,
        TERMS,
        d.due,
        d.paidOn,
        AT,
        AT,
      );
      for (const [k, l] of d.lines.entries()) {
        line.run(
          d.id,
          d.customerId,
          k + 1,
          l.product,
          `P-${String(l.product).padStart(5, "0")}`,
          `Artikel ${l.product}`,
          l.quantityMilli,
          l.price,
          l.discountBp,
          l.vatRateBp,
          l.net,
        );
      }
    }
  });
  const firstId = (db.prepare("select coalesce(max(id), 0) + 1 as n from sales_documents").get() as { n: number }).n;
  let buffer: Invoice[] = [];
  for (const d of invoices(total, perCustomer, maxCustomer, firstId)) {
    buffer.push(d);
    if (buffer.length === 20_000) {
      batch(buffer);
      buffer = [];
    }
  }
  if (buffer.length) batch(buffer);
  db.exec(`insert into customer_revenue (customer_id, month, net_cents, invoices)
    select customer_id, substr(document_date, 1, 7), sum(net_cents), count(*) from sales_documents group by customer_id, substr(document_date, 1, 7)`);
  db.exec(`insert into customer_product_history (customer_id, product_id, quantity_milli, revenue_cents, invoices, first_date, last_date, last_price_cents)
    select l.customer_id, l.product_id, sum(l.quantity_milli), sum(l.net_cents), count(distinct l.document_id), min(d.document_date), max(d.document_date), max(l.unit_price_cents)
    from sales_document_lines l join sales_documents d on d.id = l.document_id group by l.customer_id, l.product_id`);
  db.exec(
    "update customer_file_documents set has_finance = 1 where customer_id in (select distinct customer_id from sales_documents)",
  );
  db.exec("analyze");
  db.close();
}

export async function loadFinancePostgres(
  url: string,
  total: number,
  perCustomer: number,
  maxCustomer: number,
): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("set maintenance_work_mem = '512MB'");
  await client.query(
    `insert into products (id, article_number, name, name_key, unit, list_price_cents, vat_rate_bp, product_group, active, version, created_at, updated_at)
     select p, 'P-' || lpad(p::text, 5, '0'), 'Artikel ' || p, 'artikel ' || p, 'Stk', 100 + ((p * 7919) % 50000), case when p % 5 = 0 then 700 else 1900 end, 'Gruppe ' || (p % 20), true, 1, now(), now()
     from generate_series(1, ${PRODUCTS}) p`,
  );
  await client.query("select setval(pg_get_serial_sequence('products', 'id'), (select max(id) from products))");
  const firstId = Number((await client.query("select coalesce(max(id), 0) + 1 as n from sales_documents")).rows[0].n);
  let docs: Invoice[] = [];
  const flush = async () => {
    const dv: unknown[] = [];
    const dt = docs.map((d, i) => {
      dv.push(
        d.id,
        d.customerId,
        d.number,
        d.status,
        d.date,
        d.net,
        d.vat,
        d.gross,
        d.vatPerRate,
        d.open,
        TERMS,
        d.due,
        d.paidOn,
      );
      const b = i * 13;
      return `($${b + 1},$${b + 2},'invoice',$${b + 3},$${b + 4},$${b + 5},'EUR',$${b + 6},$${b + 7},$${b + 8},$${b + 9},$${b + 10},'30 Tage netto',$${b + 11},$${b + 12},$${b + 13},0,'bench',1,now(),now())`;
    });
    await client.query(
      `insert into sales_documents (id, customer_id, type, number, status, document_date, currency, net_cents, vat_cents, gross_cents, vat_per_rate, open_cents, terms_text, terms, due_date, paid_on, dunning_level, created_by, version, created_at, updated_at) values ${dt.join(",")}`,
      dv,
    );
    const lv: unknown[] = [];
    const lt: string[] = [];
    for (const d of docs) {
      d.lines.forEach((l, k) => {
        const b = lv.length;
        lv.push(
          d.id,
          d.customerId,
          k + 1,
          l.product,
          `P-${String(l.product).padStart(5, "0")}`,
          `Artikel ${l.product}`,
          l.quantityMilli,
          l.price,
          l.discountBp,
          l.vatRateBp,
          l.net,
        );
        lt.push(
          `($${b + 1},$${b + 2},$${b + 3},$${b + 4},$${b + 5},$${b + 6},$${b + 7},'Stk',$${b + 8},$${b + 9},$${b + 10},$${b + 11},'list_price')`,
        );
      });
    }
    await client.query(
      `insert into sales_document_lines (document_id, customer_id, position, product_id, article_number, text, quantity_milli, unit, unit_price_cents, discount_bp, vat_rate_bp, net_cents, price_source) values ${lt.join(",")}`,
      lv,
    );
    docs = [];
  };
  await client.query("begin");
  for (const d of invoices(total, perCustomer, maxCustomer, firstId)) {
    docs.push(d);
    if (docs.length === 1000) await flush();
  }
  if (docs.length) await flush();
  await client.query("commit");
  await client.query(
    "select setval(pg_get_serial_sequence('sales_documents', 'id'), (select max(id) from sales_documents))",
  );
  await client.query(`insert into customer_revenue (customer_id, month, net_cents, invoices)
    select customer_id, to_char(document_date, 'YYYY-MM'), sum(net_cents), count(*) from sales_documents group by 1, 2`);
  await client.query(`insert into customer_product_history (customer_id, product_id, quantity_milli, revenue_cents, invoices, first_date, last_date, last_price_cents)
    select l.customer_id, l.product_id, sum(l.quantity_milli), sum(l.net_cents), count(distinct l.document_id), min(d.document_date), max(d.document_date), max(l.unit_price_cents)
    from sales_document_lines l join sales_documents d on d.id = l.document_id group by l.customer_id, l.product_id`);
  await client.query(
    "update customer_file_documents set has_finance = true where customer_id in (select distinct customer_id from sales_documents)",
  );
  await client.query("vacuum analyze");
  await client.end();
}
