import { beforeAll, describe, expect, it } from "vitest";
import { forEachEngine } from "../support/engines.js";
import { client, expectProblem, fieldCodes } from "../support/http.js";

const cursorOf = (values: unknown) => Buffer.from(JSON.stringify(values)).toString("base64url");

/** Operations of the app's OpenAPI document that take the query parameter `name`. */
function operationsWithQuery(doc: Record<string, unknown>, name: string): { method: string; path: string }[] {
  const out: { method: string; path: string }[] = [];
  for (const [path, item] of Object.entries(
    doc.paths as Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>,
  )) {
    for (const [method, op] of Object.entries(item)) {
      if (op.parameters?.some((p) => p.in === "query" && p.name === name))
        out.push({ method: method.toUpperCase(), path });
    }
  }
  return out;
}

/**
 * Bad input is a 400 naming the field at fault, the same on both engines — never a 500 from
 * PostgreSQL (NUL, int8 overflow, year 0) nor a value SQLite silently stores (issue 23).
 */
forEachEngine("bad input", (env) => {
  const api = client(
    () => env().app,
    () => env().adminToken,
  );
  let customerId = 0;
  let campaignId = 0;
  let segmentId = 0;

  beforeAll(async () => {
    customerId = (await api.post("/customers", { kind: "company", name1: "Eingabe GmbH" })).json().customer.id;
    const campaign = await api.post("/campaigns", { name: "Herbst", channel: "email", startsOn: "2026-09-01" });
    campaignId = campaign.json().id;
    const segment = await api.post("/segments", { name: "Alle", target: "customers", filter: {} });
    segmentId = segment.json().id;
  });

  /** The path of `template` with the ids of this suite's records. */
  const concrete = (template: string) =>
    template
      .replace(/^\/api\/v1/, "")
      .replace(/^\/campaigns\/\{id\}/, `/campaigns/${campaignId}`)
      .replace(/^\/segments\/\{id\}/, `/segments/${segmentId}`)
      .replace("{id}", String(customerId));

  const call = (method: string, url: string, body?: unknown) =>
    method === "GET" ? api.get(url) : api.post(url, body ?? { filter: {} });

  describe("text", () => {
    it("refuses NUL and other control characters in a single-line field, naming it", async () => {
      for (const name1 of ["Nul\u0000GmbH", "Bell\u0007", "Zeile\nzwei", "Tab\tGmbH", "C1\u0085"]) {
        const body = expectProblem(await api.post("/customers", { kind: "company", name1 }), 400, "validation_failed");
        expect(fieldCodes(body)).toEqual(["name1:control_character"]);
      }
    });

    it("takes tab and line breaks in multi-line text, but not NUL", async () => {
      const ok = await api.post("/customers", {
        kind: "company",
        name1: "Mehrzeilig",
        notes: "Zeile 1\nZeile 2\tEnde\r\n",
      });
      expect(ok.statusCode, ok.body).toBe(201);
      expect(ok.json().customer.notes).toBe("Zeile 1\nZeile 2\tEnde");
      const bad = await api.post(`/customers/${customerId}/journal`, { kind: "note", subject: "x", body: "a\u0000b" });
      expect(fieldCodes(expectProblem(bad, 400, "validation_failed"))).toEqual(["body:control_character"]);
    });

    it("refuses a lone surrogate written as a JSON escape", async () => {
      const res = await env().app.inject({
        method: "POST",
        url: "/api/v1/customers",
        payload: '{"kind":"company","name1":"A\\ud800B"}',
        headers: { authorization: `Bearer ${env().adminToken}`, "content-type": "application/json" },
      });
      expect(fieldCodes(expectProblem(res, 400, "validation_failed"))).toEqual(["name1:lone_surrogate"]);
    });

    it("refuses NUL in a query parameter", async () => {
      const body = expectProblem(await api.get("/customers?city=K%00ln"), 400, "validation_failed");
      expect(fieldCodes(body)).toEqual(["querystring/city:control_character"]);
      expectProblem(await api.get("/search?q=M%C3%BCller%00"), 400, "validation_failed");
    });

    it("answers a URL that is not UTF-8 with a problem document", async () => {
      expectProblem(await api.get("/customers/%ed%a0%80"), 400, "bad_request");
    });
  });

  describe("ids and numbers", () => {
    it("refuses ids beyond 2^53-1 and ids not written in plain decimal", async () => {
      for (const id of [
        "99999999999999999999999",
        "9007199254740992",
        "1e21",
        "0x10",
        "3e2",
        "+303",
        "1.0",
        "-1",
        "0",
      ]) {
        const body = expectProblem(await api.get(`/customers/${id}`), 400, "validation_failed");
        expect(body.errors?.[0]?.field, id).toBe("params/id");
      }
      // The plain form of the same id still resolves.
      expect((await api.get(`/customers/${customerId}`)).statusCode).toBe(200);
    });

    it("refuses ids in the query and the body that no database column holds", async () => {
      const q = expectProblem(await api.get("/tickets?customerId=1e21"), 400, "validation_failed");
      expect(fieldCodes(q)).toEqual(["querystring/customerId:type"]);
      const b = await api.post(`/customers/${customerId}/opportunities`, {
        title: "Groß",
        valueCents: 100,
        expectedCloseDate: "2026-09-30",
        stageId: "1e999",
      });
      expect(fieldCodes(expectProblem(b, 400, "validation_failed"))).toEqual(["stageId:maximum"]);
    });

    it("answers limit=1e999 and -1e999 with 400 on every list", async () => {
      const lists = operationsWithQuery(env().app.swagger() as never, "limit");
      expect(lists.length).toBeGreaterThanOrEqual(19);
      for (const op of lists) {
        for (const limit of ["1e999", "-1e999", "1e3", "99999999999999999999"]) {
          const res = await call(op.method, `${concrete(op.path)}?limit=${limit}`);
          const body = expectProblem(res, 400, "validation_failed");
          expect(
            body.errors?.map((e) => e.field),
            `${op.method} ${op.path}`,
          ).toContain("querystring/limit");
        }
      }
    });
  });

  describe("cursors", () => {
    it("answers a forged cursor with 400 invalid_cursor on every paged list", async () => {
      const lists = operationsWithQuery(env().app.swagger() as never, "cursor");
      expect(lists.length).toBeGreaterThanOrEqual(19);
      const forged = [
        cursorOf([1e308, 1]),
        cursorOf(["0000-01-01T00:00:00Z", 1e21]),
        cursorOf([null, -1, 0]),
        cursorOf([1e308]),
        cursorOf({ id: 1 }),
        "bm90IGpzb24",
      ];
      for (const op of lists) {
        for (const cursor of forged) {
          const res = await call(op.method, `${concrete(op.path)}?cursor=${cursor}`);
          const body = expectProblem(res, 400, "bad_request");
          expect(fieldCodes(body), `${op.method} ${op.path} ${cursor}`).toEqual(["cursor:invalid_cursor"]);
        }
        // Quotes are a fine position in a list sorted by text, and only there.
        const sql = await call(op.method, `${concrete(op.path)}?cursor=${cursorOf(["' OR 1=1--", 1])}`);
        if (sql.statusCode !== 200)
          expect(fieldCodes(expectProblem(sql, 400, "bad_request"))).toEqual(["cursor:invalid_cursor"]);
      }
    });
  });

  describe("dates", () => {
    it("refuses year 0000, days that do not exist and timestamps without a zone", async () => {
      const url = `/customers/${customerId}/follow-ups`;
      for (const dueAt of [
        "0000-01-01T10:00:00Z",
        "2026-02-30T10:00:00Z",
        "2026-06-15T24:00:00Z",
        "2026-06-15T10:00:00",
      ]) {
        const body = expectProblem(await api.post(url, { subject: "Anrufen", dueAt }), 400, "validation_failed");
        expect(fieldCodes(body), dueAt).toEqual(["dueAt:invalid_date_time"]);
      }
      for (const startsOn of ["0000-01-01", "2025-02-29", "2026-04-31", "10000-01-01"]) {
        const res = await api.post("/campaigns", { name: `Datum ${startsOn}`, channel: "email", startsOn });
        expect(fieldCodes(expectProblem(res, 400, "validation_failed")), startsOn).toEqual(["startsOn:invalid_date"]);
      }
      const leap = await api.post("/campaigns", { name: "Schalttag", channel: "email", startsOn: "2028-02-29" });
      expect(leap.statusCode, leap.body).toBe(201);
    });
  });
});
