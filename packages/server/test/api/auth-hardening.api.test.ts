import { readFileSync } from "node:fs";
import { Writable } from "node:stream";
import { sql } from "kysely";
import { expect, it } from "vitest";
import { buildApp } from "../../src/app.js";
import { SYSTEM_CONTEXT } from "../../src/http/context.js";
import { BUILT_IN_ROLE_DEFINITIONS } from "../../src/modules/auth/built-in-roles.js";
import { withRoleTable } from "../../src/modules/auth/role-table.js";
import { SECURITY_EVENTS } from "../../src/modules/auth/security-events.js";
import { resetPassword } from "../../src/modules/auth/users.service.js";
import { createTestDatabase, forEachEngine, tokenFor } from "../support/engines.js";
import { client, expectProblem, fieldCodes } from "../support/http.js";

const PASSWORD = "correct horse battery staple";
const README = new URL("../../../../README.md", import.meta.url);
const OPERATIONS = new URL("../../../../docs/OPERATIONS.md", import.meta.url);

forEachEngine("auth hardening", (env) => {
  /** A caller with the given bearer token (none: anonymous). */
  const as = (token: string | null) =>
    client(
      () => env().app,
      () => token,
    );
  const admin = client(
    () => env().app,
    () => env().adminToken,
  );
  const anonymous = as(null);
  const newUser = (email: string, roles: string[]) => tokenFor(env().app, env().db, email, roles, ["read", "write"]);
  const forgetThrottles = () => sql`delete from login_throttle`.execute(env().db.kysely);

  /** Logs in through the API; returns a caller with the session cookie and CSRF token. */
  async function login(email: string, password = PASSWORD) {
    const res = await anonymous.post("/auth/login", { email, password });
    expect(res.statusCode, res.body).toBe(200);
    const cookie = /kundenakte_session=([^;]+)/.exec(String(res.headers["set-cookie"]))![1]!;
    const csrf = res.json().csrfToken as string;
    return (method: "GET" | "POST" | "DELETE", url: string, body?: unknown) =>
      env().app.inject({
        method,
        url: `/api/v1${url}`,
        payload: body as never,
        headers: { cookie: `kundenakte_session=${cookie}`, "x-csrf-token": csrf },
      });
  }

  it("20 parallel logins (19 wrong, 1 right) over HTTP: at most 5 are checked, the account ends locked", async () => {
    await forgetThrottles();
    await newUser("parallel@kundenakte.test", ["sales"]);
    const address = await env().app.listen({ port: 0, host: "127.0.0.1" });
    const attempt = (password: string) =>
      fetch(`${address}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "parallel@kundenakte.test", password }),
      });
    const passwords = Array.from({ length: 20 }, (_, i) => (i === 13 ? PASSWORD : `wrong guess ${i}`));
    const answers = await Promise.all(passwords.map(attempt));
    const statuses = answers.map((r) => r.status);
    const checked = statuses.filter((s) => s === 401 || s === 200).length;
    expect(statuses.filter((s) => s === 429).length, String(statuses)).toBe(15);
    expect(checked, String(statuses)).toBe(5);
    // Locked now, for the right password too; the failures were not reset by a success.
    const after = await attempt(PASSWORD);
    expect(after.status).toBe(429);
    expect(after.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect((await after.json()).code).toBe("too_many_requests");
    const row = await env()
      .db.kysely.selectFrom("login_throttle")
      .selectAll()
      .where("key", "=", "account:parallel@kundenakte.test")
      .executeTakeFirstOrThrow();
    expect(row.failures).toBeGreaterThanOrEqual(5);
    expect(Date.parse(row.locked_until!)).toBeGreaterThan(Date.now());
    await forgetThrottles();
  });

  it("a right password after failures in parallel keeps their count; alone it forgets them", async () => {
    await forgetThrottles();
    await newUser("forgive@kundenakte.test", ["sales"]);
    for (let i = 0; i < 3; i++) {
      expectProblem(
        await anonymous.post("/auth/login", { email: "forgive@kundenakte.test", password: "wrong" }),
        401,
        "unauthenticated",
      );
    }
    await login("forgive@kundenakte.test");
    const rows = await env()
      .db.kysely.selectFrom("login_throttle")
      .selectAll()
      .where("key", "like", "account:%")
      .execute();
    expect(rows).toEqual([]);
    await forgetThrottles();
  });

  it("a deactivated account answers exactly like a wrong password, and counts like one", async () => {
    await forgetThrottles();
    const { userId } = await newUser("gone@kundenakte.test", ["sales"]);
    const user = (await admin.get(`/users/${userId}`)).json();
    expect((await admin.patch(`/users/${userId}`, { active: false }, user.version)).statusCode).toBe(200);
    const right = await anonymous.post("/auth/login", { email: "gone@kundenakte.test", password: PASSWORD });
    const wrong = await anonymous.post("/auth/login", { email: "gone@kundenakte.test", password: "not the password" });
    const a = expectProblem(right, 401, "unauthenticated");
    const b = expectProblem(wrong, 401, "unauthenticated");
    expect(a.detail).toBe(b.detail);
    expect(a.detail).toBe("E-mail or password is wrong");
    expect(Object.keys(right.json()).sort()).toEqual(Object.keys(wrong.json()).sort());
    expect(right.headers["retry-after"]).toBeUndefined();
    // Both counted: three more attempts reach the limit of five, whichever password they carry.
    for (let i = 0; i < 3; i++) {
      await anonymous.post("/auth/login", { email: "gone@kundenakte.test", password: PASSWORD });
    }
    expectProblem(
      await anonymous.post("/auth/login", { email: "gone@kundenakte.test", password: PASSWORD }),
      429,
      "too_many_requests",
    );
    await forgetThrottles();
  });

  it("/auth/password counts wrong current passwords like failed logins and answers 429 when locked", async () => {
    await forgetThrottles();
    await newUser("guesser@kundenakte.test", ["service"]);
    const s = await login("guesser@kundenakte.test");
    for (let i = 0; i < 5; i++) {
      const wrong = expectProblem(
        await s("POST", "/auth/password", { currentPassword: `guess ${i}`, newPassword: "a new long password" }),
        400,
        "validation_failed",
      );
      expect(fieldCodes(wrong)).toEqual(["currentPassword:wrong_password"]);
    }
    const locked = await s("POST", "/auth/password", { currentPassword: PASSWORD, newPassword: "a new long password" });
    const p = expectProblem(locked, 429, "too_many_requests");
    expect(p.detail).toMatch(/Too many failed logins for this account\. Try again in 15 minutes\./);
    expect(locked.headers["retry-after"]).toBe("900");
    // The same lock as a login's: the answer there has the same shape.
    const viaLogin = await anonymous.post("/auth/login", { email: "guesser@kundenakte.test", password: PASSWORD });
    expect(expectProblem(viaLogin, 429, "too_many_requests").detail).toBe(p.detail);
    // The password did not change.
    await forgetThrottles();
    await login("guesser@kundenakte.test");
  });

  it("a password change ends the other sessions and revokes the API tokens at once; the session making it stays", async () => {
    await forgetThrottles();
    const { token } = await newUser("changer@kundenakte.test", ["sales"]);
    const mine = await login("changer@kundenakte.test");
    const other = await login("changer@kundenakte.test");
    const made = (await mine("POST", "/auth/tokens", { name: "ERP", scopes: ["read"], expiresInDays: 30 })).json();
    // Both tokens are in use, so their principals sit in the cache.
    expect((await as(token).get("/customers")).statusCode).toBe(200);
    expect((await as(made.token).get("/customers")).statusCode).toBe(200);
    const res = await mine("POST", "/auth/password", { currentPassword: PASSWORD, newPassword: "a new long password" });
    expect(res.statusCode, res.body).toBe(204);
    expectProblem(await as(token).get("/customers"), 401, "unauthenticated");
    expectProblem(await as(made.token).get("/customers"), 401, "unauthenticated");
    expectProblem(await other("GET", "/customers"), 401, "unauthenticated");
    expect((await mine("GET", "/customers")).statusCode).toBe(200);
    const listed = (await mine("GET", "/auth/tokens")).json().items as { revokedAt: string | null }[];
    expect(listed.length).toBe(2);
    expect(listed.every((t) => t.revokedAt !== null)).toBe(true);
  });

  it("the user may keep their API tokens (revokeTokens: false); other sessions end anyway", async () => {
    await forgetThrottles();
    const { token } = await newUser("keeper@kundenakte.test", ["sales"]);
    const mine = await login("keeper@kundenakte.test");
    const other = await login("keeper@kundenakte.test");
    const res = await mine("POST", "/auth/password", {
      currentPassword: PASSWORD,
      newPassword: "a new long password",
      revokeTokens: false,
    });
    expect(res.statusCode, res.body).toBe(204);
    expect((await as(token).get("/customers")).statusCode).toBe(200);
    expectProblem(await other("GET", "/customers"), 401, "unauthenticated");
  });

  it("the CLI's password reset ends every session and revokes every API token of the user", async () => {
    await forgetThrottles();
    const { token, userId } = await newUser("lost@kundenakte.test", ["sales"]);
    const session = await login("lost@kundenakte.test");
    const ended = await resetPassword(env().db, SYSTEM_CONTEXT, "lost@kundenakte.test", "a fresh long password");
    expect(ended).toEqual({ endedSessions: 1, revokedTokens: 1 });
    // Another process changed the database: this instance follows within the cache time.
    env().app.authenticator.invalidate();
    expectProblem(await as(token).get("/customers"), 401, "unauthenticated");
    expectProblem(await session("GET", "/customers"), 401, "unauthenticated");
    const rows = await env()
      .db.kysely.selectFrom("api_tokens")
      .select("revoked_at")
      .where("user_id", "=", userId)
      .execute();
    expect(rows.every((r) => r.revoked_at !== null)).toBe(true);
    await login("lost@kundenakte.test", "a fresh long password");
  });

  it("deactivation revokes API tokens for good: reactivation does not revive them", async () => {
    await forgetThrottles();
    const { token, userId } = await newUser("returner@kundenakte.test", ["sales"]);
    expect((await as(token).get("/customers")).statusCode).toBe(200);
    let user = (await admin.get(`/users/${userId}`)).json();
    user = (await admin.patch(`/users/${userId}`, { active: false }, user.version)).json();
    expectProblem(await as(token).get("/customers"), 401, "unauthenticated");
    const back = await admin.patch(`/users/${userId}`, { active: true }, user.version);
    expect(back.statusCode, back.body).toBe(200);
    expectProblem(await as(token).get("/customers"), 401, "unauthenticated");
    // The person may log in again and make a new token.
    const s = await login("returner@kundenakte.test");
    const fresh = (await s("POST", "/auth/tokens", { name: "neu", scopes: ["read"], expiresInDays: 1 })).json();
    expect((await as(fresh.token).get("/customers")).statusCode).toBe(200);
  });

  it("a fresh installation's roles are the built-in definitions; finance writes products, sales reads payment terms", async () => {
    const stored = await env().db.kysely.selectFrom("roles").select(["key", "name", "permissions"]).execute();
    const asRead = Object.fromEntries(
      stored.map((r) => [
        r.key,
        {
          name: r.name,
          permissions: (typeof r.permissions === "string" ? JSON.parse(r.permissions) : r.permissions).sort(),
        },
      ]),
    );
    const defined = Object.fromEntries(
      Object.entries(BUILT_IN_ROLE_DEFINITIONS).map(([k, v]) => [
        k,
        { name: v.name, permissions: [...v.permissions].sort() },
      ]),
    );
    expect(asRead).toEqual(defined);
    const finance = as((await newUser("buchhaltung@kundenakte.test", ["finance"])).token);
    const sales = as((await newUser("vertrieb@kundenakte.test", ["sales"])).token);
    const product = await finance.post("/products", {
      articleNumber: "FIN-1",
      name: "Skontofähig",
      listPriceCents: 100,
    });
    expect(product.statusCode, product.body).toBe(201);
    expectProblem(await sales.post("/payment-terms", { code: "vt-1", netDays: 10, discounts: [] }), 403, "forbidden");
  });

  it("README.md's role table is the one the code generates", () => {
    const readme = readFileSync(README, "utf8");
    expect(withRoleTable(readme), "README.md's role table is out of date: run `npm run docs:roles`").toBe(readme);
  });

  it("logs security events as JSON lines with a stable `event`, all of them listed in OPERATIONS.md", async () => {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        for (const l of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(l));
        done();
      },
    });
    const { db, drop } = await createTestDatabase(env().engine);
    const app = await buildApp({ db, logger: { level: "info", stream } });
    try {
      const { token } = await tokenFor(app, db, "boss@kundenakte.test", ["admin"]);
      const boss = client(
        () => app,
        () => token,
      );
      const { userId } = await tokenFor(app, db, "log@kundenakte.test", ["read_only"]);
      const post = (url: string, payload: unknown) =>
        app.inject({ method: "POST", url: `/api/v1${url}`, payload: payload as never });
      for (let i = 0; i < 5; i++) await post("/auth/login", { email: "log@kundenakte.test", password: "wrong" });
      await post("/auth/login", { email: "log@kundenakte.test", password: PASSWORD });
      await db.kysely.deleteFrom("login_throttle").execute();
      expect((await post("/auth/login", { email: "log@kundenakte.test", password: PASSWORD })).statusCode).toBe(200);
      const made = (await boss.post("/auth/tokens", { name: "t", scopes: ["read"], expiresInDays: 1 })).json();
      expect((await boss.del(`/auth/tokens/${made.apiToken.id}`)).statusCode).toBe(204);
      expect(
        (
          await client(
            () => app,
            () => made.token,
          ).get("/customers")
        ).statusCode,
      ).toBe(401);
      const user = (await boss.get(`/users/${userId}`)).json();
      const changed = (await boss.patch(`/users/${userId}`, { roles: ["sales"] }, user.version)).json();
      const sales = (await boss.get("/roles")).json().items.find((r: { key: string }) => r.key === "read_only");
      await boss.patch("/roles/read_only", { permissions: [...sales.permissions, "tickets.create"] }, sales.version);
      await boss.patch(`/users/${userId}`, { active: false }, changed.version);
      const events = lines.filter((l) => l.security === true);
      const names = new Set(events.map((l) => l.event));
      for (const e of [
        "auth.login_failed",
        "auth.lockout",
        "auth.login_refused_locked",
        "auth.login_succeeded",
        "auth.token_created",
        "auth.token_revoked",
        "admin.user_roles_changed",
        "admin.role_changed",
        "admin.user_deactivated",
      ]) {
        expect(names, e).toContain(e);
      }
      const failed = events.find((l) => l.event === "auth.login_failed")!;
      expect(failed).toMatchObject({ email: "log@kundenakte.test", reason: "wrong_password", level: 40 });
      expect(typeof failed.reqId).toBe("string");
      expect(JSON.stringify(events)).not.toContain(PASSWORD);
      expect(JSON.stringify(events)).not.toContain(made.token);
      const deactivated = events.find((l) => l.event === "admin.user_deactivated")!;
      expect(deactivated).toMatchObject({ userId, revokedTokens: 1, actor: "boss@kundenakte.test" });
      // A forbidden request is a security event too.
      const ro = (await tokenFor(app, db, "ro@kundenakte.test", ["read_only"])).token;
      expect(
        (
          await client(
            () => app,
            () => ro,
          ).post("/customers", { kind: "company", name1: "X" })
        ).statusCode,
      ).toBe(403);
      expect(lines.some((l) => l.event === "auth.access_denied" && l.reason === "missing_permission")).toBe(true);
    } finally {
      await app.close();
      await drop();
    }
    const operations = readFileSync(OPERATIONS, "utf8");
    const section = operations.slice(operations.indexOf("## Security events"));
    const documented = new Set([...section.matchAll(/^\| `([a-z_.]+)` /gm)].map((m) => m[1]));
    expect(documented).toEqual(new Set(Object.keys(SECURITY_EVENTS)));
  });
});
