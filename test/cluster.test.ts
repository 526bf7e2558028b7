import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { freePort } from "../src/free-port";

// WEB_CONCURRENCY=2 runs the built server (dist/, which `npm test` builds before jest starts)
// as a primary and two workers on one port, against the test database and Redis. Not on the
// embedded database, which serves one process.
const ROOT = path.resolve(__dirname, "..");
const MAIN = path.join(ROOT, "dist/src/main.js");
const runs = Boolean(process.env.TEST_REDIS_URL) && !process.env.FACET_TEST_EMBEDDED;
const METRICS_TOKEN = randomBytes(24).toString("base64url");

interface LogLine {
  message: string;
  worker?: number;
  pid?: number;
  operation?: string;
}

/** One request on a connection of its own (the cluster hands out connections, not requests). */
function request(port: number, method: string, urlPath: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method, path: urlPath, agent: false, headers: { ...headers, ...(body ? { "content-type": "application/json" } : {}) } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const metricValue = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1] ?? NaN);

(runs ? describe : describe.skip)("Facet with WEB_CONCURRENCY=2", () => {
  let primary: ChildProcess;
  let port: number;
  const lines: LogLine[] = [];
  const exited = () => new Promise<number | null>((resolve) => (primary.exitCode !== null ? resolve(primary.exitCode) : primary.once("exit", (code) => resolve(code))));
  const waitFor = async (what: string, check: () => boolean) => {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    if (!check()) throw new Error(`timed out waiting for ${what}`);
  };
  const listening = () => lines.filter((l) => l.message === "Facet is listening");

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` (npm test does) first`);
    port = await freePort();
    primary = spawn(process.execPath, [MAIN], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: "production",
        DATABASE_URL: process.env.TEST_DATABASE_URL,
        REDIS_URL: process.env.TEST_REDIS_URL,
        JWT_SECRET: randomBytes(48).toString("base64url"),
        METRICS_TOKEN,
        WEB_CONCURRENCY: "2",
        HOST: "127.0.0.1",
        PORT: String(port),
        LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let buffered = "";
    primary.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      buffered += chunk;
      const complete = buffered.split("\n");
      buffered = complete.pop()!;
      for (const line of complete) if (line.startsWith("{")) lines.push(JSON.parse(line) as LogLine);
    });
    primary.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
      for (const line of chunk.split("\n")) if (line.startsWith("{")) lines.push(JSON.parse(line) as LogLine);
    });
    await waitFor("two workers to listen", () => listening().length >= 2);
  });

  afterAll(async () => {
    if (primary.exitCode === null) {
      primary.kill("SIGKILL");
      await exited();
    }
  });

  it("spreads connections over both workers, each of which logs as itself", async () => {
    for (let i = 0; i < 12; i++) {
      const { status, text } = await request(port, "POST", "/graphql", JSON.stringify({ query: "query Typename { __typename }" }));
      expect([status, (JSON.parse(text) as { data: unknown }).data]).toEqual([200, { __typename: "Query" }]);
    }
    await waitFor("12 request lines", () => lines.filter((l) => l.operation === "Typename").length === 12);
    const workers = new Set(lines.filter((l) => l.operation === "Typename").map((l) => l.worker));
    expect([...workers].sort()).toEqual([1, 2]);
  });

  it("serves at /metrics the sum over the workers, whichever is asked", async () => {
    const auth = { authorization: `Bearer ${METRICS_TOKEN}` };
    const count = 'facet_graphql_request_duration_seconds_count{operation="Typename",outcome="ok"}';
    for (let i = 0; i < 4; i++) {
      const { status, text } = await request(port, "GET", "/metrics", undefined, auth);
      expect(status).toBe(200);
      expect(metricValue(text, count.replace(/[{}]/g, "\\$&"))).toBe(12);
      // Two pools of at least one connection each: idle, or in use by a worker's job runner at that moment.
      const connections = metricValue(text, 'facet_db_pool_connections\\{state="idle"\\}') + metricValue(text, 'facet_db_pool_connections\\{state="in_use"\\}');
      expect(connections).toBeGreaterThanOrEqual(2);
    }
    expect((await request(port, "GET", "/metrics")).status).toBe(401);
  });

  it("replaces a worker that dies, and keeps answering", async () => {
    const before = listening().length;
    const pids = workerPids(primary.pid!);
    expect(pids).toHaveLength(2);
    process.kill(pids[0], "SIGKILL");
    await waitFor("a replacement worker", () => listening().length === before + 1);
    expect(lines.some((l) => l.message === "a worker exited; starting another")).toBe(true);
    expect(workerPids(primary.pid!)).toHaveLength(2);
    for (let i = 0; i < 4; i++) {
      const { status, text } = await request(port, "GET", "/readyz");
      expect([status, (JSON.parse(text) as { checks: { workers?: string } }).checks.workers]).toEqual([200, "all listening"]);
    }
  });

  it("stops every worker and exits 0 on SIGTERM", async () => {
    const pids = workerPids(primary.pid!);
    primary.kill("SIGTERM");
    expect(await exited()).toBe(0);
    for (const pid of pids) expect(alive(pid)).toBe(false);
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The primary's child processes (Linux: /proc/<pid>/task/<pid>/children). */
function workerPids(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
}

(runs ? describe : describe.skip)("Facet with WEB_CONCURRENCY=2 and no database to reach", () => {
  it("stops the cluster with exit code 1 when the workers cannot start", async () => {
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.pathname = `/facet_missing_${Date.now()}`;
    const primary = spawn(process.execPath, [MAIN], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: "production",
        DATABASE_URL: url.toString(),
        REDIS_URL: process.env.TEST_REDIS_URL,
        JWT_SECRET: randomBytes(48).toString("base64url"),
        WEB_CONCURRENCY: "2",
        MIGRATE_ON_START: "false",
        HOST: "127.0.0.1",
        PORT: String(await freePort()),
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    primary.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => primary.once("exit", resolve));
    expect(code).toBe(1);
    expect(stderr).toContain("a worker exited before it listened; stopping Facet");
  });
});

