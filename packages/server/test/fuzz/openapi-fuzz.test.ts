import { BUILT_IN_ROLES } from "@kundenakte/contract";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/app.js";
import type { Database } from "../../src/db/database.js";
import { fakeCustomer, Random } from "../../src/demo/factories.js";
import { fixedClock } from "../support/clock.js";
import { createTestDatabase, ENGINES, tokenFor } from "../support/engines.js";
import { type Oracle, responseOracle } from "./oracle.js";
import { asParam, BAD_CURSORS, badValue, encodeParam, type Schema, validValue } from "./values.js";

/**
 * The OpenAPI fuzzer (docs/TESTING.md, "Fuzzing"): reads the app's own OpenAPI document, sends
 * valid and mutated requests for every operation as an admin and as restricted roles, and fails
 * on any 5xx, any error that is not a problem document, and any response the document does not
 * describe. Deterministic: seeded PRNG, fixed clock. FUZZ_COUNT / FUZZ_SEED widen or replay it
 * (`npm run fuzz`).
 */
const COUNT = Number(process.env.FUZZ_COUNT ?? 1000);
const SEED = process.env.FUZZ_SEED ?? "issue-23";
const CLOCK = "2026-06-15T10:00:00.000Z";
const PREFIX = "/api/v1";

interface Parameter {
  name: string;
  in: "path" | "query" | "header";
  required?: boolean;
  schema: Schema;
}

interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  body?: Schema;
}

interface Identity {
  role: string;
  token: string;
}

interface Request {
  method: string;
  url: string;
  payload?: string;
  mutation: string;
  ifMatch?: string;
}

/**
 * Operations that would take away the fuzzer's own access (logout, password change, its
 * tokens, users and roles): sent only by a read_only identity of their own.
 */
const SELF_DESTRUCTIVE = [
  /^POST \/api\/v1\/auth\/(logout|password|setup)$/,
  /^DELETE \/api\/v1\/auth\/tokens\//,
  /^PATCH \/api\/v1\/(users|roles)\//,
];

/** Values for path parameters that are names, not ids. */
const NAMED_PARAMS: Record<string, string[]> = {
  "/api/v1/roles": [...BUILT_IN_ROLES],
  "/api/v1/number-ranges": ["customer"],
};

const MALFORMED_BODIES = [
  '{"a":',
  "[",
  "\u0000",
  '{"name1":"\\ud800"}',
  '{"x":1e999}',
  "null",
  '"text"',
  "[]",
  "1e999",
  "{}",
];

function operationsOf(doc: Record<string, unknown>): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Schema>>)) {
    for (const [method, op] of Object.entries(item)) {
      if (!["get", "post", "put", "patch", "delete"].includes(method)) continue;
      const content = (op.requestBody as Schema | undefined)?.content as Record<string, Schema> | undefined;
      const body = content?.["application/json"]?.schema as Schema | undefined;
      ops.push({ method: method.toUpperCase(), path, parameters: (op.parameters as Parameter[]) ?? [], body });
    }
  }
  return ops;
}

/** Ids seen in the data, by the concrete collection path they were listed or created under. */
class IdPools {
  private readonly pools = new Map<string, Set<number>>();
  add(collection: string, id: unknown): void {
    if (typeof id !== "number") return;
    const pool = this.pools.get(collection) ?? new Set<number>();
    pool.add(id);
    this.pools.set(collection, pool);
  }
  pick(collection: string, rng: Random): number | undefined {
    const pool = this.pools.get(collection);
    return pool?.size ? rng.pick([...pool]) : undefined;
  }
  /** An id for a body or query field such as `customerId`, `stageId`, `paymentTermsId`. */
  forField(field: string, rng: Random): number | undefined {
    const base = field.replace(/Ids?$/, "").toLowerCase();
    const candidates: number[] = [];
    for (const [collection, ids] of this.pools) {
      const last = (collection.split("/").pop() ?? "").replace(/[^a-z]/gi, "").toLowerCase();
      if (base && (last.startsWith(base) || last.endsWith(`${base}s`))) candidates.push(...ids);
    }
    return candidates.length ? rng.pick(candidates) : undefined;
  }
  /** Records what a 2xx answer tells: the id of a created record, the ids of a list. */
  learn(method: string, url: string, body: unknown): void {
    const path = url.split("?")[0]!;
    const b = body as Record<string, unknown> | null;
    if (!b || typeof b !== "object") return;
    if (method === "POST") this.add(path, b.id ?? (b.customer as Record<string, unknown> | undefined)?.id);
    if (method === "GET" && Array.isArray(b.items)) {
      for (const item of b.items as Record<string, unknown>[]) this.add(path, item?.id);
    }
  }
}

/** Builds one request for `op`: valid from the schemas, or with one mutation. */
function buildRequest(op: Operation, rng: Random, pools: IdPools, mutate: boolean): Request {
  const ids = (field: string) => pools.forField(field, rng);
  const kinds: string[] = [];
  const pathParams = op.parameters.filter((p) => p.in === "path");
  const query = op.parameters.filter((p) => p.in === "query");
  if (mutate) {
    if (pathParams.length) kinds.push("path", "path");
    if (query.length) kinds.push("query", "query", "query-extra");
    if (query.some((p) => p.name === "cursor")) kinds.push("cursor");
    if (op.body) kinds.push("body-field", "body-field", "body-field", "body-extra", "body-missing", "body-raw");
    if (!kinds.length) kinds.push("query-extra");
  }
  const mutation = mutate ? rng.pick(kinds) : "valid";

  // Path: concrete ids from the pools, so that nested resources resolve.
  let url = "";
  const segments = op.path.split("/").slice(1);
  for (const seg of segments) {
    const m = /^\{(.+)\}$/.exec(seg);
    if (!m) {
      url += `/${seg}`;
      continue;
    }
    const param = pathParams.find((p) => p.name === m[1])!;
    let value: unknown =
      pools.pick(url, rng) ??
      (NAMED_PARAMS[url] ? rng.pick(NAMED_PARAMS[url]!) : validValue(param.schema, rng, () => undefined, param.name));
    if (mutation === "path" && rng.chance(0.6)) value = badValue(param.schema, rng, param.name);
    url += `/${encodeParam(asParam(value))}`;
  }

  const qs: string[] = [];
  const mutatedQuery = mutation === "query" ? rng.pick(query) : undefined;
  for (const p of query) {
    if (p === mutatedQuery) {
      qs.push(`${p.name}=${encodeParam(asParam(badValue(p.schema, rng, p.name)))}`);
    } else if (mutation === "cursor" && p.name === "cursor") {
      qs.push(`cursor=${encodeParam(rng.pick(BAD_CURSORS))}`);
    } else if (p.required || rng.chance(0.3)) {
      const v = validValue(p.schema, rng, ids, p.name);
      const values = Array.isArray(v) ? v : [v];
      for (const one of values) qs.push(`${p.name}=${encodeParam(asParam(one))}`);
    }
  }
  if (mutation === "query-extra") qs.push(`fuzz${rng.int(1, 9)}=${encodeParam(asParam(badValue({}, rng, "")))}`);
  if (qs.length) url += `?${qs.join("&")}`;

  // Versions start at 1: a guess at If-Match lets some writes through to the end.
  const ifMatch = op.parameters.some((p) => p.in === "header" && p.name.toLowerCase() === "if-match")
    ? `"${rng.int(1, 2)}"`
    : undefined;
  if (!op.body) return { method: op.method, url, mutation, ifMatch };
  let body = validValue(op.body, rng, ids);
  if (mutation === "body-raw")
    return { method: op.method, url, payload: rng.pick(MALFORMED_BODIES), mutation, ifMatch };
  if (mutation === "body-field") body = mutateField(body, op.body, rng);
  if (mutation === "body-extra" && body && typeof body === "object") {
    (body as Record<string, unknown>)[`fuzz${rng.int(1, 9)}`] = badValue({}, rng, "");
  }
  if (mutation === "body-missing" && body && typeof body === "object") {
    const required = (op.body.required as string[] | undefined) ?? Object.keys(body);
    if (required.length) delete (body as Record<string, unknown>)[rng.pick(required)];
  }
  return { method: op.method, url, payload: JSON.stringify(body), mutation, ifMatch };
}

/** Replaces one field somewhere in `value` with a bad value for its schema. */
function mutateField(value: unknown, schema: Schema, rng: Random, depth = 0): unknown {
  const s = (schema.anyOf ?? schema.oneOf) ? rng.pick((schema.anyOf ?? schema.oneOf) as Schema[]) : schema;
  if (Array.isArray(value) && value.length && depth < 5 && rng.chance(0.7)) {
    const i = rng.int(0, value.length - 1);
    value[i] = mutateField(value[i], (s.items as Schema) ?? {}, rng, depth + 1);
    return value;
  }
  if (value && typeof value === "object" && !Array.isArray(value) && depth < 5) {
    const props = (s.properties ?? {}) as Record<string, Schema>;
    const keys = Object.keys(props);
    if (keys.length) {
      const key = rng.pick(keys);
      const obj = value as Record<string, unknown>;
      obj[key] =
        obj[key] !== undefined && typeof obj[key] === "object" && rng.chance(0.6)
          ? mutateField(obj[key], props[key]!, rng, depth + 1)
          : badValue(props[key]!, rng, key);
      return obj;
    }
  }
  return badValue(s, rng, "");
}

async function send(app: FastifyInstance, who: Identity, req: Request) {
  return app.inject({
    method: req.method as "GET",
    url: req.url,
    payload: req.payload,
    headers: {
      authorization: `Bearer ${who.token}`,
      ...(req.payload !== undefined ? { "content-type": "application/json" } : {}),
      ...(req.ifMatch ? { "if-match": req.ifMatch } : {}),
    },
  });
}

async function seed(app: FastifyInstance, db: Database, admin: Identity, rng: Random, pools: IdPools) {
  const post = async (url: string, body: unknown) => {
    const res = await send(app, admin, { method: "POST", url, payload: JSON.stringify(body), mutation: "seed" });
    if (res.statusCode < 300) pools.learn("POST", url, res.json());
    return res;
  };
  for (let i = 0; i < 4; i++) await post(`${PREFIX}/customers`, fakeCustomer(rng));
  await post(`${PREFIX}/users`, {
    email: "victim@fuzz.test",
    name: "Victim",
    password: "correct horse battery staple",
    roles: ["read_only"],
  });
  void db;
}

/** Warm-up: valid creates of every kind, tried a few times each, so that paths resolve. */
async function warmUp(app: FastifyInstance, ops: Operation[], admin: Identity, rng: Random, pools: IdPools) {
  const creates = ops.filter((o) => o.method === "POST" && !SELF_DESTRUCTIVE.some((re) => re.test(`POST ${o.path}`)));
  const lists = ops.filter((o) => o.method === "GET" && !o.path.endsWith("}"));
  const done = new Set<Operation>();
  // The second pass retries what needed records of a kind created later in the first.
  for (let pass = 0; pass < 2; pass++) {
    for (const op of [...lists, ...creates]) {
      if (done.has(op)) continue;
      for (let attempt = 0; attempt < (op.method === "GET" ? 1 : 2); attempt++) {
        const req = buildRequest(op, rng, pools, false);
        const res = await send(app, admin, req);
        if (res.statusCode < 300 && String(res.headers["content-type"]).includes("json")) {
          pools.learn(req.method, req.url, res.json());
          done.add(op);
          break;
        }
      }
    }
  }
}

for (const engine of ENGINES) {
  describe(`OpenAPI fuzzer [${engine}]`, () => {
    let app: FastifyInstance;
    let drop: () => Promise<void>;
    let identities: Identity[];
    let throwaway: Identity;
    let oracle: Oracle;
    let ops: Operation[];
    const rng = new Random(`${SEED}:${engine}`);
    const pools = new IdPools();

    beforeAll(async () => {
      const t = await createTestDatabase(engine);
      drop = t.drop;
      app = await buildApp({ db: t.db, clock: fixedClock(new Date(CLOCK)) });
      await app.ready();
      const admin = { role: "admin", token: (await tokenFor(app, t.db, "admin@fuzz.test", ["admin"])).token };
      const sales = { role: "sales", token: (await tokenFor(app, t.db, "sales@fuzz.test", ["sales"])).token };
      const readOnly = { role: "read_only", token: (await tokenFor(app, t.db, "ro@fuzz.test", ["read_only"])).token };
      identities = [admin, admin, admin, sales, sales, readOnly];
      // Logout, password change and the like may end this identity's token: it is used for nothing else.
      throwaway = { role: "read_only", token: (await tokenFor(app, t.db, "ro2@fuzz.test", ["read_only"])).token };
      const settings = await send(app, admin, { method: "GET", url: `${PREFIX}/settings`, mutation: "seed" });
      const on = await app.inject({
        method: "PATCH",
        url: `${PREFIX}/settings`,
        payload: { rowLevelSales: true },
        headers: { authorization: `Bearer ${admin.token}`, "if-match": `"${settings.json().version}"` },
      });
      expect(on.statusCode, on.body).toBe(200);
      const doc = app.swagger() as unknown as Record<string, unknown>;
      oracle = responseOracle(doc);
      ops = operationsOf(doc).filter((o) => o.path.startsWith(PREFIX) || o.path === "/api/health");
      await seed(app, t.db, admin, rng, pools);
      await warmUp(app, ops, admin, rng, pools);
    }, 120_000);

    afterAll(async () => {
      await app?.close();
      await drop?.();
    });

    it(
      `${COUNT} valid and mutated requests: no 5xx, only problem documents, every answer as documented`,
      async () => {
        console.log(`OpenAPI fuzzer [${engine}]: seed "${SEED}", ${COUNT} requests (FUZZ_SEED / FUZZ_COUNT to change)`);
        const failures: string[] = [];
        const seen = new Set<string>();
        const statuses = new Map<number, number>();
        const succeeded = new Set<string>();
        // Deletes and merges last in each round, so the data the other operations need survives longer.
        const late = (o: Operation) => o.method === "DELETE" || o.path.endsWith("/merge");
        const ordered = [...ops.filter((o) => !late(o)), ...ops.filter(late)];
        for (let n = 0; n < COUNT; n++) {
          const op = ordered[n % ordered.length]!;
          let who = rng.pick(identities);
          if (SELF_DESTRUCTIVE.some((re) => re.test(`${op.method} ${op.path}`))) who = throwaway;
          const req = buildRequest(op, rng, pools, rng.chance(0.7));
          const res = await send(app, who, req);
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          if (res.statusCode < 300) succeeded.add(`${op.method} ${op.path}`);
          if (res.statusCode < 300 && String(res.headers["content-type"]).includes("json")) {
            pools.learn(req.method, req.url, res.json());
          }
          const fault = oracle(op.method, op.path, res);
          if (!fault) continue;
          // One line per operation and fault, with what is needed to replay it.
          const key = `${op.method} ${op.path} ${res.statusCode} ${fault.slice(0, 60)}`;
          if (seen.has(key)) continue;
          seen.add(key);
          failures.push(
            `#${n} [${who.role}] ${req.method} ${req.url} (${req.mutation})` +
              `${req.payload !== undefined ? ` body=${req.payload.slice(0, 300)}` : ""} → ${res.statusCode}: ${fault}`,
          );
        }
        const never = ordered
          .filter((o) => !succeeded.has(`${o.method} ${o.path}`))
          .map((o) => `${o.method} ${o.path}`);
        console.log(
          `statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}; ` +
            `${ordered.length - never.length} of ${ordered.length} operations answered 2xx at least once`,
        );
        if (process.env.FUZZ_VERBOSE) console.log(`never 2xx:\n${never.join("\n")}`);
        if (failures.length) console.log(`Replay with FUZZ_SEED="${SEED}" FUZZ_COUNT=${COUNT}\n${failures.join("\n")}`);
        expect(failures).toEqual([]);
      },
      Math.max(600_000, COUNT * 100),
    );
  });
}
