import http from "node:http";
import { performance } from "node:perf_hooks";

// HTTP as an outside client sends it: node:http, one connection pool (Agent) per actor, so that
// one party's sockets never queue another's (the attacker's the probe's, in the attack replay),
// and an actor may send from its own local address. Shared by scripts/attack and scripts/drill.

/** One party on the network: its connections and the address they leave from. */
export interface Actor {
  name: string;
  agent: http.Agent;
  /** The local address its connections are bound to (a loopback alias); the OS's choice when absent. */
  localAddress: string | undefined;
}

export function actor(name: string, localAddress: string | undefined, maxSockets = Infinity): Actor {
  return { name, agent: new http.Agent({ keepAlive: true, maxSockets }), localAddress };
}

export function closeActor(who: Actor): void {
  who.agent.destroy();
}

export interface Answer {
  /** The HTTP status; 0 when no answer came (a transport error or the client's timeout). */
  status: number;
  ms: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The body as JSON, when it is JSON. */
  json: any;
  /** Why no answer came. */
  failure?: string;
}

export interface RequestOptions {
  method?: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
}

// Long enough for a server that an attack holds up to answer at last: the answer's time is the measure.
const DEFAULT_TIMEOUT_MS = 150_000;

export function send(base: URL, from: Actor, options: RequestOptions): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const done = (answer: Omit<Answer, "ms">) => {
      if (settled) return;
      settled = true;
      resolve({ ...answer, ms: performance.now() - started });
    };
    const headers: Record<string, string | number> = { ...options.headers };
    if (options.body !== undefined) headers["content-length"] = Buffer.byteLength(options.body);
    const request = http.request(
      {
        host: base.hostname,
        port: base.port || 80,
        method: options.method ?? "POST",
        path: options.path,
        headers,
        agent: from.agent,
        localAddress: from.localAddress,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", (error) => done({ status: 0, headers: {}, body: "", json: undefined, failure: error.message }));
        response.on("end", () => {
          const body = Buffer.concat(chunks).toString("utf8");
          let json: unknown;
          try {
            json = body ? JSON.parse(body) : undefined;
          } catch {
            json = undefined;
          }
          done({ status: response.statusCode ?? 0, headers: response.headers, body, json });
        });
      },
    );
    request.setTimeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, () => {
      request.destroy(new Error("timed out"));
    });
    request.on("error", (error) => done({ status: 0, headers: {}, body: "", json: undefined, failure: error.message === "timed out" ? "timeout" : error.message }));
    if (options.body !== undefined) request.write(options.body);
    request.end();
  });
}

export interface GraphQLOptions {
  token?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
  operationName?: string;
}

/** POST /graphql with a JSON body, as a client sends it. */
export function graphql(base: URL, from: Actor, query: string, variables?: Record<string, unknown>, options: GraphQLOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { "content-type": "application/json", ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const body = JSON.stringify({ query, ...(variables ? { variables } : {}), ...(options.operationName ? { operationName: options.operationName } : {}) });
  return send(base, from, { path: "/graphql", headers, body, timeoutMs: options.timeoutMs });
}

/** The status of an answer as the table shows it: the code, or "timeout" / "no answer". */
export function statusLabel(answer: Answer): string {
  if (answer.status !== 0) return String(answer.status);
  return answer.failure === "timeout" ? "timeout" : "no answer";
}

/** "429 ×95, 200 ×5": how often each status came, most frequent first. */
export function tally(answers: readonly Answer[]): string {
  const counts = new Map<string, number>();
  for (const a of answers) counts.set(statusLabel(a), (counts.get(statusLabel(a)) ?? 0) + 1);
  return [...counts.entries()]
    .sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))
    .map(([status, count]) => `${status} ×${count}`)
    .join(", ");
}

/** The `extensions.code` of each top-level error of a GraphQL answer. */
export function errorCodes(answer: Answer): string[] {
  const errors = (answer.json as { errors?: { extensions?: { code?: unknown } }[] } | undefined)?.errors ?? [];
  return errors.map((e) => (typeof e.extensions?.code === "string" ? e.extensions.code : "(no code)"));
}

export interface RateLimitReport {
  cost: number;
  limit: number;
  remaining: number;
  restoreRate: number;
}

export function rateLimitOf(answer: Answer): RateLimitReport | undefined {
  const report = (answer.json as { extensions?: { rateLimit?: RateLimitReport } } | undefined)?.extensions?.rateLimit;
  return report && typeof report.cost === "number" ? report : undefined;
}
