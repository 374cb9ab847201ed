// Bundles the server and the CLI into one JavaScript file (`npm start` runs this first, when the
// sources are newer than the bundle). Production runs the bundle with plain `node`: compiling
// TypeScript at run time (tsx) kept ~50 MB of transformed sources and loader state in every
// server process and slowed its start. Our own code (server, CLI, contract) goes into the
// bundle; every npm package stays an ordinary import from node_modules.
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { newest } from "./newest.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// Same depth below packages/cli as src/commands/serve.ts, whose paths are relative to itself
// (`../../../web/dist`): they resolve alike from the sources and from the bundle.
export const CLI_BUNDLE = path.join(root, "packages/cli/dist/bin/kundenakte.mjs");
const SOURCES = ["packages/cli/src", "packages/server/src", "packages/contract/src", "scripts/build-server.mjs"];

/** Bundles `entry` (a path below the repository) into `outfile`. */
export async function bundle(entry, outfile) {
  await build({
    entryPoints: [path.join(root, entry)],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: "linked",
    keepNames: true,
    logLevel: "warning",
    plugins: [
      {
        name: "node-modules-stay-external",
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (a) =>
            a.path.startsWith("@kundenakte/") ? undefined : { external: true },
          );
        },
      },
    ],
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const stale =
    !existsSync(CLI_BUNDLE) || statSync(CLI_BUNDLE).mtimeMs < Math.max(...SOURCES.map((p) => newest(root, p)));
  if (stale) {
    console.error("Bundling the server…");
    await bundle("packages/cli/src/main.ts", CLI_BUNDLE);
  }
}
