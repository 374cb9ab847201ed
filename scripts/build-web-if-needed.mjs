// Builds the web UI when its build is missing or older than its sources (`npm start` runs this
// first, so a fresh clone serves the UI without a separate build step).
import { execSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { newest } from "./newest.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const built = path.join(root, "packages/web/dist/index.html");
const sources = [
  "packages/web/src",
  "packages/web/build",
  "packages/web/index.html",
  "packages/web/vite.config.ts",
  "packages/contract/src",
];

const stale = !existsSync(built) || statSync(built).mtimeMs < Math.max(...sources.map((p) => newest(root, p)));
if (stale) {
  console.error("Building the web UI…");
  execSync("npm run build --workspace @kundenakte/web", { cwd: root, stdio: "inherit" });
}
