import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createClient } from "redis";
import { ApiScope } from "../../src/core/access";
import { freePort } from "../../src/free-port";
import { ApiClient, hashSecret, User } from "../../src/modules/accounts";
import { adminQuery, nodeOptions, prepareDemoDatabase, repositoryRoot, stopChild, waitForReady, type Credentials } from "../support/facet";

// The server under attack: by default one of our own (a fresh database with the demo data, Facet
// in production mode as a child process), or the one at ATTACK_URL.

export interface Target {
  url: URL;
  /** "own target (…)" or the URL given. */
  description: string;
  /** The attacking buyer. */
  buyer: Credentials;
  /** The buyer whose probe measures what the attacks cost others (another distributor's, when we set up). */
  probe: Credentials;
  /** An exporter staff member (EXPORT_MANAGER); attacks that need one are skipped without it. */
  staff: Credentials | undefined;
  /** An API client of the attacking buyer's distributor with only `orders:read`. */
  ordersReadClient: { clientId: string; secret: string } | undefined;
  /** Real accounts' emails, none of the ones above, for wrong-password sign-ins. */
  otherEmails: string[];
  /** TRUST_PROXY of the target as far as we know it (ours: what we set; another: ATTACK_TRUST_PROXY). */
  trustProxy: string | undefined;
  /** Where the target's log goes, when it is ours. */
  logFile: string | undefined;
  /** Stops the server and drops the database, when they are ours. */
  close(): Promise<void>;
}

export const ATTACK_DATABASE = "facet_attack";
const DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres";
// Facet's rate limits of this run live in a logical Redis database of their own, so that flushing
// them, and the buckets the attacks empty, never touch another Facet's on the same Redis.
const DEFAULT_REDIS = "redis://127.0.0.1:6379/9";

// Demo logins (src/seed/demo.ts): the buyer attacks, another distributor's buyer probes, the
// export manager is the staff account, and the rest get wrong passwords.
const ATTACK_BUYER = "buyer@atelier-paris.example";
const PROBE_BUYER = "buyer@gulf-gold.example";
const STAFF = "manager@facet.example";
const OTHER_DEMO_EMAILS = ["admin@atelier-paris.example", "buyer@maple-jewels.example", "support@facet.example"];

const say = (line: string) => process.stdout.write(`${line}\n`);

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`With ATTACK_URL set, ${name} is required`);
  return value;
}

/** The server at ATTACK_URL, with the accounts the environment names. */
export function externalTarget(url: string): Target {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`ATTACK_URL must be a URL such as http://127.0.0.1:4000, got "${url}"`);
  }
  if (parsed.protocol !== "http:") throw new Error(`ATTACK_URL must be an http:// URL (the attacks speak plain HTTP), got "${url}"`);
  const buyer = { email: required("ATTACK_BUYER_EMAIL"), password: required("ATTACK_BUYER_PASSWORD") };
  const staff = process.env.ATTACK_STAFF_EMAIL ? { email: process.env.ATTACK_STAFF_EMAIL, password: required("ATTACK_STAFF_PASSWORD") } : undefined;
  const probe = process.env.ATTACK_PROBE_EMAIL ? { email: process.env.ATTACK_PROBE_EMAIL, password: required("ATTACK_PROBE_PASSWORD") } : buyer;
  const ordersReadClient = process.env.ATTACK_CLIENT_ID ? { clientId: process.env.ATTACK_CLIENT_ID, secret: required("ATTACK_CLIENT_SECRET") } : undefined;
  const named = new Set([buyer.email, probe.email, staff?.email].filter(Boolean));
  return {
    url: new URL(parsed.origin),
    description: parsed.origin,
    buyer,
    probe,
    staff,
    ordersReadClient,
    otherEmails: [ATTACK_BUYER, PROBE_BUYER, STAFF, ...OTHER_DEMO_EMAILS].filter((email) => !named.has(email)),
    trustProxy: process.env.ATTACK_TRUST_PROXY || undefined,
    logFile: undefined,
    close: async () => {},
  };
}

/** Deletes Facet's keys (`facet:*`: rate-limit buckets) from the Redis the target will use. */
async function flushFacetKeys(redisUrl: string): Promise<number> {
  const client = createClient({ url: redisUrl });
  client.on("error", () => {});
  await client.connect();
  let deleted = 0;
  try {
    for await (const keys of client.scanIterator({ MATCH: "facet:*", COUNT: 500 })) {
      if (keys.length > 0) deleted += await client.del(keys);
    }
  } finally {
    await client.quit();
  }
  return deleted;
}

/**
 * A target of our own: database `facet_attack` (dropped first when it exists) with the migrations
 * and the demo data, known passwords for the accounts the attacks use, an `orders:read` API
 * client, and Facet from the same build as this script, in production mode.
 */
export async function ownTarget(scriptDir: string): Promise<Target> {
  const postgres = new URL(process.env.ATTACK_POSTGRES_URL || DEFAULT_POSTGRES);
  const adminUrl = postgres.toString();
  const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${ATTACK_DATABASE}` }).toString();
  const redisUrl = process.env.ATTACK_REDIS_URL || DEFAULT_REDIS;
  const main = path.join(scriptDir, "../../src/main.js");
  if (!existsSync(main)) throw new Error(`Facet's compiled entry point is missing at ${main}: build Facet first`);
  const root = repositoryRoot(scriptDir);

  let child: ChildProcess | undefined;
  let created = false;
  const close = async () => {
    if (child) await stopChild(child);
    if (created) await adminQuery(adminUrl, [`DROP DATABASE IF EXISTS ${ATTACK_DATABASE} WITH (FORCE)`]);
  };
  try {
    say(`setting up: database ${ATTACK_DATABASE} on ${postgres.host}, migrations, demo data`);
    await adminQuery(adminUrl, [`DROP DATABASE IF EXISTS ${ATTACK_DATABASE} WITH (FORCE)`, `CREATE DATABASE ${ATTACK_DATABASE}`]);
    created = true;
    const clientSecret = `fct_${randomBytes(32).toString("base64url")}`;
    const clientId = `attack-orders-read-${randomBytes(4).toString("hex")}`;
    // Production refuses the published demo password, so the accounts we use get passwords of this run.
    const [buyer, probe, staff] = await prepareDemoDatabase(databaseUrl, {
      applicationName: "facet-attack-setup",
      passwordPrefix: "attack-",
      accounts: [ATTACK_BUYER, PROBE_BUYER, STAFF],
      more: async (dataSource) => {
        const attacker = await dataSource.manager.findOneByOrFail(User, { email: ATTACK_BUYER });
        await dataSource.manager.save(
          dataSource.manager.create(ApiClient, {
            distributorId: attacker.distributorId!,
            clientId,
            name: "Attack: orders:read only",
            scopes: [ApiScope.ORDERS_READ],
            secretHash: await hashSecret(clientSecret),
          }),
        );
      },
    });

    const flushed = await flushFacetKeys(redisUrl);
    const port = await freePort();
    const logFile = path.join(os.tmpdir(), `facet-attack-${process.pid}.log`);
    const trustProxy = process.env.ATTACK_TRUST_PROXY || undefined;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      JWT_SECRET: randomBytes(48).toString("base64url"),
      HOST: "127.0.0.1",
      PORT: String(port),
      MIGRATE_ON_START: "false",
      LOG_LEVEL: "warn",
      ...(trustProxy ? { TRUST_PROXY: trustProxy } : {}),
    };
    const flags = nodeOptions(root);
    say(`starting Facet: node ${flags.join(" ")} ${path.relative(root, main) || main} on port ${port} (Redis ${redisUrl}, ${flushed} facet:* keys flushed; log ${logFile})`);
    const log = createWriteStream(logFile);
    child = spawn(process.execPath, [...flags, main], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    const url = new URL(`http://127.0.0.1:${port}`);
    await waitForReady(url, child, logFile);
    return {
      url,
      description: `own target: Facet in production mode on ${url.origin}, database ${ATTACK_DATABASE}, demo data, Redis ${redisUrl}${trustProxy ? `, TRUST_PROXY=${trustProxy}` : ""}`,
      buyer,
      probe,
      staff,
      ordersReadClient: { clientId, secret: clientSecret },
      otherEmails: OTHER_DEMO_EMAILS,
      trustProxy,
      logFile,
      close,
    };
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
}
