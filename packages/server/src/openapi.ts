import { buildApp } from "./app.js";
import { openDatabase } from "./db/database.js";

/**
 * The OpenAPI document as the server generates it from its route schemas, serialised the
 * way it is committed (docs/openapi.json), so a diff shows every API change.
 */
export async function generateOpenApi(): Promise<string> {
  const db = openDatabase({ databaseUrl: null, sqliteFile: ":memory:" });
  const app = await buildApp({ db });
  await app.ready();
  const doc = app.swagger();
  await app.close();
  await db.close();
  return `${JSON.stringify(doc, null, 2)}\n`;
}
