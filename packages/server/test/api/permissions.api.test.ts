import { BUILT_IN_ROLES } from "@kundenakte/contract";
import { beforeAll, describe, expect, it } from "vitest";
import { listRoles } from "../../src/modules/auth/users.service.js";
import { forEachEngine, tokenFor } from "../support/engines.js";
import { client, expectProblem } from "../support/http.js";

/**
 * Generated from the server's route table: every route × every built-in role. A route that
 * declares no permission fails here; a role without the route's permission gets 403; a role
 * with it never gets 401 or 403.
 */
forEachEngine("permissions of every route", (env) => {
  const tokens = new Map<string, string>();
  const permissions = new Map<string, Set<string>>();
  let customerId = 0;

  beforeAll(async () => {
    for (const role of BUILT_IN_ROLES) {
      tokens.set(role, (await tokenFor(env().app, env().db, `${role}@matrix.test`, [role])).token);
    }
    for (const r of await listRoles(env().db)) permissions.set(r.key, new Set(r.permissions));
    const admin = client(
      () => env().app,
      () => env().adminToken,
    );
    customerId = (await admin.post("/customers", { kind: "company", name1: "Matrix GmbH" })).json().customer.id;
  });

  it("every route declares who may use it", () => {
    const missing = env()
      .app.routeTable.filter((r) => !r.access)
      .map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
    expect(env().app.routeTable.length).toBeGreaterThan(30);
  });

  it("every protected route × every built-in role answers as the role's permissions say", async () => {
    const routes = env().app.routeTable.filter((r) => r.access && r.access !== "public");
    const failures: string[] = [];
    for (const route of routes) {
      const url = route.url
        .replace(":childId", "999999")
        .replace(":id", route.url.startsWith("/api/v1/customers") ? String(customerId) : "999999")
        .replace(":key", "customer");
      for (const role of BUILT_IN_ROLES) {
        const res = await env().app.inject({
          method: route.method as "GET",
          url,
          payload: route.method === "GET" || route.method === "DELETE" ? undefined : {},
          headers: { authorization: `Bearer ${tokens.get(role)}` },
        });
        const allowed = route.access === "authenticated" || permissions.get(role)!.has(route.access!);
        const denied = res.statusCode === 403;
        if (res.statusCode === 401 || allowed === denied) {
          failures.push(`${role} ${route.method} ${route.url} (${route.access}) → ${res.statusCode}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it("the built-in roles differ as documented", () => {
    const has = (role: string, p: string) => permissions.get(role)!.has(p);
    expect(has("admin", "users.update") && has("admin", "finance.read")).toBe(true);
    expect(has("finance", "finance.update")).toBe(true);
    for (const role of ["sales", "marketing", "service", "read_only"]) expect(has(role, "finance.read")).toBe(false);
    expect(has("read_only", "customers.update")).toBe(false);
    expect(has("sales", "customers.delete")).toBe(true);
    expect(has("service", "customers.delete")).toBe(false);
    expect(has("sales", "users.read")).toBe(false);
  });

  describe("editable by admins", () => {
    it("a role without a permission loses the route at once", async () => {
      const admin = client(
        () => env().app,
        () => env().adminToken,
      );
      const role = (await admin.get("/roles")).json().items.find((r: { key: string }) => r.key === "read_only");
      const withoutHistory = role.permissions.filter((p: string) => p !== "history.read");
      const res = await admin.patch("/roles/read_only", { permissions: withoutHistory }, role.version);
      expect(res.statusCode, res.body).toBe(200);
      const reader = client(
        () => env().app,
        () => tokens.get("read_only")!,
      );
      expectProblem(await reader.get(`/customers/${customerId}/history`), 403, "forbidden");
      expect((await reader.get(`/customers/${customerId}`)).statusCode).toBe(200);
      const back = await admin.patch("/roles/read_only", { permissions: role.permissions }, role.version + 1);
      expect(back.statusCode).toBe(200);
      expect((await reader.get(`/customers/${customerId}/history`)).statusCode).toBe(200);
      expectProblem(
        await admin.patch("/roles/read_only", { permissions: ["customers.fly"] }, role.version + 2),
        400,
        "validation_failed",
      );
      const adminRole = (await admin.get("/roles")).json().items.find((r: { key: string }) => r.key === "admin");
      expectProblem(
        await admin.patch("/roles/admin", { permissions: ["customers.read"] }, adminRole.version),
        400,
        "validation_failed",
      );
    });
  });
});

forEachEngine("finance data and the row-level rule", (env) => {
  const admin = client(
    () => env().app,
    () => env().adminToken,
  );
  let sales: ReturnType<typeof client>;
  let finance: ReturnType<typeof client>;
  let id = 0;

  beforeAll(async () => {
    const s = await tokenFor(env().app, env().db, "vertrieb@kundenakte.test", ["sales"], ["read", "write"], "Bayern");
    const f = await tokenFor(env().app, env().db, "buchhaltung@kundenakte.test", ["finance"]);
    sales = client(
      () => env().app,
      () => s.token,
    );
    finance = client(
      () => env().app,
      () => f.token,
    );
    const created = await admin.post("/customers", {
      kind: "company",
      name1: "Bank GmbH",
      owner: "vertrieb@kundenakte.test",
      region: "Hessen",
      bankAccounts: [{ iban: "DE89370400440532013000" }],
    });
    id = created.json().customer.id;
  });

  it("bank accounts are absent for sales in the file, the create response and the history", async () => {
    expect((await finance.get(`/customers/${id}/file`)).json().bankAccounts).toHaveLength(1);
    const file = await sales.get(`/customers/${id}/file`);
    expect(file.statusCode).toBe(200);
    expect(file.json()).not.toHaveProperty("bankAccounts");
    expect(file.body).not.toContain("DE89370400440532013000");
    const created = await sales.post("/customers", { kind: "company", name1: "Ohne Bank" });
    expect(created.json()).not.toHaveProperty("bankAccounts");
    expectProblem(
      await sales.post("/customers", {
        kind: "company",
        name1: "Mit Bank",
        bankAccounts: [{ iban: "DE89370400440532013000" }],
      }),
      403,
      "forbidden",
    );
    expectProblem(await sales.get(`/customers/${id}/bank-accounts`), 403, "forbidden");
    const history = await sales.get(`/customers/${id}/history`);
    expect(history.body).not.toContain("DE89370400440532013000");
    expect(history.json().items.map((h: { entityType: string }) => h.entityType)).not.toContain("bank_account");
    expect((await finance.get(`/customers/${id}/history`)).body).toContain("DE89370400440532013000");
    const list = await sales.get("/customers?limit=500");
    expect(list.body).not.toContain("DE8937040044");
    expect(JSON.stringify((await sales.get(`/customers/${id}`)).json())).not.toMatch(/iban|bankAccounts/i);
  });

  it("with the row-level rule on, sales users see only customers they own or of their region", async () => {
    const other = (
      await admin.post("/customers", {
        kind: "company",
        name1: "Fremd AG",
        region: "Hamburg",
        owner: "someone@else.test",
      })
    ).json().customer.id;
    const bavarian = (await admin.post("/customers", { kind: "company", name1: "Bayern KG", region: "Bayern" })).json()
      .customer.id;
    expect((await sales.get(`/customers/${other}`)).statusCode).toBe(200);
    const settings = await admin.get("/settings");
    expect(settings.json().rowLevelSales).toBe(false);
    expect((await admin.patch("/settings", { rowLevelSales: true }, settings.json().version)).statusCode).toBe(200);
    try {
      expectProblem(await sales.get(`/customers/${other}`), 404, "not_found");
      expectProblem(await sales.get(`/customers/${other}/file`), 404, "not_found");
      expectProblem(await sales.get(`/customers/${other}/contacts`), 404, "not_found");
      expectProblem(await sales.patch(`/customers/${other}`, { name2: "x" }, 1), 404, "not_found");
      expect((await sales.get(`/customers/${id}/file`)).statusCode).toBe(200);
      expect((await sales.get(`/customers/${bavarian}`)).statusCode).toBe(200);
      const ids = (await sales.get("/customers?limit=500"))
        .json()
        .items.map((i: { id: number }) => i.id)
        .sort();
      expect(ids).toEqual(expect.arrayContaining([id, bavarian]));
      expect(ids).not.toContain(other);
      expect((await admin.get(`/customers/${other}`)).statusCode).toBe(200);
    } finally {
      const s = (await admin.get("/settings")).json();
      await admin.patch("/settings", { rowLevelSales: false }, s.version);
    }
    expect((await sales.get(`/customers/${other}`)).statusCode).toBe(200);
  });
});
