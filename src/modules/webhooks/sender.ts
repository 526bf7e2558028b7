import http from "node:http";
import https from "node:https";
import { checkUrl, guardedLookup, systemResolver, type DestinationRules, type Resolver } from "./address-guard";
import { retryAfterMs } from "./schedule";

// One HTTP attempt of a webhook: a POST through the address guard, never following a redirect,
// bounded in time and in what it reads of the answer.

/** Bytes of an answer read at most: enough for an error page's first lines, never a download. */
export const READ_LIMIT_BYTES = 4096;
/** Characters of the answer kept on the attempt for its owner to see. */
export const EXCERPT_CHARS = 1024;

export interface Attempt {
  /** The HTTP status, or null when no answer came. */
  statusCode: number | null;
  durationMs: number;
  /** Why it failed; null for a 2xx. */
  error: string | null;
  responseExcerpt: string | null;
  /** The answer's `Retry-After`, in milliseconds, when it gave one. */
  retryAfterMs: number | null;
}

export interface SendOptions {
  timeoutMs: number;
  rules: DestinationRules;
  resolve?: Resolver;
}

const USER_AGENT = "Facet-Webhooks/1.0";

function excerpt(chunks: Buffer[]): string | null {
  if (chunks.length === 0) return null;
  // Control characters other than tabs and newlines say nothing to a person and may garble a screen.
  const text = Buffer.concat(chunks).toString("utf8").replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/g, "");
  return text.slice(0, EXCERPT_CHARS) || null;
}

function failure(status: number): string {
  if (status >= 300 && status < 400) return `answered ${status}: redirects are not followed; register the final URL`;
  return `answered ${status}`;
}

/** Posts `body` to `url` with `headers` and reports what happened; never throws. */
export function send(url: string, headers: Record<string, string>, body: string, options: SendOptions): Promise<Attempt> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const checked = checkUrl(url, options.rules);
  if (typeof checked === "string") {
    return Promise.resolve({ statusCode: null, durationMs: elapsed(), error: `refused: ${checked}`, responseExcerpt: null, retryAfterMs: null });
  }
  return new Promise((resolve) => {
    let settled = false;
    // Once the status is in, running out of time only cuts the body short.
    let answered: (() => void) | undefined;
    const settle = (attempt: Omit<Attempt, "durationMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve({ ...attempt, durationMs: elapsed() });
    };
    const transport = checked.protocol === "https:" ? https : http;
    const request = transport.request(
      checked.url,
      {
        method: "POST",
        // A fresh connection each time: a pooled socket would skip the lookup, and so the guard.
        agent: false,
        lookup: guardedLookup(checked.protocol, options.rules, options.resolve ?? systemResolver),
        headers: { ...headers, "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), "user-agent": USER_AGENT },
      },
      (response) => {
        const status = response.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () =>
          settle({
            statusCode: status,
            error: status >= 200 && status < 300 ? null : failure(status),
            responseExcerpt: excerpt(chunks),
            retryAfterMs: retryAfterMs(response.headers["retry-after"]),
          });
        answered = done;
        response.on("data", (chunk: Buffer) => {
          if (size < READ_LIMIT_BYTES) chunks.push(chunk.subarray(0, READ_LIMIT_BYTES - size));
          size += chunk.length;
          if (size >= READ_LIMIT_BYTES) done();
        });
        response.on("end", done);
        // The answer's status is in: a body cut short (a reset, the time limit) does not change it.
        response.on("error", done);
        response.on("close", done);
      },
    );
    const timer = setTimeout(() => (answered ? answered() : settle({ statusCode: null, error: `no answer within ${options.timeoutMs} ms`, responseExcerpt: null, retryAfterMs: null })), options.timeoutMs);
    request.on("error", (error: NodeJS.ErrnoException) => {
      const refused = error.code === "EREFUSEDDESTINATION";
      settle({ statusCode: null, error: refused ? `refused: ${error.message}` : `${error.code ?? "failed"}: ${error.message}`.slice(0, 500), responseExcerpt: null, retryAfterMs: null });
    });
    request.end(body);
  });
}
