import { sql } from "kysely";
import { expect, it } from "vitest";
import { buildApp } from "../../src/app.js";
import { createTestDatabase, forEachEngine, tokenFor } from "../support/engines.js";
import { client, expectProblem, fieldCodes } from "../support/http.js";

const PASSWORD = "correct horse battery staple";

forEachEngine("login, sessions and tokens", (env) => {
  const admin = client(
    () => env().app,
    () => env().adminToken,
  );
  const anonymous = client(
    () => env().app,
    () => null,
  );

  /** Logs in through the API and returns a client that sends the cookie (and CSRF token). */
  async function login(email: string, password = PASSWORD) {
    const res = await anonymous.post("/auth/login", { email, password });
    expect(res.statusCode, res.body).toBe(200);
    const setCookie = String(res.headers["set-cookie"]);
    const cookie = /kundenakte_session=([^;]+)/.exec(setCookie)![1]!;
    const csrf = res.json().csrfToken as string;
    const call = (
      method: "GET" | "POST" | "PATCH" | "DELETE",
      url: string,
      body?: unknown,
      csrfToken: string | null = csrf,
    ) =>
      env().app.inject({
        method,
        url: `/api/v1${url}`,
        payload: body as never,
        headers: { cookie: `kundenakte_session=${cookie}`, ...(csrfToken ? { "x-csrf-token": csrfToken } : {}) },
      });
    return { res, setCookie, cookie, csrf, call };
  }

  const newUser = (email: string, roles: string[], region: string | null = null) =>
    tokenFor(env().app, env().db, email, roles, ["read", "write"], region);

  it("needs a login or token for everything but login, health and the API description", async () => {
    expectProblem(await anonymous.get("/customers"), 401, "unauthenticated");
    expectProblem(await anonymous.post("/customers", { kind: "company", name1: "X" }), 401, "unauthenticated");
    expectProblem(await anonymous.get("/nothing-here"), 401, "unauthenticated");
    const app = env().app;
    expect((await app.inject("/api/health")).statusCode).toBe(200);
    expect((await app.inject("/api/openapi.json")).statusCode).toBe(200);
    expect((await app.inject("/api/docs/")).statusCode).toBe(200);
    expectProblem(await anonymous.get("/customers", { authorization: "Bearer ka_forged" }), 401, "unauthenticated");
    expectProblem(await anonymous.get("/customers", { authorization: "Basic abc" }), 401, "unauthenticated");
  });

  it("logs in with an HttpOnly, SameSite=Lax cookie; writes need the CSRF token; logout ends the session", async () => {
    await newUser("sabine@kundenakte.test", ["sales"]);
    const s = await login("Sabine@Kundenakte.test");
    expect(s.setCookie).toMatch(/HttpOnly/);
    expect(s.setCookie).toMatch(/SameSite=Lax/);
    expect(s.setCookie).not.toMatch(/Secure/);
    expect(s.res.json().user).toMatchObject({ email: "sabine@kundenakte.test", roles: ["sales"] });
    expect(s.res.json().permissions).toContain("customers.update");
    expect((await s.call("GET", "/customers")).statusCode).toBe(200);
    expect((await s.call("GET", "/auth/session")).json().user.email).toBe("sabine@kundenakte.test");
    expectProblem(await s.call("POST", "/customers", { kind: "company", name1: "Ohne Token" }, null), 403, "forbidden");
    expectProblem(await s.call("POST", "/customers", { kind: "company", name1: "Falsch" }, "wrong"), 403, "forbidden");
    const created = await s.call("POST", "/customers", { kind: "company", name1: "Mit Token" });
    expect(created.statusCode, created.body).toBe(201);
    // The audit trail names the real user.
    const history = (await admin.get(`/customers/${created.json().customer.id}/history`)).json();
    expect(history.items[0].actor).toBe("sabine@kundenakte.test");
    expect((await s.call("POST", "/auth/logout")).statusCode).toBe(204);
    expectProblem(await s.call("GET", "/customers"), 401, "unauthenticated");
  });

  it("sets Secure on the cookie behind TLS", async () => {
    const { db, drop } = await createTestDatabase(env().engine);
    const app = await buildApp({ db, trustProxy: true });
    try {
      await tokenFor(app, db, "tls@kundenakte.test", ["sales"]);
      const res = await app.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        payload: { email: "tls@kundenakte.test", password: PASSWORD },
        headers: { "x-forwarded-proto": "https" },
      });
      expect(res.statusCode).toBe(200);
      expect(String(res.headers["set-cookie"])).toMatch(/Secure/);
    } finally {
      await app.close();
      await drop();
    }
  });

  it("ends sessions after the idle time and after the absolute lifetime", async () => {
    await newUser("idle@kundenakte.test", ["read_only"]);
    const idle = await login("idle@kundenakte.test");
    const old = new Date(Date.now() - 3 * 3600_000).toISOString();
    await sql`update sessions set last_seen_at = ${old}`.execute(env().db.kysely);
    env().app.authenticator.invalidate();
    expectProblem(await idle.call("GET", "/customers"), 401, "unauthenticated");

    const absolute = await login("idle@kundenakte.test");
    expect((await absolute.call("GET", "/customers")).statusCode).toBe(200);
    await sql`update sessions set expires_at = ${new Date(Date.now() - 1000).toISOString()}`.execute(env().db.kysely);
    env().app.authenticator.invalidate();
    expectProblem(await absolute.call("GET", "/customers"), 401, "unauthenticated");
  });

  it("locks an account after 5 failed logins with a clear message, and lets it in again later", async () => {
    await newUser("locked@kundenakte.test", ["sales"]);
    for (let i = 0; i < 5; i++) {
      expectProblem(
        await anonymous.post("/auth/login", { email: "locked@kundenakte.test", password: "wrong password" }),
        401,
        "unauthenticated",
      );
    }
    const locked = await anonymous.post("/auth/login", { email: "locked@kundenakte.test", password: PASSWORD });
    const p = expectProblem(locked, 429, "too_many_requests");
    expect(p.detail).toMatch(/Too many failed logins for this account\. Try again in 15 minutes\./);
    expect(locked.headers["retry-after"]).toBe("900");
    // The lock ends with its time.
    await sql`update login_throttle set locked_until = ${new Date(Date.now() - 1000).toISOString()}, first_failure_at = ${new Date(Date.now() - 3600_000).toISOString()}`.execute(
      env().db.kysely,
    );
    expect(
      (await anonymous.post("/auth/login", { email: "locked@kundenakte.test", password: PASSWORD })).statusCode,
    ).toBe(200);
    // A success forgets the account's failures.
    expectProblem(
      await anonymous.post("/auth/login", { email: "locked@kundenakte.test", password: "wrong" }),
      401,
      "unauthenticated",
    );
    expect(
      (await anonymous.post("/auth/login", { email: "locked@kundenakte.test", password: PASSWORD })).statusCode,
    ).toBe(200);
  });

  it("locks an address after 20 failures across accounts", async () => {
    await sql`delete from login_throttle`.execute(env().db.kysely);
    await newUser("victim@kundenakte.test", ["sales"]);
    for (let i = 0; i < 20; i++) {
      await anonymous.post("/auth/login", { email: `nobody${i}@kundenakte.test`, password: "guess" });
    }
    const p = expectProblem(
      await anonymous.post("/auth/login", { email: "victim@kundenakte.test", password: PASSWORD }),
      429,
      "too_many_requests",
    );
    expect(p.detail).toContain("your address");
    await sql`delete from login_throttle`.execute(env().db.kysely);
  });

  it("answers an unknown e-mail like a wrong password", async () => {
    const a = expectProblem(
      await anonymous.post("/auth/login", { email: "ghost@kundenakte.test", password: "x" }),
      401,
      "unauthenticated",
    );
    expect(a.detail).toBe("E-mail or password is wrong");
  });

  it("API tokens: shown once, stored as a hash, read scope cannot write, revoked and expired tokens refused", async () => {
    const { token } = await newUser("integration@kundenakte.test", ["sales"]);
    const me = client(
      () => env().app,
      () => token,
    );
    const read = await me.post("/auth/tokens", { name: "Shop (lesen)", scopes: ["read"], expiresInDays: 30 });
    expect(read.statusCode, read.body).toBe(201);
    const readToken = read.json().token as string;
    expect(readToken).toMatch(/^ka_/);
    const stored = await sql<{
      token_hash: string;
    }>`select token_hash from api_tokens where name = 'Shop (lesen)'`.execute(env().db.kysely);
    expect(stored.rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.rows[0]!.token_hash).not.toContain(readToken);
    const reader = client(
      () => env().app,
      () => readToken,
    );
    expect((await reader.get("/customers")).statusCode).toBe(200);
    expect(
      expectProblem(await reader.post("/customers", { kind: "company", name1: "X" }), 403, "forbidden").detail,
    ).toContain("may only read");
    const list = (await me.get("/auth/tokens")).json().items;
    expect(list.map((t: { name: string }) => t.name)).toContain("Shop (lesen)");
    expect(JSON.stringify(list)).not.toContain(readToken);
    expect((await me.del(`/auth/tokens/${read.json().apiToken.id}`)).statusCode).toBe(204);
    expectProblem(await reader.get("/customers"), 401, "unauthenticated");
    expectProblem(await me.del(`/auth/tokens/${read.json().apiToken.id}`), 404, "not_found");

    const write = (await me.post("/auth/tokens", { name: "ERP", scopes: ["read", "write"], expiresInDays: 1 })).json();
    const writer = client(
      () => env().app,
      () => write.token,
    );
    expect((await writer.post("/customers", { kind: "company", name1: "Über Token" })).statusCode).toBe(201);
    await sql`update api_tokens set expires_at = ${new Date(Date.now() - 1000).toISOString()} where id = ${write.apiToken.id}`.execute(
      env().db.kysely,
    );
    env().app.authenticator.invalidate();
    expectProblem(await writer.get("/customers"), 401, "unauthenticated");
    expectProblem(
      await me.post("/auth/tokens", { name: "x", scopes: ["admin"], expiresInDays: 1 }),
      400,
      "validation_failed",
    );
  });

  it("changes the own password after checking the current one", async () => {
    await newUser("pw@kundenakte.test", ["service"]);
    const s = await login("pw@kundenakte.test");
    const wrong = expectProblem(
      await s.call("POST", "/auth/password", { currentPassword: "nope", newPassword: "a new long password" }),
      400,
      "validation_failed",
    );
    expect(fieldCodes(wrong)).toEqual(["currentPassword:wrong_password"]);
    expectProblem(
      await s.call("POST", "/auth/password", { currentPassword: PASSWORD, newPassword: "short" }),
      400,
      "validation_failed",
    );
    expect(
      (await s.call("POST", "/auth/password", { currentPassword: PASSWORD, newPassword: "a new long password" }))
        .statusCode,
    ).toBe(204);
    expectProblem(
      await anonymous.post("/auth/login", { email: "pw@kundenakte.test", password: PASSWORD }),
      401,
      "unauthenticated",
    );
    expect(
      (await anonymous.post("/auth/login", { email: "pw@kundenakte.test", password: "a new long password" }))
        .statusCode,
    ).toBe(200);
  });

  it("admins deactivate users (never delete them): login and tokens stop working", async () => {
    const { token, userId } = await newUser("leaver@kundenakte.test", ["sales"]);
    const leaver = client(
      () => env().app,
      () => token,
    );
    expect((await leaver.get("/customers")).statusCode).toBe(200);
    const user = (await admin.get(`/users/${userId}`)).json();
    const res = await admin.patch(`/users/${userId}`, { active: false }, user.version);
    expect(res.statusCode, res.body).toBe(200);
    expectProblem(await leaver.get("/customers"), 401, "unauthenticated");
    // The answer does not tell that the password was right (auth-hardening.api.test.ts has more).
    expect(
      expectProblem(
        await anonymous.post("/auth/login", { email: "leaver@kundenakte.test", password: PASSWORD }),
        401,
        "unauthenticated",
      ).detail,
    ).toBe("E-mail or password is wrong");
    expectProblem(await admin.del(`/users/${userId}`), 404, "not_found");
    const me = (await admin.get("/auth/session")).json().user;
    const self = expectProblem(
      await admin.patch(`/users/${me.id}`, { active: false }, me.version),
      400,
      "validation_failed",
    );
    expect(fieldCodes(self)).toEqual(["active:self_lockout"]);
  });

  it("the user directory: every logged-in user sees the active colleagues' names and e-mails, nothing more", async () => {
    const { token } = await newUser("kundendienst@kundenakte.test", ["service"]);
    const service = client(
      () => env().app,
      () => token,
    );
    const { userId: goneId } = await newUser("ehemalig@kundenakte.test", ["sales"]);
    const gone = (await admin.get(`/users/${goneId}`)).json();
    expect((await admin.patch(`/users/${goneId}`, { active: false }, gone.version)).statusCode).toBe(200);
    // A service agent may not list users, but may see whom to assign a ticket to.
    expectProblem(await service.get("/users"), 403, "forbidden");
    const res = await service.get("/users/directory");
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as { email: string; name: string }[];
    expect(items).toContainEqual({ email: "kundendienst@kundenakte.test", name: "kundendienst" });
    expect(items.map((u) => u.email)).not.toContain("ehemalig@kundenakte.test");
    for (const u of items) expect(Object.keys(u).sort()).toEqual(["email", "name"]);
    const names = items.map((u) => u.name);
    expect(names).toEqual([...names].sort(new Intl.Collator("de").compare));
    expectProblem(await anonymous.get("/users/directory"), 401, "unauthenticated");
  });

  it("admins create users and change their roles through the API; the new roles apply at once", async () => {
    const created = await admin.post("/users", {
      email: "Neu@Kundenakte.test",
      name: "Nina Neu",
      password: PASSWORD,
      roles: ["read_only"],
      region: "Bayern",
    });
    expect(created.statusCode, created.body).toBe(201);
    const user = created.json();
    expect(user).toMatchObject({ email: "neu@kundenakte.test", roles: ["read_only"], active: true, region: "Bayern" });
    expect(created.headers.location).toBe(`/api/v1/users/${user.id}`);
    expect((await admin.get("/users")).json().items.map((u: { email: string }) => u.email)).toContain(
      "neu@kundenakte.test",
    );
    expectProblem(
      await admin.post("/users", { email: "neu@kundenakte.test", name: "X", password: PASSWORD, roles: ["sales"] }),
      409,
      "unique_violation",
    );
    const unknown = expectProblem(
      await admin.post("/users", { email: "x@kundenakte.test", name: "X", password: PASSWORD, roles: ["boss"] }),
      400,
      "validation_failed",
    );
    expect(fieldCodes(unknown)).toEqual(["roles:unknown_role"]);
    const s = await login("neu@kundenakte.test");
    expectProblem(await s.call("POST", "/customers", { kind: "company", name1: "Darf nicht" }), 403, "forbidden");
    expect((await admin.patch(`/users/${user.id}`, { roles: ["sales"] }, user.version)).statusCode).toBe(200);
    expect((await s.call("POST", "/customers", { kind: "company", name1: "Darf jetzt" })).statusCode).toBe(201);
    expectProblem(await admin.patch(`/users/${user.id}`, { name: "Alt" }, user.version), 412, "version_mismatch");
  });

  it("one-time setup creates the first admin and can never run again", async () => {
    const { db, drop } = await createTestDatabase(env().engine);
    const app = await buildApp({ db });
    try {
      expect((await app.inject("/api/v1/auth/setup")).json()).toEqual({ setupRequired: true });
      const first = await app.inject({
        method: "POST",
        url: "/api/v1/auth/setup",
        payload: { email: "chefin@firma.de", name: "Chefin", password: PASSWORD },
      });
      expect(first.statusCode, first.body).toBe(201);
      expect(first.json().roles).toEqual(["admin"]);
      const again = await app.inject({
        method: "POST",
        url: "/api/v1/auth/setup",
        payload: { email: "intruder@evil.test", name: "X", password: PASSWORD },
      });
      expectProblem(again, 409, "conflict");
      expect((await app.inject("/api/v1/auth/setup")).json()).toEqual({ setupRequired: false });
    } finally {
      await app.close();
      await drop();
    }
  });
});
