import "reflect-metadata";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDataSource } from "../../src/db/data-source";
import { entities } from "../../src/modules/entities";
import { migrate } from "../../src/db/database";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "../../src/db/embedded";
import { seedDemoData } from "../../src/seed/demo";

// Runs once before all test files, outside jest's sandbox (where PGlite cannot start): uses
// TEST_DATABASE_URL when set, otherwise an embedded PostgreSQL in a temporary directory, then
// runs the real migrations and the demo seed.
export default async function globalSetup(): Promise<void> {
  let embedded: EmbeddedDatabase | undefined;
  if (!process.env.TEST_DATABASE_URL) {
    embedded = await startEmbeddedDatabase(mkdtempSync(path.join(os.tmpdir(), "facet-test-")));
    process.env.TEST_DATABASE_URL = embedded.url;
    process.env.FACET_TEST_EMBEDDED = "1";
    (globalThis as { facetEmbedded?: EmbeddedDatabase }).facetEmbedded = embedded;
  }
  const dataSource = createDataSource({
    entities,
    url: process.env.TEST_DATABASE_URL!,
    embedded: Boolean(embedded),
    poolSize: 1,
    statementTimeoutMs: 30_000,
    applicationName: "facet-test-setup",
  });
  await dataSource.initialize();
  try {
    await migrate(dataSource);
    await seedDemoData(dataSource, "test");
  } finally {
    await dataSource.destroy();
  }
}
