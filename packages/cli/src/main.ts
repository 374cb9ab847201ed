import { Command } from "commander";
import { doctor } from "./commands/doctor.js";
import { migrate } from "./commands/migrate.js";
import { seed } from "./commands/seed.js";
import { serve } from "./commands/serve.js";

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
  .command("doctor")
  .description("check configuration, database and migrations")
  .action(() => doctor());

await program.parseAsync();
