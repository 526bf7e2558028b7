import http from "node:http";
import { Pool } from "pg";
import { loadConfig } from "../../src/config";
import { verifyAccessToken } from "../../src/modules/accounts/access-token";
import { W1_CEILING_SQL, W2_CEILING_SQL } from "./workloads";

// The ceiling for W1 and W2: a bare node:http handler that checks the bearer token as Facet does
// and answers with the JSON PostgreSQL builds in one prepared statement (json_agg). No GraphQL,
// no ORM, no per-field work in Node: what is left is what any server of these answers must pay.
//
// POST /w1 → W1's response body; POST /w2 (body {"metal": "GOLD"}) → W2's. GET /stats → this
// process's CPU time and statements so far. Same environment as Facet: DATABASE_URL, JWT_SECRET,
// PORT, DB_POOL_SIZE.

const config = loadConfig({ ...process.env, NODE_ENV: "production" });
const pool = new Pool({ connectionString: config.databaseUrl, max: config.dbPoolSize, statement_timeout: config.dbStatementTimeoutMs });
let statements = 0;

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => resolve(body));
    req.on("error", reject);
  });
}

function send(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

const server = http.createServer(async (req, res) => {
  try {
    if (req.method === "GET" && req.url === "/stats") {
      const cpu = process.cpuUsage();
      send(res, 200, JSON.stringify({ cpuSeconds: (cpu.user + cpu.system) / 1e6, statements }));
      return;
    }
    const raw = await readBody(req);
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
    const claims = token ? verifyAccessToken(config, token) : null;
    if (!claims || claims.typ !== "user") {
      send(res, 401, JSON.stringify({ errors: [{ message: "unauthenticated", extensions: { code: "UNAUTHENTICATED" } }] }));
      return;
    }
    // Prepared by name, as Facet prepares its own: a connection parses each statement once and
    // PostgreSQL may keep its plan, so the ceiling does not pay for work Facet is spared.
    let statement: { name: string; text: string; values: unknown[] };
    if (req.url === "/w1") {
      statement = { name: "ceiling_w1", text: W1_CEILING_SQL, values: [claims.sub] };
    } else if (req.url === "/w2") {
      statement = { name: "ceiling_w2", text: W2_CEILING_SQL, values: [claims.sub, (JSON.parse(raw || "{}") as { metal?: string }).metal ?? "GOLD"] };
    } else {
      send(res, 404, JSON.stringify({ error: "not_found" }));
      return;
    }
    statements++;
    const result = await pool.query<{ body: string }>(statement);
    send(res, 200, result.rows[0].body);
  } catch (error) {
    console.error(error);
    send(res, 500, JSON.stringify({ errors: [{ message: "internal", extensions: { code: "INTERNAL_SERVER_ERROR" } }] }));
  }
});

server.listen(config.port, "127.0.0.1", () => {
  process.stdout.write(`ceiling listening on ${(server.address() as { port: number }).port}\n`);
});

const stop = () => {
  server.close(() => void pool.end().then(() => process.exit(0)));
  server.closeAllConnections();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
