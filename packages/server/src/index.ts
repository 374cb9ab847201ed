export { buildApp } from "./app.js";
export { type Config, ConfigError, loadConfig, redactUrl } from "./config.js";
export { type Database, openDatabase } from "./db/database.js";
export { MigrationError, migrateToLatest, migrationStatus } from "./db/migrator.js";
