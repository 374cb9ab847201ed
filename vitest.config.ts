import { defineConfig } from "vitest/config";
import { contractValidators } from "./packages/web/build/validators-plugin.js";

export default defineConfig({
  // The web UI's form validators are generated code (`virtual:kundenakte/validators`): its tests import them.
  plugins: [contractValidators()],
  test: {
    include: ["packages/*/src/**/*.spec.ts", "packages/*/test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
