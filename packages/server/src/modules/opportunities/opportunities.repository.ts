import type { Kysely, Selectable, Transaction } from "kysely";
import type { DB, OpportunitiesTable, OpportunityStagesTable } from "../../db/schema.js";

type Executor = Kysely<DB> | Transaction<DB>;
export type OpportunityRow = Selectable<OpportunitiesTable> & {
  customer_name: string;
  stage_name: string;
  probability: number;
};
export type OpportunityValues = Omit<Selectable<OpportunitiesTable>, "id">;
export type StageRow = Selectable<OpportunityStagesTable>;
export type StageValues = Omit<StageRow, "id">;

const withJoins = (db: Executor) =>
  db
    .selectFrom("opportunities as o")
    .innerJoin("customers as c", "c.id", "o.customer_id")
    .innerJoin("opportunity_stages as s", "s.id", "o.stage_id")
    .selectAll("o")
    .select(["c.name1 as customer_name", "s.name as stage_name", "s.probability"]);

export async function insertOpportunity(trx: Executor, values: OpportunityValues): Promise<number> {
  const r = await trx.insertInto("opportunities").values(values).returning("id").executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function findOpportunity(
  db: Executor,
  customerId: number,
  id: number,
): Promise<OpportunityRow | undefined> {
  return withJoins(db).where("o.id", "=", id).where("o.customer_id", "=", customerId).executeTakeFirst();
}

/** Compare-and-set on the version: false when someone else changed it first. */
export async function updateOpportunity(
  trx: Executor,
  id: number,
  version: number,
  values: Partial<OpportunityValues>,
): Promise<boolean> {
  const r = await trx
    .updateTable("opportunities")
    .set({ ...values, version: version + 1 })
    .where("id", "=", id)
    .where("version", "=", version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteOpportunity(trx: Executor, id: number, version: number): Promise<boolean> {
  const r = await trx
    .deleteFrom("opportunities")
    .where("id", "=", id)
    .where("version", "=", version)
    .executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/** The linked quotes of each opportunity (ascending ids). */
export async function quoteIdsOf(db: Executor, ids: readonly number[]): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom("opportunity_quotes")
    .select(["opportunity_id", "document_id"])
    .where("opportunity_id", "in", [...ids])
    .orderBy("document_id")
    .execute();
  for (const r of rows) out.get(Number(r.opportunity_id))?.push(Number(r.document_id));
  return out;
}

export async function replaceQuotes(trx: Executor, id: number, documentIds: readonly number[]): Promise<void> {
  await trx.deleteFrom("opportunity_quotes").where("opportunity_id", "=", id).execute();
  if (documentIds.length === 0) return;
  await trx
    .insertInto("opportunity_quotes")
    .values(documentIds.map((d) => ({ opportunity_id: id, document_id: d })))
    .execute();
}

/** Id and type of those of the given documents that belong to the customer. */
export async function documentsOf(
  db: Executor,
  customerId: number,
  ids: readonly number[],
): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom("sales_documents")
    .select(["id", "type"])
    .where("customer_id", "=", customerId)
    .where("id", "in", [...ids])
    .execute();
  return new Map(rows.map((r) => [Number(r.id), r.type]));
}

export interface OpportunityFilters {
  status: string;
  owner?: string;
  customerId?: number;
  stageId?: number;
  visibleTo?: { owner: string; region: string | null };
}

/** By expected close date (soonest first), keyset-paginated on (expected_close_date, id). */
export async function listOpportunities(
  db: Executor,
  f: OpportunityFilters,
  limit: number,
  after: [string, number] | null,
): Promise<OpportunityRow[]> {
  let q = withJoins(db).where("o.status", "=", f.status);
  if (f.owner) q = q.where("o.owner", "=", f.owner);
  if (f.customerId) q = q.where("o.customer_id", "=", f.customerId);
  if (f.stageId) q = q.where("o.stage_id", "=", f.stageId);
  if (f.visibleTo) {
    const v = f.visibleTo;
    q = q.where((eb) =>
      v.region === null
        ? eb("c.owner", "=", v.owner)
        : eb.or([eb("c.owner", "=", v.owner), eb("c.region", "=", v.region)]),
    );
  }
  if (after) {
    q = q.where((eb) => eb(eb.refTuple("o.expected_close_date", "o.id"), ">", eb.tuple(after[0], after[1])));
  }
  return q.orderBy("o.expected_close_date").orderBy("o.id").limit(limit).execute();
}

export interface PipelineSum {
  stage_id: number;
  count: number;
  value_cents: number;
}

/** Number and value of the open opportunities per stage. */
export async function pipelineSums(
  db: Executor,
  f: { owner?: string; customerId?: number; visibleTo?: { owner: string; region: string | null } },
): Promise<PipelineSum[]> {
  let q = db
    .selectFrom("opportunities as o")
    .innerJoin("customers as c", "c.id", "o.customer_id")
    .select((eb) => [
      "o.stage_id",
      eb.fn.countAll<number>().as("count"),
      eb.fn.sum<number>("o.value_cents").as("value_cents"),
    ])
    .where("o.status", "=", "open");
  if (f.owner) q = q.where("o.owner", "=", f.owner);
  if (f.customerId) q = q.where("o.customer_id", "=", f.customerId);
  if (f.visibleTo) {
    const v = f.visibleTo;
    q = q.where((eb) =>
      v.region === null
        ? eb("c.owner", "=", v.owner)
        : eb.or([eb("c.owner", "=", v.owner), eb("c.region", "=", v.region)]),
    );
  }
  return q.groupBy("o.stage_id").execute();
}

// ---------------------------------------------------------------- stages

export async function listStages(db: Executor): Promise<StageRow[]> {
  return db.selectFrom("opportunity_stages").selectAll().orderBy("position").orderBy("id").execute();
}

export async function findStage(db: Executor, id: number): Promise<StageRow | undefined> {
  return db.selectFrom("opportunity_stages").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function lastPosition(db: Executor): Promise<number> {
  const r = await db
    .selectFrom("opportunity_stages")
    .select((eb) => eb.fn.max("position").as("p"))
    .executeTakeFirst();
  return Number(r?.p ?? 0);
}

export async function insertStage(trx: Executor, values: StageValues): Promise<number> {
  const r = await trx.insertInto("opportunity_stages").values(values).returning("id").executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function updateStage(
  trx: Executor,
  id: number,
  version: number,
  values: Partial<StageValues>,
): Promise<boolean> {
  const r = await trx
    .updateTable("opportunity_stages")
    .set({ ...values, version: version + 1 })
    .where("id", "=", id)
    .where("version", "=", version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteStage(trx: Executor, id: number, version: number): Promise<boolean> {
  const r = await trx
    .deleteFrom("opportunity_stages")
    .where("id", "=", id)
    .where("version", "=", version)
    .executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}
