import { Problem } from "@kundenakte/contract";

/** Where the published document keeps the problem document's schema. */
export const PROBLEM_REF = "#/components/schemas/Problem";

type Node = Record<string, unknown>;

/** A JSON value as text with its keys sorted: two renderings of one schema compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Node).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** A schema as @fastify/swagger renders it: `const: x` becomes `enum: [x]`. */
function asRendered(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(asRendered);
  if (!schema || typeof schema !== "object") return schema;
  const out: Node = {};
  for (const [k, v] of Object.entries(schema as Node)) {
    if (k === "const") out.enum = [v];
    else out[k] = asRendered(v);
  }
  return out;
}

/**
 * The published OpenAPI document with the problem document as one shared component: every route
 * declares it for four to eight error statuses, and inlined it was ~90 % of the document (8 MB).
 * Each such response now points to `components.schemas.Problem`, with the media type the server
 * really sends (application/problem+json). Only the document changes: Fastify still serialises
 * responses from the route schemas (one compiled serializer per distinct schema, http/serializers.ts).
 */
export function shareProblemSchema<T extends object>(doc: T): T {
  const d = doc as Node;
  const problem = asRendered(JSON.parse(JSON.stringify(Problem))) as Node;
  const wanted = canonical(problem);
  const paths = (d.paths ?? {}) as Record<string, Record<string, Node>>;
  for (const item of Object.values(paths)) {
    for (const op of Object.values(item)) {
      for (const response of Object.values((op?.responses ?? {}) as Record<string, Node>)) {
        const content = response.content as Record<string, Node> | undefined;
        const schemas = Object.values(content ?? {}).map((c) => c.schema);
        if (schemas.length === 0 || !schemas.every((s) => canonical(s) === wanted)) continue;
        response.content = { "application/problem+json": { schema: { $ref: PROBLEM_REF } } };
      }
    }
  }
  const components = (d.components ?? {}) as Node;
  d.components = { ...components, schemas: { ...((components.schemas as Node) ?? {}), Problem: problem } };
  return doc;
}
