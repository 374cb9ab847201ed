import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { optimizeDatabase, searchIndexSegments } from "../../src/db/maintenance.js";
import { seedDemo } from "../../src/demo/seed.js";
import { SYSTEM_CONTEXT } from "../../src/http/context.js";
import { knownWords } from "../../src/modules/search/search.repository.js";
import { search as searchService } from "../../src/modules/search/search.service.js";
import { ensureSearchIndex } from "../../src/modules/search/search-index.js";
import { createTestDatabase, forEachEngine, tokenFor } from "../support/engines.js";
import { client, expectProblem } from "../support/http.js";

/** A handful of customers that look alike on purpose: the search must still find the right one first. */
const CUSTOMERS = {
  mueller: {
    kind: "company",
    customerNumber: "K-100815",
    name1: "Bäckerei Müller GmbH",
    vatId: "DE136695976",
    tags: ["Stammkunde"],
    addresses: [{ type: "billing", street: "Hauptstraße 5", postalCode: "50667", city: "Köln" }],
    channels: [
      { kind: "phone", value: "0221 1234567" },
      { kind: "email", value: "info@baeckerei-mueller.de" },
    ],
    contacts: [{ firstName: "Hans", lastName: "Meier", email: "hans.meier@baeckerei-mueller.de" }],
  },
  schmidt: {
    kind: "company",
    customerNumber: "K-4711",
    name1: "Schmidt & Söhne KG",
    addresses: [{ type: "billing", street: "Große Straße 10", postalCode: "10115", city: "Berlin" }],
    channels: [{ kind: "phone", value: "+49 30 9876543" }],
    contacts: [
      {
        firstName: "Erika",
        lastName: "Mustermann",
        email: "erika.mustermann@schmidt-soehne.de",
        mobile: "0171 2345678",
      },
    ],
  },
  maier: {
    kind: "company",
    name1: "Maier Metallbau",
    addresses: [{ type: "billing", street: "Industriestraße 3", postalCode: "80331", city: "München" }],
    contacts: [{ firstName: "Jürgen", lastName: "Weiß" }],
  },
  landbaeckerei: {
    kind: "company",
    name1: "Landbäckerei Sonnenschein",
    addresses: [{ type: "billing", street: "Dorfweg 1", postalCode: "20095", city: "Hamburg" }],
  },
  muellers: {
    kind: "company",
    name1: "Müllers Reisen",
    addresses: [{ type: "billing", street: "Am Markt 2", postalCode: "04109", city: "Leipzig" }],
  },
  meyer: {
    kind: "company",
    name1: "Meyer Logistik",
    addresses: [{ type: "billing", street: "Hafenstraße 8", postalCode: "28195", city: "Bremen" }],
  },
} as const;
type Key = keyof typeof CUSTOMERS;

forEachEngine("search API", (env) => {
  const api = client(
    () => env().app,
    () => env().adminToken,
  );
  const ids = {} as Record<Key, number>;
  const contactIds = {} as Record<Key, number[]>;

  beforeAll(async () => {
    for (const [key, body] of Object.entries(CUSTOMERS)) {
      const res = await api.post("/customers", body);
      expect(res.statusCode, res.body).toBe(201);
      ids[key as Key] = res.json().customer.id;
      contactIds[key as Key] = res.json().contacts.map((c: { id: number }) => c.id);
    }
  });

  const search = async (q: string, limit = 10) => {
    const res = await api.get(`/search?q=${encodeURIComponent(q)}&limit=${limit}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as {
      results: {
        customerId: number;
        customerNumber: string;
        name: string;
        contact: { id: number; name: string } | null;
        matches: { field: string; value: string; kind: string; highlights: [number, number][] }[];
      }[];
      tolerant: boolean;
    };
  };

  // query → the customer that must come first
  const FIRST: [string, Key][] = [
    ["Müller", "mueller"],
    ["Mueller", "mueller"],
    ["MÜLLER", "mueller"],
    ["Muller", "mueller"],
    ["Bäckerei Müller", "mueller"],
    ["Baeckerei Koeln", "mueller"],
    ["Bäckerai", "mueller"],
    ["Bäckerie Müler", "mueller"],
    ["Strasse", "schmidt"],
    ["Straße 10", "schmidt"],
    ["Söhne", "schmidt"],
    ["Soehne", "schmidt"],
    ["Schmitt", "schmidt"],
    ["Meyer", "meyer"],
    ["Meier", "mueller"],
    ["Hans Meier", "mueller"],
    ["Jürgen Weiss", "maier"],
    ["Juergen Weiß", "maier"],
    ["Metalbau", "maier"],
    ["Sonnenschien", "landbaeckerei"],
    ["bäckerei sonnen", "landbaeckerei"],
    ["0221 1234567", "mueller"],
    ["0221/1234567", "mueller"],
    ["02211234567", "mueller"],
    ["+49 221 1234567", "mueller"],
    ["+49 (0)221 123 45 67", "mueller"],
    ["1234567", "mueller"],
    ["030 9876543", "schmidt"],
    ["0171-2345678", "schmidt"],
    ["K-4711", "schmidt"],
    ["4711", "schmidt"],
    ["100815", "mueller"],
    ["0815", "mueller"],
    ["erika.mustermann@", "schmidt"],
    ["schmidt-soehne", "schmidt"],
    ["info@baeckerei-mueller.de", "mueller"],
    ["hans.meier@baeck", "mueller"],
    ["Erika.Mustermann@Schmidt-S", "schmidt"],
    ["meier@baeckerei", "mueller"],
    ["DE136695976", "mueller"],
    ["50667", "mueller"],
    ["Köln", "mueller"],
    ["koeln", "mueller"],
    ["Stammkunde", "mueller"],
    ["Leipzig", "muellers"],
    ["Müllers", "muellers"],
  ];

  it.each(FIRST)("%s → %s first", async (q, expected) => {
    const { results } = await search(q);
    expect(results.length, `no results for ${q}`).toBeGreaterThan(0);
    expect(results[0]!.customerId, JSON.stringify(results.slice(0, 3))).toBe(ids[expected]);
  });

  it("ranks an exact name above a longer name starting with it, and says why", async () => {
    const { results } = await search("Müller");
    const order = results.map((r) => r.customerId);
    expect(order.indexOf(ids.mueller)).toBeLessThan(order.indexOf(ids.muellers));
    const first = results[0]!;
    const name = first.matches.find((m) => m.field === "name")!;
    expect(name.kind).toBe("exact");
    expect(name.value).toBe("Bäckerei Müller GmbH");
    expect(name.highlights.map(([s, e]) => name.value.slice(s, e))).toEqual(["Müller"]);
  });

  it("highlights the folded match in the original spelling", async () => {
    const { results } = await search("Mueller");
    const name = results[0]!.matches.find((m) => m.field === "name")!;
    expect(name.highlights.map(([s, e]) => name.value.slice(s, e))).toEqual(["Müller"]);
    const street = (await search("Hauptstrasse")).results[0]!.matches.find((m) => m.field === "street")!;
    expect(street.highlights.map(([s, e]) => street.value.slice(s, e))).toEqual(["Hauptstraße"]);
  });

  it("finds phonetic variants (Meier / Meyer / Maier) through the tolerant pass", async () => {
    const { results, tolerant } = await search("Mayer");
    expect(tolerant).toBe(true);
    const top = results.slice(0, 3).map((r) => r.customerId);
    expect(top).toEqual(expect.arrayContaining([ids.maier, ids.meyer, ids.mueller]));
  });

  it("fills a short list of one word's exact results with its sound-alikes", async () => {
    // "Maier" is Maier Metallbau's name exactly; Meier (a contact) and Meyer sound the same.
    const { results, tolerant } = await search("Maier");
    expect(tolerant).toBe(true);
    expect(results[0]!.customerId).toBe(ids.maier);
    expect(results.map((r) => r.customerId)).toEqual(expect.arrayContaining([ids.meyer, ids.mueller]));
  });

  it("corrects a misspelt word among words typed in full, and falls back to prefixes when they are not whole words", async () => {
    const whole = await search("Metallbau Maiir");
    expect(whole.tolerant).toBe(true);
    expect(whole.results[0]!.customerId).toBe(ids.maier);
    // "Met" is no whole word of anyone: the whole-word try finds nobody, the prefix one finds Maier Metallbau.
    const fragment = await search("Met Maiir");
    expect(fragment.tolerant).toBe(true);
    expect(fragment.results[0]!.customerId).toBe(ids.maier);
  });

  it("names the contact a result matched through", async () => {
    const { results } = await search("Erika Mustermann");
    expect(results[0]).toMatchObject({
      customerId: ids.schmidt,
      contact: { id: contactIds.schmidt[0], name: "Erika Mustermann" },
    });
    expect(results[0]!.matches.map((m) => m.field)).toContain("contactName");
  });

  it("finds an e-mail address typed from its start by that address alone, and highlights what was typed", async () => {
    const { results } = await search("hans.meier@baeck");
    // Only the address's own customer: its words (hans, meier) would add every other Meier.
    expect(results.map((r) => r.customerId)).toEqual([ids.mueller]);
    expect(results[0]!.contact).toEqual({ id: contactIds.mueller[0], name: "Hans Meier" });
    const email = results[0]!.matches[0]!;
    expect(email).toMatchObject({ field: "email", kind: "prefix", value: "hans.meier@baeckerei-mueller.de" });
    expect(email.highlights.map(([s, e]) => email.value.slice(s, e))).toEqual(["hans.meier@baeck"]);
    const whole = (await search("HANS.MEIER@baeckerei-mueller.de")).results[0]!;
    expect(whole.matches[0]).toMatchObject({ field: "email", kind: "exact" });
  });

  it("falls back to the words of an address that starts nowhere", async () => {
    const { results } = await search("meier@baeckerei");
    expect(results[0]!.customerId).toBe(ids.mueller);
    expect(results[0]!.matches[0]!.kind).not.toBe("prefix");
  });

  it("does not run the tolerant pass when the exact one found enough", async () => {
    const { tolerant } = await search("Bäckerei", 1);
    expect(tolerant).toBe(false);
  });

  it("looks up words typed in full as whole words first, so the customer meant is not lost among prefix matches", async () => {
    // More customers than a pass reads whose name starts with what was typed ("Zwackel" → Zwackelmann),
    // stored before the one meant: read as prefixes, the index would hand out only those.
    for (let i = 0; i < 65; i++) {
      const res = await api.post("/customers", { kind: "company", name1: `Zwackelmann Orgelbau ${i}` });
      expect(res.statusCode, res.body).toBe(201);
    }
    const meant = await api.post("/customers", {
      kind: "company",
      name1: "Zwackelmann Orgelbau",
      contacts: [{ firstName: "Anna", lastName: "Zwackel" }],
    });
    expect(meant.statusCode, meant.body).toBe(201);
    const { results } = await search("Zwackel Zwackelmann Orgel");
    expect(results[0]!.customerId).toBe(meant.json().customer.id);
    expect(results[0]!.contact?.name).toBe("Anna Zwackel");
    // Fragments of every word are still prefixes: all of them are found.
    expect((await search("Zwack Orgel", 50)).results).toHaveLength(50);
  });

  it("knows from the vocabulary whether a word is typed in full, only begun, or nowhere (what decides the passes)", async () => {
    // "zwackel" is a contact's surname and the beginning of "zwackelmann"; "zwackelm" only the beginning.
    expect(await knownWords(env().db, ["zwackel", "zwackelm", "orgelbau", "orgelb", "zwockel"])).toEqual([
      "whole",
      "prefix",
      "whole",
      "prefix",
      "none",
    ]);
    // A fragment before the last word is read as a prefix at once and still finds the customer.
    const { results } = await search("Zwackelm Anna");
    expect(results.map((r) => [r.name, r.contact?.name])).toEqual([["Zwackelmann Orgelbau", "Anna Zwackel"]]);
  });

  it("finds a word by every beginning, however long (PostgreSQL: 2 to 8 letters are lexemes of their own)", async () => {
    const id = (
      await api.post("/customers", {
        kind: "company",
        name1: "Brombeerhausener Feinkost",
        addresses: [{ type: "billing", street: "Am Kai 1", postalCode: "28195", city: "Bremen" }],
      })
    ).json().customer.id as number;
    const word = "Brombeerhausener";
    // From 9 letters a prefix, up to 8 a word beginning the index holds (PostgreSQL); each with a second fragment.
    for (let n = 2; n <= word.length; n++) {
      const { results } = await search(`${word.slice(0, n)} Feink`);
      expect(
        results.map((r) => r.customerId),
        `"${word.slice(0, n)} Feink"`,
      ).toContain(id);
    }
    // A postal code's beginning is a word beginning too.
    expect((await search("2819 Feinkost")).results.map((r) => r.customerId)).toContain(id);
  });

  it("reads words that begin with what was typed first, and words containing it only when those do not fill the list", async () => {
    const begins: number[] = [];
    for (let i = 0; i < 12; i++) {
      begins.push(
        (await api.post("/customers", { kind: "company", name1: `Quendelhof Gärtnerei ${i}` })).json().customer.id,
      );
    }
    const inner = (await api.post("/customers", { kind: "company", name1: "Altquendelhof Baumschule" })).json().customer
      .id as number;
    const passes = async (q: string, limit: number) => {
      const stages: string[] = [];
      const res = await searchService(env().db, SYSTEM_CONTEXT, { q, limit }, (stage) => stages.push(stage));
      return { stages, ids: res.results.map((r) => r.customerId) };
    };
    // Twelve begin with "Quendel": ten fill the list, the one containing it is not read.
    const ten = await passes("Quendel", 10);
    expect(ten.stages).toEqual(["strict: beginnings"]);
    expect(ten.ids).toHaveLength(10);
    expect(begins).toEqual(expect.arrayContaining(ten.ids));
    // Twenty do not fill up from twelve: the word inside Altquendelhof comes after them.
    const twenty = await passes("Quendel", 20);
    expect(twenty.stages).toEqual(["strict: beginnings", "strict"]);
    expect(twenty.ids.slice(0, 12).sort((a, b) => a - b)).toEqual(begins);
    expect(twenty.ids[12]).toBe(inner);
    // The same for the last of several words typed in full before it ("words" pass).
    expect((await passes("Quendelhof Gärt", 10)).stages.filter((s) => s !== "known")).toEqual(["words: beginnings"]);
    // Nobody whose words begin with both: the inner part finds it.
    expect((await passes("Quendel Baumsch", 10)).ids).toEqual([inner]);
  });

  it("finds a long word typed in full also as the end of longer words, ranked after the word itself", async () => {
    const street = async (name1: string, s: string) =>
      (
        await api.post("/customers", {
          kind: "company",
          name1,
          addresses: [{ type: "billing", street: s, postalCode: "69117", city: "Heidelberg" }],
        })
      ).json().customer.id as number;
    const plain = await street("Quirinus Weinhandel", "Zwiebelgasse 2");
    const inner = await street("Quirinus Feinkost", "Marktzwiebelgasse 9");
    const ranked = (await search("Quirinus Zwiebelgasse")).results.map((r) => r.customerId);
    expect(ranked.slice(0, 2)).toEqual([plain, inner]);
  });

  it("returns nothing for words no customer has", async () => {
    expect((await search("Xylophonbau Quark")).results).toEqual([]);
  });

  describe("the index follows every change in the same transaction", () => {
    it("create, rename, contact added and removed, delete", async () => {
      const created = await api.post("/customers", {
        kind: "company",
        name1: "Zwiebelhof Quast",
        addresses: [{ type: "billing", street: "Feldweg 9", postalCode: "01067", city: "Dresden" }],
      });
      const id = created.json().customer.id as number;
      expect((await search("Zwiebelhof")).results.map((r) => r.customerId)).toEqual([id]);

      const renamed = await api.patch(`/customers/${id}`, { name1: "Knoblauchhof Quast" }, 1);
      expect(renamed.statusCode, renamed.body).toBe(200);
      expect((await search("Zwiebelhof")).results).toEqual([]);
      expect((await search("Knoblauchhof")).results.map((r) => r.customerId)).toEqual([id]);

      const contact = await api.post(`/customers/${id}/contacts`, { firstName: "Quirin", lastName: "Zapfenstreich" });
      expect(contact.statusCode, contact.body).toBe(201);
      expect((await search("Zapfenstreich")).results.map((r) => r.customerId)).toEqual([id]);
      const removed = await api.del(`/customers/${id}/contacts/${contact.json().id}`, 1);
      expect(removed.statusCode, removed.body).toBe(204);
      expect((await search("Zapfenstreich")).results).toEqual([]);

      const version = (await api.get(`/customers/${id}`)).json().version;
      const deleted = await api.del(`/customers/${id}`, version);
      expect(deleted.statusCode, deleted.body).toBe(204);
      expect((await search("Knoblauchhof")).results).toEqual([]);
    });
  });

  it("restricted sales users find only the customers they may see", async () => {
    const own = await api.post("/customers", {
      kind: "company",
      name1: "Eigenkunde Quellwerk",
      owner: "vertrieb@kundenakte.test",
    });
    await api.post("/customers", { kind: "company", name1: "Fremdkunde Quellwerk", owner: "andere@kundenakte.test" });
    const settings = (await api.get("/settings")).json();
    expect((await api.patch("/settings", { rowLevelSales: true }, settings.version)).statusCode).toBe(200);
    const { token } = await tokenFor(env().app, env().db, "vertrieb@kundenakte.test", ["sales"]);
    const sales = client(
      () => env().app,
      () => token,
    );
    let res: { results: { customerId: number }[] };
    try {
      res = (await sales.get("/search?q=Quellwerk")).json();
    } finally {
      await api.patch("/settings", { rowLevelSales: false }, settings.version + 1);
    }
    expect(res.results.map((r: { customerId: number }) => r.customerId)).toEqual([own.json().customer.id]);
    expect((await sales.get("/search?q=Fremdkunde")).json().results).toHaveLength(1);
  });

  it("builds the entries of customers stored before the index existed (upgrade)", async () => {
    const db = env().db;
    await db.kysely.deleteFrom("search_entries").where("customer_id", "=", ids.maier).execute();
    expect((await search("Metallbau")).results).toEqual([]);
    await db.kysely.updateTable("search_index_state").set({ scheme: 0 }).execute();
    expect(await ensureSearchIndex(db)).toBeGreaterThanOrEqual(Object.keys(CUSTOMERS).length);
    expect((await search("Metallbau")).results[0]!.customerId).toBe(ids.maier);
    // Done once: the next start finds the index current.
    expect(await ensureSearchIndex(db)).toBe(0);
  });

  it("demo data seeded into a fresh database leaves the index current (no rebuild at the next start)", async () => {
    const fresh = await createTestDatabase(env().engine);
    try {
      expect(await seedDemo(fresh.db, SYSTEM_CONTEXT, { customers: 3, contactsPerCustomer: 1 })).toBe(3);
      expect(await ensureSearchIndex(fresh.db)).toBe(0);
    } finally {
      await fresh.drop();
    }
  });

  it("housekeeping (kundenakte optimize) merges the search index into one segment and keeps every result", async () => {
    const before = (await search("Müller", 50)).results.map((r) => r.customerId);
    // Every write transaction so far added a segment (FTS5 merges them only partly on its own).
    if (env().engine === "sqlite") expect(await searchIndexSegments(env().db)).toBeGreaterThan(1);
    const steps = await optimizeDatabase(env().db);
    expect(steps.length).toBeGreaterThan(0);
    for (const s of steps) expect(s.ms).toBeGreaterThanOrEqual(0);
    if (env().engine === "sqlite") {
      expect(await searchIndexSegments(env().db)).toBe(1);
    } else {
      const { rows } = await sql<{ vacuumed: boolean }>`
        select last_vacuum is not null and last_analyze is not null as vacuumed
          from pg_stat_user_tables where schemaname = current_schema() and relname = 'search_entries'`.execute(
        env().db.kysely,
      );
      expect(rows).toEqual([{ vacuumed: true }]);
    }
    expect((await search("Müller", 50)).results.map((r) => r.customerId)).toEqual(before);
  });

  it("validates the query", async () => {
    expectProblem(await api.get("/search?q="), 400, "validation_failed");
    expectProblem(await api.get("/search"), 400, "validation_failed");
    expectProblem(await api.get(`/search?q=${"x".repeat(201)}`), 400, "validation_failed");
    expectProblem(await api.get("/search?q=abc&limit=0"), 400, "validation_failed");
    expectProblem(await api.get("/search?q=abc&bogus=1"), 400, "validation_failed");
  });
});
