/**
 * The web UI's form validators as Ajv standalone code, generated at build time (through the Vite
 * plugin in validators-plugin.ts, never committed). The browser then validates without compiling
 * anything at run time, so the Content-Security-Policy needs no 'unsafe-eval'.
 *
 * Same verdicts as the server: the same contract schemas with the same input rules
 * (`withInputRules`), the same Ajv options (Fastify's defaults + `REQUEST_AJV_OPTIONS`), the same
 * formats (ajv-formats, then `INPUT_FORMATS`) and the same text check (`textFault`), only compiled
 * ahead of time. packages/web/test/validators.test.ts compares the verdicts of both.
 */
import defaultAjvOptions from "@fastify/ajv-compiler/lib/default-ajv-options.js";
import * as contract from "@kundenakte/contract";
import { INPUT_FORMATS, REQUEST_AJV_OPTIONS, TEXT_KEYWORD, textFault, withInputRules } from "@kundenakte/contract";
import { _, Ajv, type KeywordCxt } from "ajv";
import standaloneCode from "ajv/dist/standalone/index.js";
import addFormats from "ajv-formats";
import { VALIDATED_SCHEMAS } from "../src/lib/validated-schemas.js";

/** The module `virtual:kundenakte/validators`: `validators`, a Map from contract schema to check. */
export function validatorsModule(): string {
  const ajv = new Ajv({
    ...defaultAjvOptions,
    ...REQUEST_AJV_OPTIONS,
    // Formats are referenced by name from one imported object (before ajv-formats sets its own
    // `require(…)`): ajv-formats' full set with the input rules' date formats over it.
    code: { source: true, esm: true, formats: _`__formats` },
  });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  for (const [name, format] of Object.entries(INPUT_FORMATS)) ajv.addFormat(name, format);
  // The server's keyword calls textFault through a function Ajv cannot write out; this one
  // generates a call to the same function, imported by the module.
  ajv.addKeyword({
    keyword: TEXT_KEYWORD,
    type: "string",
    schemaType: "string",
    code(cxt: KeywordCxt) {
      const fault = cxt.gen.scopeValue("func", { ref: textFault, code: _`__textFault` });
      cxt.fail(_`${fault}(${cxt.data}, ${cxt.schemaCode}) !== null`);
    },
  });

  const exports: Record<string, string> = {};
  for (const name of VALIDATED_SCHEMAS) {
    const schema = (contract as Record<string, unknown>)[name];
    if (!schema || typeof schema !== "object") throw new Error(`@kundenakte/contract exports no schema ${name}`);
    ajv.addSchema(withInputRules(schema) as object, name);
    exports[name] = name;
  }
  let code = standaloneCode(ajv, exports).replace(/^"use strict";/, "");
  // Ajv's runtime helpers (string length in code points, deep equality) are CommonJS modules it
  // names with require(); an ES module imports them. The default import is the module itself in
  // Node and its `default` export in a bundler: `cjs` makes both look like require()'s result.
  const required = [...new Set([...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!))];
  required.forEach((mod, i) => {
    code = code.replaceAll(`require("${mod}")`, `__cjs(__required${i})`);
  });
  const names = VALIDATED_SCHEMAS.map((n, i) => `${n} as __schema${i}`).join(", ");
  return [
    "// Generated at build time by packages/web/build/validators.ts: do not edit.",
    ...required.map((mod, i) => `import __required${i} from ${JSON.stringify(`${mod}.js`)};`),
    `import { ${names}, INPUT_FORMATS, textFault as __textFault } from "@kundenakte/contract";`,
    'import { fullFormats } from "ajv-formats/dist/formats.js";',
    "const __cjs = (m) => (m && m.__esModule ? m : { default: m });",
    `const __formats = { ...fullFormats, ...INPUT_FORMATS };`,
    code,
    `export const validators = new Map([${VALIDATED_SCHEMAS.map((n, i) => `[__schema${i}, ${n}]`).join(", ")}]);`,
    "",
  ].join("\n");
}
