import { Command } from "commander";
import { backup, restore, verify } from "./commands/backup.js";
import { doctor } from "./commands/doctor.js";
import { importMailCommand } from "./commands/import-mail.js";
import { migrate } from "./commands/migrate.js";
import { optimize } from "./commands/optimize.js";
import { seed } from "./commands/seed.js";
import { serve } from "./commands/serve.js";
import { userCreate, userPassword } from "./commands/user.js";

const program = new Command()
  .name("kundenakte")
  .description("Kundenakte — the customer file. Configuration comes from environment variables (see README).");

program
  .command("serve")
  .description("run the server (migrates the database first)")
  .option("--offer-demo", "suggest demo data when the database is empty")
  .action((opts) => serve(opts));

program
  .command("migrate")
  .description("bring the database to the latest migration")
  .action(() => migrate());

program
  .command("seed")
  .description("load data into the database")
  .option("--demo", "generated German demo customers")
  .option("--customers <n>", "how many customers", "1000")
  .option("--contacts <n>", "contacts per company customer", "3")
  .option("--seed <seed>", "random seed (same seed, same data)", "1")
  .action((opts) => seed(opts));

program
  .command("optimize")
  .description(
    "housekeeping after large imports, or nightly: merges the full-text indexes (PostgreSQL: VACUUM ANALYZE)",
  )
  .action(() => optimize());

program
  .command("doctor")
  .description("check configuration, database and migrations")
  .action(() => doctor());

program
  .command("backup")
  .description("back up the database and the attachment store into a new directory (safe while the server runs)")
  .option("--to <dir>", "the backup directory (default: DATA_DIR/backups/kundenakte-<UTC time>)")
  .action((opts) => backup(opts));

program
  .command("restore")
  .description("restore a backup into an empty database and the attachment store, then verify (server stopped)")
  .requiredOption("--from <dir>", "the backup directory")
  .option("--force", "replace a database that is not empty")
  .action((opts) => restore(opts));

program
  .command("verify")
  .description("check a backup, or the live database and attachment store: integrity, row counts, attachments")
  .option("--from <dir>", "a backup directory (default: the configured database)")
  .action((opts) => verify(opts));

const user = program.command("user").description("manage users (acts as system)");
user
  .command("create")
  .description("create a user; the password is read from standard input or prompted for")
  .requiredOption("--email <email>", "login name")
  .requiredOption("--name <name>", "full name")
  .option("--admin", "with the admin role")
  .option("--roles <roles>", "comma-separated roles: admin, sales, marketing, service, finance, read_only")
  .option("--region <region>", "region, for the optional row-level rule")
  .action((opts) => userCreate(opts));
user
  .command("password")
  .description("set a new password for a user (read from standard input or prompted for)")
  .requiredOption("--email <email>", "login name")
  .action((opts) => userPassword(opts));

program
  .command("import-mail")
  .description("import .eml files into the customers' journals")
  .argument("<files...>", "e-mail files (.eml)")
  .option("--as <email>", "act as this user (default: system)")
  .option("--customer <id>", "put them in this customer's journal instead of matching addresses")
  .action((files, opts) => importMailCommand(files, opts));

await program.parseAsync();
