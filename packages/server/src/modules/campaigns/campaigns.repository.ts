import { type Kysely, type Selectable, sql, type Transaction } from "kysely";
import type { CampaignMembersTable, CampaignsTable, DB } from "../../db/schema.js";
import { ownedOrInRegion, type RowVisibility, visibleCustomerIds } from "../../db/visible-to.js";

export type Executor = Kysely<DB> | Transaction<DB>;
export type CampaignRow = Selectable<CampaignsTable>;
export type MemberValues = Omit<Selectable<CampaignMembersTable>, "id">;
export type MemberRow = Selectable<CampaignMembersTable> & {
  customer_name: string;
  first_name: string | null;
  last_name: string | null;
};

// ---------------------------------------------------------------- campaigns

export async function insertCampaign(trx: Executor, values: Omit<CampaignRow, "id">): Promise<number> {
  const r = await trx.insertInto("campaigns").values(values).returning("id").executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function findCampaign(db: Executor, id: number): Promise<CampaignRow | undefined> {
  return db.selectFrom("campaigns").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function updateCampaign(
  trx: Executor,
  id: number,
  version: number,
  values: Partial<Omit<CampaignRow, "id" | "version">>,
): Promise<boolean> {
  const r = await trx
    .updateTable("campaigns")
    .set({ ...values, version: version + 1 })
    .where("id", "=", id)
    .where("version", "=", version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteCampaign(trx: Executor, id: number, version: number): Promise<boolean> {
  const r = await trx.deleteFrom("campaigns").where("id", "=", id).where("version", "=", version).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export interface CampaignFilters {
  status?: string;
  channel?: string;
  owner?: string;
}

/** Newest start first, keyset-paginated on (starts_on, id) descending. */
export async function listCampaigns(
  db: Executor,
  f: CampaignFilters,
  limit: number,
  after: [string, number] | null,
): Promise<CampaignRow[]> {
  let q = db.selectFrom("campaigns").selectAll();
  if (f.status) q = q.where("status", "=", f.status);
  if (f.channel) q = q.where("channel", "=", f.channel);
  if (f.owner) q = q.where("owner", "=", f.owner);
  if (after) q = q.where((eb) => eb(eb.refTuple("starts_on", "id"), "<", eb.tuple(after[0], after[1])));
  return q.orderBy("starts_on", "desc").orderBy("id", "desc").limit(limit).execute();
}

// ---------------------------------------------------------------- members

const withNames = (db: Executor) =>
  db
    .selectFrom("campaign_members as m")
    .innerJoin("customers as c", "c.id", "m.customer_id")
    .leftJoin("contacts as ct", "ct.id", "m.contact_id")
    .selectAll("m")
    .select(["c.name1 as customer_name", "ct.first_name", "ct.last_name"]);

/** A member, unless the row-level rule (when given) hides its customer. */
export async function findMember(
  db: Executor,
  campaignId: number,
  id: number,
  visibleTo: RowVisibility | null = null,
): Promise<MemberRow | undefined> {
  let q = withNames(db).where("m.id", "=", id).where("m.campaign_id", "=", campaignId);
  if (visibleTo) q = q.where(ownedOrInRegion(visibleTo));
  return q.executeTakeFirst();
}

/** Inserts members; people who are members already are skipped. Returns the ids inserted. */
export async function insertMembers(trx: Executor, rows: MemberValues[]): Promise<number[]> {
  const ids: number[] = [];
  // 14 columns: 500 rows stay far below both engines' parameter limits.
  for (let i = 0; i < rows.length; i += 500) {
    const r = await trx
      .insertInto("campaign_members")
      .values(rows.slice(i, i + 500))
      .onConflict((oc) => oc.doNothing())
      .returning("id")
      .execute();
    for (const x of r) ids.push(Number(x.id));
  }
  return ids;
}

export async function insertMember(trx: Executor, row: MemberValues): Promise<number> {
  const r = await trx.insertInto("campaign_members").values(row).returning("id").executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function updateMember(
  trx: Executor,
  id: number,
  version: number,
  values: Partial<MemberValues>,
): Promise<boolean> {
  const r = await trx
    .updateTable("campaign_members")
    .set({ ...values, version: version + 1 })
    .where("id", "=", id)
    .where("version", "=", version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export interface MemberFilters {
  status?: string;
  reason?: string;
  response?: string;
}

/** A campaign's members in the order they were added, keyset-paginated on the id. */
export async function listMembers(
  db: Executor,
  campaignId: number,
  f: MemberFilters,
  limit: number,
  afterId: number | null,
  visibleTo: RowVisibility | null,
): Promise<MemberRow[]> {
  let q = withNames(db).where("m.campaign_id", "=", campaignId);
  if (visibleTo) q = q.where(ownedOrInRegion(visibleTo));
  if (f.status) q = q.where("m.status", "=", f.status);
  if (f.reason) q = q.where("m.exclusion_reason", "=", f.reason);
  if (f.response) q = q.where("m.response", "=", f.response);
  if (afterId !== null) q = q.where("m.id", ">", afterId);
  return q.orderBy("m.id").limit(limit).execute();
}

/** A slice of a campaign's members (ids and person) for the checks at launch. */
export async function memberSlice(
  db: Executor,
  campaignId: number,
  afterId: number,
  limit: number,
): Promise<
  { id: number; customer_id: number; contact_id: number | null; status: string; exclusion_reason: string | null }[]
> {
  return db
    .selectFrom("campaign_members")
    .select(["id", "customer_id", "contact_id", "status", "exclusion_reason"])
    .where("campaign_id", "=", campaignId)
    .where("id", ">", afterId)
    .orderBy("id")
    .limit(limit)
    .execute();
}

/** Sets the status of many members at once (one statement per status and reason). */
export async function setMemberStatus(
  trx: Executor,
  ids: readonly number[],
  status: string,
  reason: string | null,
): Promise<void> {
  if (ids.length === 0) return;
  await trx
    .updateTable("campaign_members")
    .set((eb) => ({ status, exclusion_reason: reason, version: eb("version", "+", 1) }))
    .where("id", "in", [...ids])
    .execute();
}

/** Marks the included members not yet contacted as contacted; returns them for the journal. */
export async function contactIncluded(
  trx: Executor,
  campaignId: number,
  at: string,
  onlyIds?: readonly number[],
): Promise<{ id: number; customer_id: number; contact_id: number | null }[]> {
  const sel = () =>
    trx
      .selectFrom("campaign_members")
      .select(["id", "customer_id", "contact_id"])
      .where("campaign_id", "=", campaignId)
      .where("status", "=", "included")
      .where("contacted_at", "is", null);
  const rows: { id: number; customer_id: number; contact_id: number | null }[] = [];
  if (!onlyIds) rows.push(...(await sel().orderBy("id").execute()));
  else {
    for (let i = 0; i < onlyIds.length; i += 1000) {
      rows.push(
        ...(await sel()
          .where("id", "in", onlyIds.slice(i, i + 1000))
          .orderBy("id")
          .execute()),
      );
    }
  }
  for (let i = 0; i < rows.length; i += 1000) {
    await trx
      .updateTable("campaign_members")
      .set((eb) => ({ contacted_at: at, version: eb("version", "+", 1) }))
      .where(
        "id",
        "in",
        rows.slice(i, i + 1000).map((r) => r.id),
      )
      .execute();
  }
  return rows.map((r) => ({
    id: Number(r.id),
    customer_id: Number(r.customer_id),
    contact_id: r.contact_id === null ? null : Number(r.contact_id),
  }));
}

/** Member counts by status, reason, response and whether they were contacted. */
export async function memberCounts(
  db: Executor,
  campaignId: number,
  visibleTo: RowVisibility | null,
): Promise<{ status: string; reason: string | null; response: string | null; contacted: number; n: number }[]> {
  let q = db.selectFrom("campaign_members");
  if (visibleTo) q = q.where("customer_id", "in", visibleCustomerIds(db, visibleTo));
  const rows = await q
    .select([
      "status",
      "exclusion_reason as reason",
      "response",
      sql<number>`case when contacted_at is null then 0 else 1 end`.as("contacted"),
      (eb) => eb.fn.countAll<number>().as("n"),
    ])
    .where("campaign_id", "=", campaignId)
    .groupBy(["status", "exclusion_reason", "response", sql`case when contacted_at is null then 0 else 1 end`])
    .execute();
  return rows.map((r) => ({ ...r, contacted: Number(r.contacted), n: Number(r.n) }));
}

/**
 * Orders and net revenue (invoices less credit notes) since the start, of the customers of
 * the members who were contacted, and how many customers that is.
 */
export async function campaignSales(
  db: Executor,
  campaignId: number,
  since: string,
  visibleTo: RowVisibility | null,
): Promise<{ orders: number; revenueCents: number; customers: number }> {
  let members = db
    .selectFrom("campaign_members")
    .where("campaign_id", "=", campaignId)
    .where("status", "=", "included")
    .where("contacted_at", "is not", null);
  if (visibleTo) members = members.where("customer_id", "in", visibleCustomerIds(db, visibleTo));
  const reached = members.select("customer_id");
  const [sales, customers] = await Promise.all([
    db
      .selectFrom("sales_documents as d")
      .select([
        sql<number>`coalesce(sum(case when d.type = 'order' then 1 else 0 end), 0)`.as("orders"),
        sql<number>`coalesce(sum(case when d.type in ('invoice', 'credit_note') then d.net_cents else 0 end), 0)`.as(
          "revenue",
        ),
      ])
      .where("d.customer_id", "in", reached)
      .where("d.document_date", ">=", since)
      .where("d.status", "<>", "cancelled")
      .where("d.type", "in", ["order", "invoice", "credit_note"])
      .executeTakeFirstOrThrow(),
    members.select(sql<number>`count(distinct customer_id)`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return { orders: Number(sales.orders), revenueCents: Number(sales.revenue), customers: Number(customers.n) };
}
