import { beforeAll, expect, it } from "vitest";
import { readFileRows } from "../../src/modules/customer-file/customer-file.repository.js";
import { buildFile } from "../../src/modules/customer-file/customer-file.service.js";
import { ADMIN_EMAIL, forEachEngine, tokenFor } from "../support/engines.js";
import { client, expectProblem, fieldCodes } from "../support/http.js";

forEachEngine("preferences API", (env) => {
  const api = client(
    () => env().app,
    () => env().adminToken,
  );
  let customerId = 0;
  let readerToken = "";

  const put = (url: string, body: unknown, version?: number | string, token = env().adminToken) =>
    env().app.inject({
      method: "PUT",
      url: `/api/v1${url}`,
      payload: body as never,
      headers: {
        authorization: `Bearer ${token}`,
        ...(version === undefined ? {} : { "if-match": `"${version}"` }),
      },
    });

  beforeAll(async () => {
    customerId = (await api.post("/customers", { kind: "company", name1: "Vorlieben AG" })).json().customer.id;
    readerToken = (await tokenFor(env().app, env().db, "leser@preferences.test", ["read_only"])).token;
  });

  const full = {
    deliveryDays: ["fri", "mon", "wed"],
    deliveryWindows: [
      { from: "13:00", to: "15:00" },
      { from: "08:00", to: "12:00" },
    ],
    preferredChannel: "email",
    correspondenceLanguage: "en",
    invoiceDelivery: "xrechnung",
    invoiceEmail: "Rechnung@Vorlieben.test",
    leitwegId: "04011000-1234512345-06",
    shippingInstructions: "Nur vormittags liefern, Rampe 3",
    serviceRequirements: [
      { category: "delivery", text: "Avis 24 h vorher" },
      { category: "documentation", text: "Prüfprotokoll beilegen" },
    ],
  };

  it("defaults (version 1) until set; replaced with If-Match, normalised, audited, shown in the file", async () => {
    const initial = await api.get(`/customers/${customerId}/preferences`);
    expect(initial.statusCode).toBe(200);
    expect(initial.headers.etag).toBe('"1"');
    expect(initial.json()).toMatchObject({
      customerId,
      deliveryDays: [],
      invoiceDelivery: "paper",
      leitwegId: null,
      version: 1,
      updatedAt: null,
    });
    expect((await api.get(`/customers/${customerId}/file`)).json().preferences).toBeNull();

    const saved = await put(`/customers/${customerId}/preferences`, full, 1);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.headers.etag).toBe('"2"');
    expect(saved.json()).toMatchObject({
      deliveryDays: ["mon", "wed", "fri"],
      deliveryWindows: [
        { from: "08:00", to: "12:00" },
        { from: "13:00", to: "15:00" },
      ],
      invoiceEmail: "rechnung@vorlieben.test",
      leitwegId: "04011000-1234512345-06",
      updatedBy: ADMIN_EMAIL,
      version: 2,
    });
    expect((await api.get(`/customers/${customerId}/preferences`)).json()).toEqual(saved.json());

    const file = (await api.get(`/customers/${customerId}/file`)).json();
    expect(file.preferences).toEqual(saved.json());
    const live = buildFile((await readFileRows(env().db.kysely, [customerId])).get(customerId)!);
    const { bankAccounts: _b, keyFigures: _k, ...served } = file;
    expect(served).toEqual(JSON.parse(JSON.stringify(live)));

    // Fields left out return to their defaults.
    const paper = await put(`/customers/${customerId}/preferences`, { shippingInstructions: "Klingeln" }, 2);
    expect(paper.statusCode, paper.body).toBe(200);
    expect(paper.json()).toMatchObject({
      deliveryDays: [],
      invoiceDelivery: "paper",
      invoiceEmail: null,
      leitwegId: null,
      shippingInstructions: "Klingeln",
      version: 3,
    });
    expect((await api.get(`/customers/${customerId}/file`)).json().preferences.shippingInstructions).toBe("Klingeln");

    const history = (await api.get(`/customers/${customerId}/history`)).json();
    const entries = JSON.stringify(history);
    expect(entries).toContain("customer_preferences");
    expect(entries).toContain("leitwegId");
  });

  it("checks the Leitweg-ID, the invoice address, time windows; needs the current version", async () => {
    const current = (await api.get(`/customers/${customerId}/preferences`)).json();
    const v = current.version;
    const wrongDigit = expectProblem(
      await put(`/customers/${customerId}/preferences`, { ...full, leitwegId: "04011000-1234512345-07" }, v),
      400,
      "validation_failed",
    );
    expect(fieldCodes(wrongDigit)).toEqual(["leitwegId:invalid_leitweg_id"]);
    expect(wrongDigit.detail).toContain("check digits");
    expect(
      fieldCodes(
        expectProblem(
          await put(`/customers/${customerId}/preferences`, { leitwegId: "04011000_1234-06" }, v),
          400,
          "validation_failed",
        ),
      ),
    ).toEqual(["leitwegId:invalid_leitweg_id"]);
    const several = expectProblem(
      await put(
        `/customers/${customerId}/preferences`,
        {
          invoiceDelivery: "pdf_email",
          deliveryWindows: [
            { from: "12:00", to: "10:00" },
            { from: "08:00", to: "11:00" },
            { from: "10:30", to: "11:30" },
          ],
        },
        v,
      ),
      400,
      "validation_failed",
    );
    expect(fieldCodes(several).sort()).toEqual(
      ["deliveryWindows/0/to:window_order", "deliveryWindows/2:window_overlap", "invoiceEmail:required"].sort(),
    );
    const schema = expectProblem(
      await put(
        `/customers/${customerId}/preferences`,
        { deliveryDays: ["sun"], deliveryWindows: [{ from: "8:00", to: "12:00" }], invoiceDelivery: "fax", x: 1 },
        v,
      ),
      400,
      "validation_failed",
    );
    expect(fieldCodes(schema).sort()).toEqual(
      ["deliveryDays/0:enum", "deliveryWindows/0/from:pattern", "invoiceDelivery:enum", "x:unknown_field"].sort(),
    );
    // Nothing was saved by the refused requests.
    expect((await api.get(`/customers/${customerId}/preferences`)).json().version).toBe(v);

    expectProblem(await put(`/customers/${customerId}/preferences`, full), 428, "precondition_required");
    const stale = expectProblem(
      await put(`/customers/${customerId}/preferences`, full, v - 1),
      412,
      "version_mismatch",
    );
    expect(stale.current).toMatchObject({ version: v, shippingInstructions: "Klingeln" });
    expectProblem(await put("/customers/999999/preferences", full, 1), 404, "not_found");
    expectProblem(await api.get("/customers/999999/preferences"), 404, "not_found");

    // A new customer's defaults are version 1: a first save claiming another version is refused.
    const fresh = (await api.post("/customers", { kind: "company", name1: "Neu GmbH" })).json().customer.id;
    expectProblem(await put(`/customers/${fresh}/preferences`, full, 2), 412, "version_mismatch");

    // Read-only users read, but do not change.
    expect(
      (
        await client(
          () => env().app,
          () => readerToken,
        ).get(`/customers/${customerId}/preferences`)
      ).statusCode,
    ).toBe(200);
    expectProblem(await put(`/customers/${customerId}/preferences`, full, v, readerToken), 403, "forbidden");
  });

  it("two saves of the same version: exactly one wins", async () => {
    const id = (await api.post("/customers", { kind: "company", name1: "Parallel GmbH" })).json().customer.id;
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        put(`/customers/${id}/preferences`, { shippingInstructions: `Fahrer ${i}` }, 1),
      ),
    );
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(results.filter((r) => r.statusCode === 412)).toHaveLength(5);
  });
});
