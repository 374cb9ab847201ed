/** Fastify's default Ajv options (plain JavaScript in @fastify/ajv-compiler, without types). */
declare module "@fastify/ajv-compiler/lib/default-ajv-options.js" {
  const options: Record<string, unknown>;
  export default options;
}
