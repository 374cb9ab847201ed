/**
 * Runs one bulk loader in a process of its own (`npm run bench` forks it): loading inside the
 * benchmark process, after the load generator has run there, measured several times slower.
 * Arguments: journal|finance|prices|tickets sqlite|postgres <file or URL> <total> <per customer> <max customer id>
 * (tickets ignore <per customer>: they spread over all customers)
 */
import { loadFinancePostgres, loadFinanceSqlite } from "./finance.js";
import { loadPostgres, loadSqlite } from "./journal.js";
import { loadPricesPostgres, loadPricesSqlite } from "./price-agreements.js";
import { loadTicketsPostgres, loadTicketsSqlite } from "./tickets.js";

const [kind, engine, target, total, perCustomer, maxCustomer] = process.argv.slice(2);
const n = [Number(total), Number(perCustomer), Number(maxCustomer)] as const;
if (kind === "journal") {
  if (engine === "sqlite") loadSqlite(target!, ...n);
  else await loadPostgres(target!, ...n);
} else if (kind === "prices") {
  if (engine === "sqlite") loadPricesSqlite(target!, ...n);
  else await loadPricesPostgres(target!, ...n);
} else if (kind === "tickets") {
  if (engine === "sqlite") loadTicketsSqlite(target!, n[0], n[2]);
  else await loadTicketsPostgres(target!, n[0], n[2]);
} else if (engine === "sqlite") {
  loadFinanceSqlite(target!, ...n);
} else {
  await loadFinancePostgres(target!, ...n);
}
