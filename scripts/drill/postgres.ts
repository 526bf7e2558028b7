import { execFileSync, spawn } from "node:child_process";
import { appendFileSync, chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";

// The drill's own PostgreSQL 15: a primary made with initdb in a temporary directory and a
// streaming replica of it made with pg_basebackup, each on a port of its own, so that restarting
// or stopping them touches nothing else on the machine. The server binaries refuse to run as
// root: when we are root they run as the `postgres` OS user (runuser), which owns the directory.

const BIN = process.env.DRILL_PG_BIN || "/usr/lib/postgresql/15/bin";
const OS_USER = "postgres";
const START_TIMEOUT_S = 60;

export interface PgServer {
  /** "primary" or "replica". */
  readonly name: string;
  readonly dataDir: string;
  readonly port: number;
  readonly logFile: string;
  /** A URL of this server for `database`, as the superuser `postgres` over TCP. */
  url(database: string): string;
  start(): Promise<void>;
  /** `pg_ctl stop`: `fast` rolls back open transactions and disconnects clients; `immediate` just quits. */
  stop(mode?: "fast" | "immediate"): Promise<void>;
  /** `pg_ctl restart -m fast`. */
  restart(): Promise<void>;
  running(): Promise<boolean>;
}

/** A command's exit code and output. */
interface Ran {
  code: number | null;
  output: string;
}

function asRoot(): boolean {
  return process.getuid?.() === 0;
}

/**
 * Runs a server binary, as the `postgres` OS user when we are root. In a process group of its
 * own (detached), so that a Ctrl-C at the terminal reaches this script, which stops the servers in
 * order, and not the servers themselves.
 */
function pgCommand(cwd: string, binary: string, args: string[]): Promise<Ran> {
  const command = path.join(BIN, binary);
  const [file, argv] = asRoot() ? ["runuser", ["-u", OS_USER, "--", command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { cwd, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output: output.trim() }));
  });
}

async function pg(cwd: string, binary: string, args: string[]): Promise<void> {
  const ran = await pgCommand(cwd, binary, args);
  if (ran.code !== 0) throw new Error(`${binary} ${args.join(" ")} failed (exit ${ran.code}): ${ran.output.slice(-800)}`);
}

class Server implements PgServer {
  readonly logFile: string;

  constructor(
    readonly name: string,
    private readonly root: string,
    readonly port: number,
  ) {
    this.logFile = path.join(root, `${name}.log`);
  }

  get dataDir(): string {
    return path.join(this.root, this.name);
  }

  url(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  start(): Promise<void> {
    return pg(this.root, "pg_ctl", ["start", "-D", this.dataDir, "-l", this.logFile, "-w", "-t", String(START_TIMEOUT_S)]);
  }

  stop(mode: "fast" | "immediate" = "fast"): Promise<void> {
    return pg(this.root, "pg_ctl", ["stop", "-D", this.dataDir, "-m", mode, "-w", "-t", String(START_TIMEOUT_S)]);
  }

  // -l again: without it the restarted server would write its log to pg_ctl's output, our pipe.
  restart(): Promise<void> {
    return pg(this.root, "pg_ctl", ["restart", "-D", this.dataDir, "-m", "fast", "-l", this.logFile, "-w", "-t", String(START_TIMEOUT_S)]);
  }

  async running(): Promise<boolean> {
    if (!existsSync(path.join(this.dataDir, "PG_VERSION"))) return false;
    return (await pgCommand(this.root, "pg_ctl", ["status", "-D", this.dataDir])).code === 0;
  }
}

export class DrillPostgres {
  readonly primary: PgServer;
  readonly replica: PgServer;

  private constructor(readonly root: string, primaryPort: number, replicaPort: number) {
    this.primary = new Server("primary", root, primaryPort);
    this.replica = new Server("replica", root, replicaPort);
  }

  /** A temporary directory for both clusters (and their logs), owned by the OS user that runs them. */
  static prepare(primaryPort: number, replicaPort: number): DrillPostgres {
    const root = mkdtempSync(path.join(os.tmpdir(), "facet-drill-"));
    if (asRoot()) {
      const uid = Number(execFileSync("id", ["-u", OS_USER], { encoding: "utf8" }).trim());
      const gid = Number(execFileSync("id", ["-g", OS_USER], { encoding: "utf8" }).trim());
      chownSync(root, uid, gid);
    }
    return new DrillPostgres(root, primaryPort, replicaPort);
  }

  /**
   * initdb, trust authentication on 127.0.0.1 (replication included), `wal_level=replica`, its
   * sockets in the temporary directory; then starts it.
   */
  async createPrimary(): Promise<void> {
    const { primary } = this;
    await pg(this.root, "initdb", ["-D", primary.dataDir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"]);
    writeFileSync(
      path.join(primary.dataDir, "pg_hba.conf"),
      ["local all all trust", "host all all 127.0.0.1/32 trust", "host replication all 127.0.0.1/32 trust", ""].join("\n"),
    );
    appendFileSync(
      path.join(primary.dataDir, "postgresql.conf"),
      [
        "",
        "# facet drill",
        "listen_addresses = '127.0.0.1'",
        `port = ${primary.port}`,
        `unix_socket_directories = '${this.root}'`,
        "wal_level = replica",
        "max_wal_senders = 10",
        "hot_standby = on",
        "max_connections = 200",
        "",
      ].join("\n"),
    );
    await primary.start();
  }

  /** pg_basebackup -R -X stream of the running primary, on its own port, `hot_standby=on`; then starts it. */
  async createReplica(): Promise<void> {
    const { primary, replica } = this;
    await pg(this.root, "pg_basebackup", ["-h", "127.0.0.1", "-p", String(primary.port), "-U", "postgres", "-D", replica.dataDir, "-R", "-X", "stream", "--checkpoint=fast", "--no-sync"]);
    // The copied postgresql.conf names the primary's port; the last setting wins.
    appendFileSync(path.join(replica.dataDir, "postgresql.conf"), ["", "# facet drill replica", `port = ${replica.port}`, "hot_standby = on", ""].join("\n"));
    await replica.start();
  }

  /** Whether the replica streams from the primary (pg_stat_replication on the primary). */
  async streaming(): Promise<boolean> {
    const client = new Client({ connectionString: this.primary.url("postgres"), connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_replication WHERE state = 'streaming'`);
      return rows[0].n > 0;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  }

  /** Stops whichever server still runs (immediately: nothing of it is kept) and removes the directory. */
  async destroy(): Promise<void> {
    const problems: string[] = [];
    for (const server of [this.replica, this.primary]) {
      try {
        if (await server.running()) await server.stop("immediate");
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
      }
    }
    rmSync(this.root, { recursive: true, force: true });
    if (problems.length) throw new Error(problems.join("; "));
  }
}
