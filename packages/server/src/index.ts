export { buildApp } from "./app.js";
export { loadConfig, ConfigError, type Config } from "./config.js";
export { openDatabase, type Database } from "./db/database.js";
export { migrateToLatest, migrationStatus, MigrationError } from "./db/migrator.js";
