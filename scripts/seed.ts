import "reflect-metadata";
import { loadConfig } from "../src/config";
import { migrate, openDatabase } from "../src/db/database";
import { entities } from "../src/modules/entities";
import { seedDemoData } from "../src/seed/demo";

// npm run seed: loads the demo data into DATABASE_URL (or the embedded database), once.
async function run(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase(config, entities, "facet-seed");
  try {
    await migrate(database.dataSource);
    const seeded = await seedDemoData(database.dataSource, config.env);
    console.log(seeded ? "Demo data seeded." : "Demo data was already there; nothing changed.");
  } finally {
    await database.close();
  }
}

run().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
