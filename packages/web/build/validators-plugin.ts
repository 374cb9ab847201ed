import type { Plugin } from "vite";

/** The module the form validators come from (packages/web/src/lib/validate.ts). */
export const VALIDATORS_MODULE = "virtual:kundenakte/validators";
const RESOLVED = `\0${VALIDATORS_MODULE}`;

/**
 * Vite plugin: serves `virtual:kundenakte/validators`, the contract's form validators as Ajv
 * standalone code (build/validators.ts), generated whenever a build, the dev server or a test
 * loads it: nothing generated is committed, nothing is compiled in the browser.
 */
export function contractValidators(): Plugin {
  return {
    name: "kundenakte-contract-validators",
    resolveId: (id) => (id === VALIDATORS_MODULE ? RESOLVED : undefined),
    async load(id) {
      if (id !== RESOLVED) return undefined;
      // The generator imports the contract's TypeScript sources: tsx loads it in Node, whatever
      // loaded this file (Vite's bundled config, Vitest).
      const { tsImport } = await import("tsx/esm/api");
      const generator = (await tsImport("./validators.ts", import.meta.url)) as typeof import("./validators.js");
      return generator.validatorsModule();
    },
  };
}
