// Rewrites README.md's role table from the built-in role definitions: `npm run docs:roles`.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { withRoleTable } from "../src/modules/auth/role-table.js";

const target = fileURLToPath(new URL("../../../README.md", import.meta.url));
writeFileSync(target, withRoleTable(readFileSync(target, "utf8")));
console.log(`wrote the role table of ${target}`);
