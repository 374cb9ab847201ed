/**
 * What the search read model and the audit records store (issue 23, "Disk"): each search key
 * once, phone numbers as pieces, compact fields and change lists — and migration 018, which
 * converts a database of the release before, and back.
 */
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { migrateDownOne, migrateToLatest } from "../../src/db/migrator.js";
import { packChanges, unpackChanges } from "../../src/modules/audit/audit.repository.js";
import { ensureSearchIndex } from "../../src/modules/search/search-index.js";
import { decodeEntry, encodeEntry, type StoredEntry } from "../../src/modules/search/search-keys.js";
import { forEachEngine } from "../support/engines.js";
import { client } from "../support/http.js";

describe("stored forms", () => {
  it("a search entry reads back as it was written, contacts and phone keys included", () => {
    const entry: StoredEntry = {
      s: "active",
      f: [
        { field: "customerNumber", value: "K-1" },
        { field: "name", value: 'Bäckerei "Müller" | GmbH' },
        { field: "phone", value: "0221 1234567", key: "2211234567" },
        // A key the displayed value does not tell: stored with it.
        { field: "phone", value: "+49 221 1234567", key: "9990001" },
        { field: "phone", value: "+43 1 2345678", key: "4312345678" },
        { field: "contactName", value: "Hans Meier", contactId: 7 },
        { field: "email", value: "hans@example.de", contactId: 7 },
        { field: "phone", value: "0171 2345678", key: "1712345678", contactId: 7 },
        { field: "contactName", value: "Eva Roth", contactId: 9 },
        { field: "tag", value: "Stammkunde" },
      ],
    };
    const text = encodeEntry(entry);
    expect(decodeEntry(text)).toEqual(entry);
    expect(text.length).toBeLessThan(JSON.stringify(entry).length / 2);
  });

  it("a change list reads back as it was written, for every action", () => {
    const create = [
      { field: "name1", old: null, new: "Müller" },
      { field: "block", old: null, new: { type: "none", reason: null } },
      { field: "tags", old: null, new: ["A", "B"] },
    ];
    const update = [
      { field: "status", old: "active", new: "blocked" },
      { field: "notes", old: null, new: "x" },
      { field: "vatId", old: "DE1", new: null },
    ];
    const del = [{ field: "street", old: "Hauptstraße 5", new: null }];
    for (const [action, changes] of [
      ["create", create],
      ["update", update],
      ["delete", del],
      ["merge", update],
      ["create", update], // a creation with old values (never written so): kept whole
      ["update", []],
    ] as const) {
      const packed = packChanges(action, changes as never);
      expect(unpackChanges(JSON.parse(JSON.stringify(packed))), action).toEqual(changes);
    }
    expect(packChanges("create", create)).toEqual([
      1,
      "name1",
      "Müller",
      "block",
      { type: "none", reason: null },
      "tags",
      ["A", "B"],
    ]);
    // The layout before migration 018 is still read.
    expect(unpackChanges(update)).toEqual(update);
  });
});

forEachEngine("search and audit storage", (env) => {
  const api = client(
    () => env().app,
    () => env().adminToken,
  );
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    for (const [key, phone] of [
      ["koeln", "0221 7654321"],
      // Has the pieces 22176 and 54321 of "0221 7654321", but not in a row: not a match.
      ["decoy", "0221 7699 54321"],
    ] as const) {
      const res = await api.post("/customers", {
        kind: "company",
        name1: `Telefon ${key}`,
        addresses: [{ type: "billing", street: "Ring 1", postalCode: "50667", city: "Köln" }],
        channels: [{ kind: "phone", value: phone }],
      });
      expect(res.statusCode, res.body).toBe(201);
      ids[key] = res.json().customer.id;
    }
  });

  const found = async (q: string) => {
    const res = await api.get(`/search?q=${encodeURIComponent(q)}`);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().results as { customerId: number }[]).map((r) => r.customerId);
  };

  it("finds a phone number by any part of five digits or more, and only where the digits stand in a row", async () => {
    for (const q of ["0221 7654321", "7654321", "217654", "22176 54321", "54321"]) {
      expect(await found(q), q).toContain(ids.koeln);
    }
    expect(await found("2217654321")).toEqual([ids.koeln]);
    expect(await found("76995")).toEqual([ids.decoy]);
  });

  it("holds the keys once: no key text beside SQLite's index, no stored tsvector on PostgreSQL", async () => {
    const db = env().db;
    if (db.engine === "sqlite") {
      const cols = await sql<{ name: string }>`select name from pragma_table_info('search_entries')`.execute(db.kysely);
      expect(cols.rows.map((c) => c.name).sort()).toEqual(["customer_id", "digest", "fields"]);
    } else {
      const cols = await sql<{ name: string }>`select column_name as name from information_schema.columns
        where table_schema = current_schema() and table_name = 'search_entries'`.execute(db.kysely);
      expect(cols.rows.map((c) => c.name).sort()).toEqual(["customer_id", "digest", "fields", "tokens"]);
      const ix = await sql<{ def: string }>`select indexdef as def from pg_indexes
        where schemaname = current_schema() and tablename = 'search_entries'`.execute(db.kysely);
      expect(ix.rows.map((r) => r.def).join("\n")).toMatch(/USING gin \(search_tsvector\(tokens\)\)/);
    }
  });

  it("a write that changes nothing the search holds leaves the entry alone", async () => {
    const db = env().db;
    const before = await db.kysely
      .selectFrom("search_entries")
      .selectAll()
      .where("customer_id", "=", ids.koeln!)
      .execute();
    const c = (await api.get(`/customers/${ids.koeln}`)).json();
    const res = await api.patch(`/customers/${ids.koeln}`, { notes: "Anfahrt über den Hof" }, c.version);
    expect(res.statusCode, res.body).toBe(200);
    const after = await db.kysely
      .selectFrom("search_entries")
      .selectAll()
      .where("customer_id", "=", ids.koeln!)
      .execute();
    expect(after).toEqual(before);
    const renamed = await api.patch(`/customers/${ids.koeln}`, { name1: "Telefon Köln Süd" }, c.version + 1);
    expect(renamed.statusCode, renamed.body).toBe(200);
    const changed = await db.kysely
      .selectFrom("search_entries")
      .select("digest")
      .where("customer_id", "=", ids.koeln!)
      .executeTakeFirstOrThrow();
    expect(Number(changed.digest)).not.toBe(Number(before[0]!.digest));
    expect(await found("Süd")).toEqual([ids.koeln]);
  });

  it("migration 018 packs the change lists of existing records and rebuilds the search entries; down restores both", async () => {
    const db = env().db;
    const history = async () => (await api.get(`/customers/${ids.koeln}/history?limit=100`)).json().items;
    const shown = await history();
    expect(shown.length).toBeGreaterThan(1);
    const stored = async () =>
      (await db.kysely.selectFrom("audit_log").select(["id", "changes"]).orderBy("id").execute()).map((r) => ({
        id: r.id,
        changes: typeof r.changes === "string" ? JSON.parse(r.changes) : r.changes,
      }));
    const packed = await stored();
    expect(packed.every((r) => typeof r.changes[0] === "number")).toBe(true);

    expect(await migrateDownOne(db)).toBe("2026-12-08-018-search-and-audit-compact");
    const legacy = await stored();
    // The release before wrote objects: that is what down gives back, value for value.
    expect(legacy.map((r) => r.changes)).toEqual(packed.map((r) => unpackChanges(r.changes)));
    expect(legacy.every((r) => r.changes.length === 0 || typeof r.changes[0] === "object")).toBe(true);

    await migrateToLatest(db);
    expect((await stored()).map((r) => r.changes)).toEqual(packed.map((r) => r.changes));
    expect(await history()).toEqual(shown);
    // The entries are built again at start-up (the key rules are application code).
    expect(await found("7654321")).toEqual([]);
    expect(await ensureSearchIndex(db)).toBeGreaterThanOrEqual(2);
    expect(await found("7654321")).toContain(ids.koeln);
  });
});
