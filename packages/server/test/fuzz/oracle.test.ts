import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { LightMyRequestResponse } from "fastify";
import { describe, expect, it } from "vitest";
import { responseOracle } from "./oracle.js";

/**
 * The fuzzer's oracle on the published document (docs/openapi.json), where the problem document
 * is one shared component: it follows the $ref and still refuses an answer that does not match.
 */
const doc = JSON.parse(
  readFileSync(fileURLToPath(new URL("../../../../docs/openapi.json", import.meta.url)), "utf8"),
) as Record<string, unknown>;
const oracle = responseOracle(doc);

function response(status: number, body: unknown, type = "application/problem+json"): LightMyRequestResponse {
  const text = JSON.stringify(body);
  return {
    statusCode: status,
    headers: { "content-type": type },
    body: text,
    json: () => JSON.parse(text),
  } as unknown as LightMyRequestResponse;
}

const problem = { type: "about:blank", title: "Not Found", status: 404, code: "not_found", detail: "Customer 7" };

describe("the fuzzer's oracle on the shared problem schema", () => {
  it("the document declares errors through the shared component", () => {
    const get = (doc.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>)[
      "/api/v1/customers/{id}"
    ]!.get!;
    expect(get.responses["404"]).toEqual({
      description: expect.any(String),
      content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
    });
  });

  it("accepts a problem document as the component describes it", () => {
    expect(oracle("GET", "/api/v1/customers/{id}", response(404, problem))).toBeNull();
  });

  it("refuses a problem document the component does not describe (only the $ref'd schema knows)", () => {
    // Status, code and detail are there, so only the schema behind the $ref can find the fault.
    const unknownCode = oracle("GET", "/api/v1/customers/{id}", response(404, { ...problem, code: "no_such_code" }));
    expect(unknownCode).toMatch(/does not match the document: \/code/);
    const badErrors = oracle("GET", "/api/v1/customers/{id}", response(404, { ...problem, errors: [{ field: 1 }] }));
    expect(badErrors).toMatch(/does not match the document: \/errors\/0/);
    const noTitle = oracle("GET", "/api/v1/customers/{id}", response(404, { ...problem, title: undefined }));
    expect(noTitle).toMatch(/does not match the document/);
  });

  it("still checks success bodies and content types", () => {
    expect(oracle("GET", "/api/v1/customers/{id}", response(200, { id: 1 }, "application/json"))).toMatch(
      /does not match the document/,
    );
    expect(oracle("GET", "/api/v1/customers/{id}", response(404, problem, "application/json"))).toMatch(
      /not application\/problem\+json/,
    );
  });
});
