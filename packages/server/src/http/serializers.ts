import fastJsonStringify, { type Options } from "fast-json-stringify";

type Serializer = (doc: unknown) => string;

/**
 * Fastify's serializer factory, with one compiled serializer per distinct response schema
 * instead of one per route and status: every route declares the same problem document for
 * four to eight error statuses, and compiling it ~700 times cost start-up time and memory that
 * the server kept for its whole life (the compiled code stays reachable from the routes).
 */
export function sharedSerializers() {
  return (externalSchemas: unknown, serializerOpts: Options = {}) => {
    const opts: Options = { ...serializerOpts, schema: externalSchemas as Options["schema"] };
    const cache = new Map<string, Serializer>();
    return ({ schema }: { schema?: unknown }): Serializer => {
      const key = JSON.stringify(schema);
      let serialize = cache.get(key);
      if (!serialize) {
        serialize = fastJsonStringify(schema as Parameters<typeof fastJsonStringify>[0], opts) as Serializer;
        cache.set(key, serialize);
      }
      return serialize;
    };
  };
}
