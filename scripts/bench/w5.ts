import { randomUUID } from "node:crypto";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";

// W5: live subscribers beside the order history. 200 buyers (one per distributor) hold a
// `myOrdersUpdated` subscription while W1 runs; a writer places and cancels orders for those
// distributors at a steady rate, so that events flow to the subscribers. W1 is measured in slices
// taken in turn with and without the subscribers (the writer runs in both), so that the
// difference is what the subscribers cost; each event's way to its subscriber is timed from the
// order's `updatedAt` (the start of the transaction that changed it) to its arrival.

export interface Driven {
  seconds: number;
  requests: number;
  errors: number;
  latencies: number[];
}

export interface W5Buyer {
  token: string;
  /** A variant (global id) the buyer's price list prices and stock holds, to place orders of. */
  variantId: string;
}

export interface W5Options {
  facetUrl: string;
  buyers: readonly W5Buyer[];
  /** Drives W1 at the run's connections for `seconds`. */
  driveW1(seconds: number): Promise<Driven>;
  seconds: number;
  rounds: number;
  /** Orders placed (and cancelled) per second by the writer. */
  writesPerSecond: number;
}

export interface W5Result {
  subscribers: number;
  without: { requestsPerSecond: number; p50: number; p99: number; errors: number };
  with: { requestsPerSecond: number; p50: number; p99: number; errors: number };
  /** W1's throughput with the subscribers as a share of it without. */
  ratio: number;
  writes: { placed: number; failed: number };
  events: { received: number; p50: number; p99: number; max: number };
  /** Sockets closed by Facet while measured (none expected). */
  closed: number;
  /** Orders the writer placed, for the run to delete afterwards. */
  orderIds: string[];
}

const percentile = (sorted: readonly number[], p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]);

function summary(driven: readonly Driven[]) {
  const requests = driven.reduce((n, d) => n + d.requests, 0);
  const seconds = driven.reduce((n, d) => n + d.seconds, 0);
  const latencies = driven.flatMap((d) => d.latencies).sort((a, b) => a - b);
  return { requestsPerSecond: requests / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors: driven.reduce((n, d) => n + d.errors, 0) };
}

const SUBSCRIPTION = "subscription W5 { myOrdersUpdated { id status updatedAt } }";
const PLACE = `mutation W5Place($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id } userErrors { message } } }`;
const CANCEL = `mutation W5Cancel($id: ID!) { cancelOrder(input: { id: $id }) { userErrors { message } } }`;

async function graphql(url: string, token: string, query: string, variables: Record<string, unknown>): Promise<Record<string, any>> {
  const response = await fetch(`${url}/graphql`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: Record<string, any>; errors?: unknown };
  if (response.status !== 200 || body.errors || !body.data) throw new Error(`${response.status} ${JSON.stringify(body).slice(0, 300)}`);
  return body.data;
}

/** The writer: a place-and-cancel for one buyer after another, `perSecond` orders a second, until stopped. */
function startWriter(url: string, buyers: readonly W5Buyer[], perSecond: number) {
  const orderIds: string[] = [];
  let failed = 0;
  let turn = 0;
  let stopped = false;
  const inFlight = new Set<Promise<void>>();
  const once = async () => {
    const buyer = buyers[turn++ % buyers.length];
    try {
      const placed = await graphql(url, buyer.token, PLACE, {
        input: { idempotencyKey: randomUUID(), buyerReference: "W5", lines: [{ variantId: buyer.variantId, quantity: 1 }] },
      });
      const id = placed.placeOrder.order?.id as string | undefined;
      if (!id) throw new Error(JSON.stringify(placed.placeOrder.userErrors));
      orderIds.push(id);
      await graphql(url, buyer.token, CANCEL, { id });
    } catch {
      failed++;
    }
  };
  const timer = setInterval(() => {
    if (stopped) return;
    const p = once().finally(() => inFlight.delete(p));
    inFlight.add(p);
  }, 1000 / perSecond);
  return {
    orderIds,
    failures: () => failed,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await Promise.all([...inFlight]);
    },
  };
}

/** Connects one subscriber per buyer and resolves once each has its subscription acknowledged by a first keep-alive of the socket. */
async function subscribe(url: string, buyers: readonly W5Buyer[], onEvent: (latencyMs: number) => void, onClosed: () => void): Promise<Client[]> {
  const ws = url.replace(/^http/, "ws") + "/graphql";
  const clients = await Promise.all(
    buyers.map(
      (buyer) =>
        new Promise<Client>((resolve, reject) => {
          let measuring = false;
          const client = createClient({
            url: ws,
            webSocketImpl: WebSocket,
            lazy: false,
            retryAttempts: 0,
            connectionParams: { authorization: `Bearer ${buyer.token}` },
            on: {
              connected: () => {
                measuring = true;
                resolve(client);
              },
              closed: (event) => {
                if (measuring && (event as { code?: number }).code !== 1000) onClosed();
              },
              error: (error) => reject(error instanceof Error ? error : new Error(String(error))),
            },
          });
          client.subscribe<{ myOrdersUpdated: { updatedAt: string } }>(
            { query: SUBSCRIPTION },
            {
              next: (result) => {
                const at = result.data?.myOrdersUpdated?.updatedAt;
                if (at) onEvent(Date.now() - Date.parse(at));
              },
              error: () => onClosed(),
              complete: () => undefined,
            },
          );
        }),
    ),
  );
  // The subscriptions are registered once their `subscribe` messages have been read: give them a moment.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  return clients;
}

export async function measureW5(options: W5Options): Promise<W5Result> {
  const latencies: number[] = [];
  let closed = 0;
  const writer = startWriter(options.facetUrl, options.buyers, options.writesPerSecond);
  const without: Driven[] = [];
  const withSubscribers: Driven[] = [];
  const slice = options.seconds / options.rounds;
  try {
    for (let round = 0; round < options.rounds; round++) {
      without.push(await options.driveW1(slice));
      const clients = await subscribe(
        options.facetUrl,
        options.buyers,
        (ms) => latencies.push(ms),
        () => closed++,
      );
      try {
        withSubscribers.push(await options.driveW1(slice));
      } finally {
        await Promise.all(clients.map((c) => c.dispose()));
      }
    }
  } finally {
    await writer.stop();
  }
  const a = summary(without);
  const b = summary(withSubscribers);
  const sorted = latencies.sort((x, y) => x - y);
  return {
    subscribers: options.buyers.length,
    without: a,
    with: b,
    ratio: b.requestsPerSecond / a.requestsPerSecond,
    writes: { placed: writer.orderIds.length, failed: writer.failures() },
    events: { received: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN },
    closed,
    orderIds: writer.orderIds,
  };
}

const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : "n/a");

/** W5's section of the report. */
export function formatW5(result: W5Result, writesPerSecond: number): string {
  const met = result.ratio >= 0.9;
  return [
    "## W5: live subscribers beside the order history",
    "",
    `${result.subscribers} subscribers (\`myOrdersUpdated\`, one buyer per distributor) connected during every other W1 slice; a writer placed and cancelled ${writesPerSecond} orders a second for their distributors during every slice.`,
    "",
    "| W1 | requests/s | p50 ms | p99 ms | errors |",
    "| --- | ---: | ---: | ---: | ---: |",
    `| without subscribers | ${fixed(result.without.requestsPerSecond, 0)} | ${fixed(result.without.p50, 1)} | ${fixed(result.without.p99, 1)} | ${result.without.errors} |`,
    `| with ${result.subscribers} subscribers | ${fixed(result.with.requestsPerSecond, 0)} | ${fixed(result.with.p50, 1)} | ${fixed(result.with.p99, 1)} | ${result.with.errors} |`,
    "",
    `- W1 with subscribers: ${fixed(result.ratio, 2)}× its throughput without (target: at least 0.90×, ${met ? "met" : "not met"}).`,
    `- Events received by subscribers: ${result.events.received}, from ${result.writes.placed} orders placed and cancelled (${result.writes.failed} writes failed); sockets closed by Facet: ${result.closed}.`,
    `- Event to subscriber (from the change's transaction start to arrival): p50 ${fixed(result.events.p50, 1)} ms, p99 ${fixed(result.events.p99, 1)} ms, max ${fixed(result.events.max, 1)} ms.`,
    "",
  ].join("\n");
}
