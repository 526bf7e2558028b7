import "reflect-metadata";
import { loadConfig } from "../src/config";
import { openDatabase } from "../src/db/database";
import { entities } from "../src/modules/entities";
import { User } from "../src/modules/accounts";
import { signAccessToken } from "../src/modules/accounts/access-token";

// npm run token -- <email>: prints an access token for an active user, for curl and the playground.
async function run(): Promise<void> {
  const email = process.argv[2]?.toLowerCase();
  if (!email) throw new Error("usage: npm run token -- <email>");
  const config = loadConfig();
  const database = await openDatabase(config, entities, "facet-token");
  try {
    const user = await database.dataSource.manager.findOneBy(User, { email, active: true });
    if (!user) throw new Error(`no active user ${email}`);
    console.log(signAccessToken(config, { typ: "user", sub: user.id, tv: user.tokenVersion }).token);
  } finally {
    await database.close();
  }
}

run().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
