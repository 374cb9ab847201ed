import type { Expression, ExpressionBuilder, Kysely, SqlBool, Transaction } from "kysely";
import type { DB } from "./schema.js";

/** The row-level rule of a request: only customers with this owner, or of this region. */
export interface RowVisibility {
  owner: string;
  region: string | null;
}

/** The row-level rule as a condition on a customers table joined under `alias`. */
export function ownedOrInRegion(v: RowVisibility, alias = "c") {
  // biome-ignore lint/suspicious/noExplicitAny: used in queries of any shape that join customers as `alias`
  return (eb: ExpressionBuilder<any, any>): Expression<SqlBool> =>
    v.region === null
      ? eb(`${alias}.owner`, "=", v.owner)
      : eb.or([eb(`${alias}.owner`, "=", v.owner), eb(`${alias}.region`, "=", v.region)]);
}

/** The ids of the customers the rule lets the actor see, for `customer_id in (…)`. */
export function visibleCustomerIds(db: Kysely<DB> | Transaction<DB>, v: RowVisibility) {
  return db.selectFrom("customers as c").select("c.id").where(ownedOrInRegion(v));
}
