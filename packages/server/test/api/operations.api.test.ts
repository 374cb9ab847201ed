import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { buildApp } from "../../src/app.js";
import { optimizeDatabase } from "../../src/db/maintenance.js";
import { migrateDownOne, migrateToLatest, migrationStatus } from "../../src/db/migrator.js";
import { generateOpenApi } from "../../src/openapi.js";
import { createTestDatabase, ENGINES, forEachEngine, tokenFor } from "../support/engines.js";
import { client, expectProblem, fieldCodes } from "../support/http.js";

describe("OpenAPI document", () => {
  it("is committed and current (run `npm run openapi` after changing a route)", async () => {
    const committed = readFileSync(fileURLToPath(new URL("../../../../docs/openapi.json", import.meta.url)), "utf8");
    expect(committed).toBe(await generateOpenApi());
  });

  it("declares every route with its error responses as problem documents", async () => {
    const doc = JSON.parse(await generateOpenApi());
    expect(doc.openapi).toBe("3.1.0");
    const patch = doc.paths["/api/v1/customers/{id}"].patch;
    for (const status of ["200", "400", "404", "409", "412", "428"]) expect(patch.responses[status]).toBeDefined();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/customers",
        "/api/v1/customers/{id}/file",
        "/api/v1/customers/{id}/history",
        "/api/v1/customers/{id}/contacts/{childId}",
        "/api/v1/number-ranges/{key}",
        "/api/health",
        "/api/v1/auth/login",
        "/api/v1/users/{id}",
      ]),
    );
    expect(doc.components.securitySchemes).toMatchObject({
      cookieAuth: { type: "apiKey", in: "cookie" },
      bearerAuth: { type: "http", scheme: "bearer" },
    });
    expect(doc.paths["/api/health"].get.security).toEqual([]);
    expect(doc.paths["/api/v1/auth/login"].post.security).toEqual([]);
    expect(doc.paths["/api/v1/customers/{id}"].patch.security).toEqual([{ cookieAuth: [] }, { bearerAuth: [] }]);
    expect(doc.paths["/api/v1/customers/{id}"].patch.description).toContain("`customers.update`");
  });

  it("declares the problem document once, as a shared component every error response refers to", async () => {
    const text = await generateOpenApi();
    const doc = JSON.parse(text);
    expect(doc.components.schemas.Problem).toMatchObject({ required: ["type", "title", "status", "code", "detail"] });
    const errors: [string, { content?: Record<string, { schema: Record<string, unknown> }> }][] = [];
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, { responses: object }>>)) {
      for (const [method, op] of Object.entries(item)) {
        for (const [status, response] of Object.entries(op.responses ?? {})) {
          if (Number(status) >= 400) errors.push([`${method} ${path} ${status}`, response]);
        }
      }
    }
    expect(errors.length).toBeGreaterThan(800);
    // The readiness 503 adds its `checks` to the problem document: its own schema.
    const own = errors.filter(([, r]) => r.content?.["application/problem+json"]?.schema.$ref === undefined);
    expect(own.map(([where]) => where)).toEqual(["get /api/health/ready 503"]);
    for (const [where, r] of errors.filter(([w]) => !own.some(([o]) => o === w))) {
      expect(r.content, where).toEqual({
        "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } },
      });
    }
    // Inlined per route and status it was 8 MB.
    expect(text.length).toBeLessThan(2_000_000);
  });
});

forEachEngine("operations API", (env) => {
  const api = client(
    () => env().app,
    () => env().adminToken,
  );

  it("serves the health check, the OpenAPI document and the docs page", async () => {
    const health = await env().app.inject({ method: "GET", url: "/api/health" });
    expect(health.json()).toEqual({ status: "ok", database: env().engine });
    const doc = await env().app.inject({ method: "GET", url: "/api/openapi.json" });
    expect(doc.statusCode).toBe(200);
    expect(doc.json().info.title).toBe("Kundenakte API");
    const page = await env().app.inject({ method: "GET", url: "/api/docs/" });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toMatch(/text\/html/);
  });

  describe("number ranges", () => {
    it("changes prefix and width, moves forward only, needs the current version", async () => {
      const range = await api.get("/number-ranges/customer");
      expect(range.statusCode).toBe(200);
      const { version, nextValue } = range.json();
      expectProblem(await api.patch("/number-ranges/customer", { prefix: "K" }), 428, "precondition_required");
      const back = expectProblem(
        await api.patch("/number-ranges/customer", { nextValue: nextValue - 1 }, version),
        400,
        "validation_failed",
      );
      expect(fieldCodes(back)).toEqual(["nextValue:would_reuse"]);
      const ok = await api.patch(
        "/number-ranges/customer",
        { prefix: "K-", width: 7, nextValue: nextValue + 100 },
        version,
      );
      expect(ok.statusCode, ok.body).toBe(200);
      expectProblem(await api.patch("/number-ranges/customer", { prefix: "X" }, version), 412, "version_mismatch");
      const created = (await api.post("/customers", { kind: "company", name1: "Nummer" })).json();
      expect(created.customer.customerNumber).toBe(`K-${String(nextValue + 100).padStart(7, "0")}`);
      expectProblem(await api.get("/number-ranges/receipt"), 404, "not_found");
      expect((await api.get("/number-ranges")).json().items.map((r: { key: string }) => r.key)).toEqual([
        "credit_note",
        "customer",
        "delivery_note",
        "invoice",
        "order",
        "quote",
        "ticket",
      ]);
    });

    it("skips numbers that were taken by hand", async () => {
      const { version, nextValue, prefix, width } = (await api.get("/number-ranges/customer")).json();
      const taken = `${prefix}${String(nextValue).padStart(width, "0")}`;
      expect((await api.post("/customers", { kind: "company", name1: "Hand", customerNumber: taken })).statusCode).toBe(
        201,
      );
      const drawn = (await api.post("/customers", { kind: "company", name1: "Drawn" })).json().customer.customerNumber;
      expect(drawn).toBe(`${prefix}${String(nextValue + 1).padStart(width, "0")}`);
      expect(version).toBeGreaterThan(0);
    });
  });

  it("refuses a database whose migration history it does not recognise", async () => {
    const { db, drop } = await createTestDatabase(env().engine);
    try {
      await sql`insert into kundenakte_migrations (name, timestamp) values ('2099-01-01-001-from-the-future', '2099-01-01')`.execute(
        db.kysely,
      );
      await expect(migrateToLatest(db)).rejects.toThrow(/does not know \(2099-01-01-001-from-the-future\)/);
      expect((await migrationStatus(db)).unknown).toEqual(["2099-01-01-001-from-the-future"]);
    } finally {
      await drop();
    }
  });

  it("re-indexes existing journal entries when the full-text migration runs down and up again", async () => {
    const { db, drop } = await createTestDatabase(env().engine);
    const app = await buildApp({ db });
    try {
      const { token } = await tokenFor(app, db, "migrate@kundenakte.test", ["admin"]);
      const headers = { authorization: `Bearer ${token}` };
      const id = JSON.parse(
        (
          await app.inject({
            method: "POST",
            url: "/api/v1/customers",
            headers,
            payload: { kind: "company", name1: "Index KG" },
          })
        ).body,
      ).customer.id;
      await app.inject({
        method: "POST",
        url: `/api/v1/customers/${id}/journal`,
        headers,
        payload: { kind: "note", subject: "Kühlregal bestellt", occurredAt: "2024-05-06T07:08:09Z" },
      });
      const found = async () =>
        JSON.parse((await app.inject({ url: `/api/v1/customers/${id}/journal?q=kuehlregal`, headers })).body).items.map(
          (e: { subject: string }) => e.subject,
        );
      expect(await found()).toEqual(["Kühlregal bestellt"]);
      const name = "2026-11-26-007-journal-text-per-customer";
      let undone: string | null;
      do undone = await migrateDownOne(db);
      while (undone !== null && undone !== name);
      expect(undone).toBe(name);
      expect(await migrateToLatest(db)).toContain(name);
      expect(await found()).toEqual(["Kühlregal bestellt"]);
    } finally {
      await app.close();
      await drop();
    }
  });

  it("stores file documents compressed, and migration 017 rewrites documents stored as text", async () => {
    const { db, drop } = await createTestDatabase(env().engine);
    const app = await buildApp({ db });
    try {
      const { token } = await tokenFor(app, db, "documents@kundenakte.test", ["admin"]);
      const headers = { authorization: `Bearer ${token}` };
      const created = await app.inject({
        method: "POST",
        url: "/api/v1/customers",
        headers,
        payload: {
          kind: "company",
          name1: "Kompakt Akten GmbH & Co. KG",
          notes: "Umlaute bleiben: äöüß – „Anführung“ 😀",
          addresses: [{ type: "billing", street: "Lange Straße 1", postalCode: "10115", city: "Berlin" }],
          contacts: [{ firstName: "Jörg", lastName: "Müller", isPrimary: true, email: "joerg@kompakt.example" }],
        },
      });
      const id = JSON.parse(created.body).customer.id as number;
      const file = async () => (await app.inject({ url: `/api/v1/customers/${id}/file`, headers })).body;
      const stored = async () => {
        const row = await db.kysely
          .selectFrom("customer_file_documents")
          .select("body")
          .where("customer_id", "=", id)
          .executeTakeFirstOrThrow();
        return typeof row.body === "string" ? Buffer.from(row.body, "utf8") : Buffer.from(row.body);
      };
      const before = await file();
      // Format byte 1 (deflate with the preset dictionary), far smaller than the JSON.
      expect((await stored())[0]).toBe(1);
      expect((await stored()).length).toBeLessThan(before.length / 3);

      const name = "2026-12-08-017-file-read-path";
      let undone: string | null;
      do undone = await migrateDownOne(db);
      while (undone !== null && undone !== name);
      expect(undone).toBe(name);
      // Undone: the document is the JSON text again (the file without the per-request members).
      const text = (await stored()).toString("utf8");
      expect(text).toMatch(/^\{"customer":/);
      expect(before.startsWith(text.slice(0, -1))).toBe(true);
      expect(await migrateToLatest(db)).toContain(name);
      expect((await stored())[0]).toBe(1);
      expect(await file()).toBe(before);
    } finally {
      await app.close();
      await drop();
    }
  });

  it("answers a 500 that reveals nothing internal but a request id", async () => {
    const { db, drop } = await createTestDatabase(env().engine);
    const app = await buildApp({ db });
    try {
      const { token } = await tokenFor(app, db, "ops@kundenakte.test", ["admin"]);
      const headers = { authorization: `Bearer ${token}` };
      const created = await app.inject({
        method: "POST",
        url: "/api/v1/customers",
        payload: { kind: "company", name1: "A" },
        headers,
      });
      expect(created.statusCode).toBe(201);
      await sql`drop table customer_tags`.execute(db.kysely);
      const res = await app.inject({ method: "GET", url: `/api/v1/customers/${created.json().customer.id}`, headers });
      const body = expectProblem(res, 500, "internal_error");
      expect(body.detail).toContain(res.headers["x-request-id"] as string);
      expect(res.body).not.toMatch(/customer_tags|sql|table|stack/i);
    } finally {
      await app.close();
      await drop();
    }
  });
});

// SQLite only: PostgreSQL gives space back with (auto)vacuum, tested with the search index.
describe.runIf(ENGINES.includes("sqlite"))("housekeeping [sqlite]", () => {
  it("housekeeping gives a quarter or more of free pages back to the file system (SQLite VACUUM)", async () => {
    const { db, drop } = await createTestDatabase("sqlite");
    try {
      const pragma = async (name: string) =>
        Number(Object.values((await sql.raw(`pragma ${name}`).execute(db.kysely)).rows[0] as object)[0]);
      // Less than a quarter free: no VACUUM (it rewrites the whole file).
      expect((await optimizeDatabase(db)).map((s) => s.step).join()).not.toMatch(/VACUUM/);
      await sql`create table scratch_pages (x blob)`.execute(db.kysely);
      await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < 1500)
          insert into scratch_pages select randomblob(4000) from n`.execute(db.kysely);
      await sql`drop table scratch_pages`.execute(db.kysely);
      expect(await pragma("freelist_count")).toBeGreaterThan(1000);
      const steps = (await optimizeDatabase(db)).map((s) => s.step);
      expect(steps.some((s) => /free pages back \(VACUUM\)/.test(s))).toBe(true);
      expect(await pragma("freelist_count")).toBe(0);
    } finally {
      await drop();
    }
  });
});
