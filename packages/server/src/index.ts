export { buildApp } from "./app.js";
export { type Config, ConfigError, loadConfig, redactUrl } from "./config.js";
export { type Database, openDatabase } from "./db/database.js";
export { isConnectionError } from "./db/dialect.js";
export { optimizeDatabase } from "./db/maintenance.js";
export { MigrationError, migrateToLatest, migrationStatus } from "./db/migrator.js";
export { SYSTEM_CONTEXT } from "./http/context.js";
export { type BusinessClock, businessClock } from "./lib/clock.js";
export { ensureSearchIndex } from "./modules/search/search-index.js";
