// Writes docs/openapi.json from the server's route schemas: `npm run openapi`.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { generateOpenApi } from "../src/openapi.js";

const target = fileURLToPath(new URL("../../../docs/openapi.json", import.meta.url));
writeFileSync(target, await generateOpenApi());
console.log(`wrote ${target}`);
