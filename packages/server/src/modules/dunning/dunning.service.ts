import type {
  DunningLevel,
  DunningLevelUpdate,
  DunningNotice,
  DunningProposal,
  DunningProposalEntry,
  DunningRunRequest,
} from "@kundenakte/contract";
import type { Database } from "../../db/database.js";
import { engineOf, flag, readJson, toFlag, toJson } from "../../db/dialect.js";
import { daysOverdue } from "../../domain/finance/ageing.js";
import { addDays } from "../../domain/finance/calendar-date.js";
import { assertDunningLevels, dunningLevelFor } from "../../domain/finance/dunning.js";
import { formatMoney } from "../../domain/finance/money.js";
import type { RequestContext } from "../../http/context.js";
import { AppError, FieldErrors, notFound } from "../../http/errors.js";
import { versionMismatch } from "../../http/etag.js";
import { clockOf } from "../../lib/clock.js";
import { nowIso } from "../../lib/time.js";
import { audit } from "../audit/audit.service.js";
import { readSetting } from "../auth/auth.repository.js";
import { customerWrite } from "../customer-file/customer-write.js";
import { setBlock, visibleCustomer } from "../customers/customers.service.js";
import { updateDocument } from "../documents/documents.repository.js";
import { addJournalEntry } from "../journal/journal.writer.js";
import * as repo from "./dunning.repository.js";

type Executor = Parameters<typeof repo.listLevels>[0];

/**
 * An invoice is not dunned twice within this many days, whatever its days overdue: a
 * customer who got a notice yesterday gets time to pay before the next level.
 */
export const MIN_DAYS_BETWEEN_NOTICES = 7;

const presentLevel = (r: repo.LevelRow): DunningLevel => ({
  level: r.level,
  daysAfterDue: r.days_after_due,
  feeCents: Number(r.fee_cents),
  text: r.text,
  version: r.version,
});

export async function listLevels(db: Database): Promise<DunningLevel[]> {
  return (await repo.listLevels(db.kysely)).map(presentLevel);
}

/** Changes one level; the three must stay in order of days (a level-2 notice after level 1). */
export async function updateLevel(
  db: Database,
  ctx: RequestContext,
  level: number,
  version: number,
  patch: DunningLevelUpdate,
): Promise<DunningLevel> {
  return db.kysely.transaction().execute(async (trx) => {
    const rows = await repo.listLevels(trx);
    const row = rows.find((r) => r.level === level);
    if (!row) throw notFound("Dunning level", level);
    const before = presentLevel(row);
    if (row.version !== version) throw versionMismatch(before, row.version);
    const after = { ...before, ...patch, version: version + 1 };
    const all = rows.map((r) => (r.level === level ? after : presentLevel(r)));
    try {
      assertDunningLevels(
        all.map((l) => ({ level: l.level as 1 | 2 | 3, daysAfterDue: l.daysAfterDue, feeCents: l.feeCents })),
      );
    } catch (e) {
      const errs = new FieldErrors();
      errs.add("daysAfterDue", "not_increasing", e instanceof Error ? e.message : String(e));
      errs.throwIfAny();
    }
    const ok = await repo.updateLevel(trx, level, version, {
      days_after_due: after.daysAfterDue,
      fee_cents: after.feeCents,
      text: after.text,
      updated_at: nowIso(),
    });
    if (!ok) throw versionMismatch(before, row.version);
    await audit(trx, ctx, nowIso(), {
      customerId: null,
      entityType: "dunning_level",
      entityId: level,
      before,
      after,
    });
    return after;
  });
}

/** The proposal, and the version of each invoice in it as read (a run updates against it). */
async function propose(
  db: Executor,
  ctx: RequestContext,
  onDate: string,
  customerIds?: number[],
): Promise<{ entries: DunningProposalEntry[]; versions: Map<number, number> }> {
  const levels = (await repo.listLevels(db)).map((r) => ({
    level: r.level as 1 | 2 | 3,
    daysAfterDue: r.days_after_due,
    feeCents: Number(r.fee_cents),
    text: r.text,
  }));
  const entries = new Map<number, DunningProposalEntry>();
  const versions = new Map<number, number>();
  // Customers the row-level rule hides are left out, as if they owed nothing.
  for (const inv of await repo.overdueInvoices(db, onDate, customerIds, ctx.visibility ?? null)) {
    if (inv.last_dunned_on && addDays(inv.last_dunned_on, MIN_DAYS_BETWEEN_NOTICES) > onDate) continue;
    const days = daysOverdue(inv.due_date, onDate);
    const next = dunningLevelFor(days, levels, inv.dunning_level as 0 | 1 | 2 | 3);
    if (!next) continue;
    const customerId = Number(inv.customer_id);
    const entry = entries.get(customerId) ?? {
      customerId,
      customerNumber: inv.customer_number,
      customerName: inv.customer_name,
      level: 1,
      feeCents: 0,
      totalCents: 0,
      items: [],
    };
    entry.items.push({
      documentId: Number(inv.id),
      number: inv.number,
      dueDate: inv.due_date,
      openCents: Number(inv.open_cents),
      daysOverdue: days,
      previousLevel: inv.dunning_level,
      level: next.level,
    });
    entry.level = Math.max(entry.level, next.level);
    entries.set(customerId, entry);
    versions.set(Number(inv.id), inv.version);
  }
  for (const e of entries.values()) {
    e.feeCents = levels.find((l) => l.level === e.level)?.feeCents ?? 0;
    e.totalCents = e.items.reduce((sum, i) => sum + i.openCents, 0) + e.feeCents;
  }
  return { entries: [...entries.values()], versions };
}

/** What a dunning run would send on a date: per customer the overdue invoices and their next level. */
export async function proposal(db: Database, ctx: RequestContext, onDate: string): Promise<DunningProposal> {
  return { onDate, customers: (await propose(db.kysely, ctx, onDate)).entries };
}

const presentNotice = (r: repo.NoticeRow): DunningNotice => ({
  id: Number(r.id),
  customerId: Number(r.customer_id),
  level: r.level,
  noticeDate: r.notice_date,
  feeCents: Number(r.fee_cents),
  totalCents: Number(r.total_cents),
  items: readJson(r.items),
  deliveryBlockSet: flag(r.delivery_block_set),
  createdBy: r.created_by,
  createdAt: r.created_at,
});

/**
 * Issues the proposal's notices (for the customers given, or all) in one transaction: a notice
 * per customer, the invoices' new levels, a journal entry each, and at level 3 a delivery
 * block when the setting says so.
 */
export async function run(db: Database, ctx: RequestContext, input: DunningRunRequest): Promise<DunningNotice[]> {
  const onDate = input.onDate ?? clockOf(ctx).today();
  return customerWrite(db, async (trx) => {
    const blockAtThree = (await readSetting<boolean>(trx, "dunning_block_at_level_3"))?.value !== false;
    const levels = await repo.listLevels(trx);
    const notices: DunningNotice[] = [];
    const at = nowIso();
    const { entries, versions } = await propose(trx, ctx, onDate, input.customerIds);
    for (const e of entries) {
      for (const item of e.items) {
        const ok = await updateDocument(trx, item.documentId, versions.get(item.documentId)!, {
          dunning_level: item.level,
          last_dunned_on: onDate,
          updated_at: at,
        });
        if (!ok) throw new AppError("conflict", `invoice ${item.number} changed during the dunning run; run it again`);
      }
      const blocked =
        e.level === 3 && blockAtThree ? await setBlock(trx, ctx, e.customerId, "delivery", "Mahnstufe 3") : false;
      const id = await repo.insertNotice(trx, {
        customer_id: e.customerId,
        level: e.level,
        notice_date: onDate,
        fee_cents: e.feeCents,
        total_cents: e.totalCents,
        items: toJson(e.items),
        delivery_block_set: toFlag(engineOf(trx), blocked),
        created_by: ctx.actor,
        created_at: at,
      });
      const title = levels.find((l) => l.level === e.level)?.text ?? `Mahnstufe ${e.level}`;
      await addJournalEntry(trx, ctx, {
        customerId: e.customerId,
        kind: "dunning",
        subject: `${title} (Mahnstufe ${e.level}) über ${formatMoney(e.totalCents)}`,
        body: [
          ...e.items.map((i) => `${i.number}: ${formatMoney(i.openCents)}, ${i.daysOverdue} Tage überfällig`),
          e.feeCents ? `Mahngebühr ${formatMoney(e.feeCents)}` : null,
        ]
          .filter(Boolean)
          .join("\n"),
        link: { type: "dunning_notice", id },
      });
      const notice = presentNotice((await repo.findNotice(trx, id))!);
      await audit(trx, ctx, at, {
        customerId: e.customerId,
        entityType: "dunning_notice",
        entityId: id,
        before: null,
        after: notice as unknown as Record<string, unknown>,
      });
      notices.push(notice);
    }
    return notices;
  });
}

export async function customerNotices(db: Database, ctx: RequestContext, customerId: number): Promise<DunningNotice[]> {
  await visibleCustomer(db.kysely, ctx, customerId);
  return (await repo.noticesOf(db.kysely, customerId)).map(presentNotice);
}
