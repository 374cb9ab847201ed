/**
 * Runs one bulk loader in a process of its own (`npm run bench` forks it): loading inside the
 * benchmark process, after the load generator has run there, measured several times slower.
 * Arguments: journal|finance sqlite|postgres <file or URL> <total> <per customer> <max customer id>
 */
import { loadFinancePostgres, loadFinanceSqlite } from "./finance.js";
import { loadPostgres, loadSqlite } from "./journal.js";

const [kind, engine, target, total, perCustomer, maxCustomer] = process.argv.slice(2);
const n = [Number(total), Number(perCustomer), Number(maxCustomer)] as const;
if (kind === "journal") {
  if (engine === "sqlite") loadSqlite(target!, ...n);
  else await loadPostgres(target!, ...n);
} else if (engine === "sqlite") {
  loadFinanceSqlite(target!, ...n);
} else {
  await loadFinancePostgres(target!, ...n);
}
