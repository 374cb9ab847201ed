import type { CustomerPreferences, FileAdvertisingObjection } from "@kundenakte/contract";
import type { Kysely, Transaction } from "kysely";
import type { DB } from "../../db/schema.js";
import { presentPreferences } from "./preferences.presenter.js";
import type { PreferencesRow } from "./preferences.repository.js";

type Executor = Kysely<DB> | Transaction<DB>;

/** What the customer file shows of preferences and objections ("nur vormittags liefern", "keine Werbung"). */
export interface MarketingRows {
  preferences: PreferencesRow | null;
  objections: { contact_id: number | null; objected_on: string }[];
}

export const NO_MARKETING_ROWS: MarketingRows = { preferences: null, objections: [] };

/** Reads them for several customers with two queries (the file document is rebuilt in batches). */
export async function readMarketingRows(db: Executor, ids: readonly number[]): Promise<Map<number, MarketingRows>> {
  const out = new Map<number, MarketingRows>();
  if (ids.length === 0) return out;
  const list = [...ids];
  const [preferences, objections] = await Promise.all([
    db.selectFrom("customer_preferences").selectAll().where("customer_id", "in", list).execute(),
    db
      .selectFrom("advertising_objections")
      .select(["customer_id", "contact_id", "objected_on"])
      .where("customer_id", "in", list)
      .where("lifted_on", "is", null)
      .orderBy("contact_id")
      .execute(),
  ]);
  const of = (id: number) => {
    let m = out.get(id);
    if (!m) {
      m = { preferences: null, objections: [] };
      out.set(id, m);
    }
    return m;
  };
  for (const p of preferences) of(Number(p.customer_id)).preferences = p;
  for (const o of objections) of(Number(o.customer_id)).objections.push(o);
  return out;
}

/** The file's members built from the rows. */
export function fileMarketingMembers(m: MarketingRows): {
  preferences: CustomerPreferences | null;
  advertisingObjection: FileAdvertisingObjection;
} {
  const own = m.objections.find((o) => o.contact_id === null);
  return {
    preferences: m.preferences ? presentPreferences(m.preferences) : null,
    advertisingObjection: {
      customer: own !== undefined,
      since: own?.objected_on ?? null,
      contactIds: m.objections
        .filter((o) => o.contact_id !== null)
        .map((o) => Number(o.contact_id))
        .sort((a, b) => a - b),
    },
  };
}
