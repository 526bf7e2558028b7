import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { Client } from "pg";
import type { DataSource } from "typeorm";
import { createDataSource } from "../../src/db/data-source";
import { migrate } from "../../src/db/database";
import { hashSecret, User } from "../../src/modules/accounts";
import { entities } from "../../src/modules/entities";
import { seedDemoData } from "../../src/seed/demo";

// What the scripts that run a Facet of their own share (scripts/attack, scripts/drill): finding
// the checkout and its Node flags, a database with the demo data and passwords of the run, and
// starting and stopping the server as a child process.

export interface Credentials {
  email: string;
  password: string;
}

/** The directory of the checkout: the nearest one above `from` with Facet's package.json, else the working directory. */
export function repositoryRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "facet") return dir;
      } catch {
        // Not a readable package.json: keep looking.
      }
    }
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

/** The Node flags `npm start` gives Facet (package.json config.node_options). */
export function nodeOptions(root: string): string[] {
  try {
    const options = (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { config?: { node_options?: string } }).config?.node_options;
    if (options) return options.split(/\s+/).filter(Boolean);
  } catch {
    // Fall back to the flag production needs most.
  }
  return ["--max-semi-space-size=64"];
}

/** Runs statements one after the other on a connection of their own (CREATE DATABASE cannot run in a transaction). */
export async function adminQuery(adminUrl: string, statements: string[]): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

export interface DemoDatabaseOptions {
  /** `application_name` of the setup's connections. */
  applicationName: string;
  /** The start of each password made for the run, e.g. "attack-". */
  passwordPrefix: string;
  /** Demo accounts (src/seed/demo.ts) that get a password of this run. */
  accounts: readonly string[];
  /** Anything else the run needs in the database, on the same connection, after the passwords. */
  more?: (dataSource: DataSource) => Promise<void>;
}

/**
 * Applies the migrations to an empty database and loads the demo data, as the tests' global
 * setup does, then gives the accounts named passwords made for this run: production refuses the
 * published demo password. Returns their credentials, in the order named.
 */
export async function prepareDemoDatabase(databaseUrl: string, options: DemoDatabaseOptions): Promise<Credentials[]> {
  const dataSource = createDataSource({ entities, url: databaseUrl, embedded: false, poolSize: 2, statementTimeoutMs: 120_000, applicationName: options.applicationName });
  await dataSource.initialize();
  const accounts = options.accounts.map((email) => ({ email, password: `${options.passwordPrefix}${randomBytes(12).toString("base64url")}` }));
  try {
    await migrate(dataSource);
    await seedDemoData(dataSource, "development");
    for (const account of accounts) {
      const result = await dataSource.manager.update(User, { email: account.email }, { passwordHash: await hashSecret(account.password) });
      if (result.affected !== 1) throw new Error(`the demo data has no user ${account.email}`);
    }
    await options.more?.(dataSource);
  } finally {
    await dataSource.destroy();
  }
  return accounts;
}

/** Polls `/readyz` until it answers 200; fails when the child exits first or the time is up. */
export async function waitForReady(url: URL, child: ChildProcess, logFile: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Facet exited with code ${child.exitCode} before it was ready; see ${logFile}`);
    try {
      if ((await fetch(new URL("/readyz", url))).status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Facet was not ready within ${timeoutMs / 1000} s; see ${logFile}`);
}

/** SIGTERM, and SIGKILL when the child has not exited 20 s later. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  await exited;
  clearTimeout(timer);
}
