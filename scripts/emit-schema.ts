import "reflect-metadata";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { facetSdl } from "../src/server/schema";

// npm run schema:emit writes schema/schema.graphql; with --check it fails when the file is stale.
const file = path.resolve(__dirname, "../../schema/schema.graphql");

async function run(): Promise<void> {
  const sdl = await facetSdl();
  if (process.argv.includes("--check")) {
    let committed = "";
    try {
      committed = readFileSync(file, "utf8");
    } catch {
      // missing counts as stale
    }
    if (committed !== sdl) {
      console.error("schema/schema.graphql is stale: run `npm run schema:emit` and commit the result.");
      process.exit(1);
    }
    console.log("schema/schema.graphql is current.");
    return;
  }
  writeFileSync(file, sdl);
  console.log(`Wrote ${path.relative(process.cwd(), file)}`);
}

run().catch((error) => {
  console.error(error);
  process.exit(1);
});
