import "reflect-metadata";
import { loadConfig } from "../src/config";
import { migrate, openDatabase } from "../src/db/database";
import { entities } from "../src/modules/entities";

// npm run migrate: applies pending migrations to DATABASE_URL (or the embedded database).
// npm run migrate -- --revert: undoes the last one.
async function run(): Promise<void> {
  const database = await openDatabase(loadConfig(), entities, "facet-migrate");
  try {
    if (process.argv.includes("--revert")) await database.dataSource.undoLastMigration({ transaction: "each" });
    else await migrate(database.dataSource);
    const pending = await database.dataSource.showMigrations();
    console.log(pending ? "Migrations are pending." : "All migrations are applied.");
  } finally {
    await database.close();
  }
}

run().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
