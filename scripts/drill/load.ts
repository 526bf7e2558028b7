import { randomBytes, randomUUID } from "node:crypto";
import { actor, closeActor, errorCodes, graphql, type Actor, type Answer } from "../support/http";

// The load a drill runs under: loops of signed-in buyers on keep-alive connections, each reading
// (an orders page, a products page) and placing orders, every order with an idempotency key of
// its own. A write that gets a retryable answer (503 or 429 with Retry-After, or no answer at
// all) is sent again with the same key after a short backoff, a bounded number of times, as a
// well-behaved ERP would. Every request and every write is recorded.

export const ORDERS_PAGE = `query DrillOrders { orders(first: 20) { nodes { number status placedAt total { amount currency } } pageInfo { hasNextPage endCursor } } }`;
export const PRODUCTS_PAGE = `query DrillProducts { products(first: 20) { nodes { styleCode name variants { sku price { amount currency } } } pageInfo { hasNextPage endCursor } } }`;
export const PLACE_ORDER = `mutation DrillPlaceOrder($input: PlaceOrderInput!) { placeOrder(input: $input) { order { number status } userErrors { field code } } }`;

/** Every order the drill places has a buyer reference of its own starting so; the COMMIT-failure drill's start MARKER. */
export const REFERENCE_PREFIX = "DRILL-";
export const MARKER = "DRILL-FAIL-";

const REQUEST_TIMEOUT_MS = 15_000;
/** Retries of one write after its first attempt. */
export const MAX_RETRIES = 8;
export const BACKOFF_FIRST_MS = 250;
export const BACKOFF_MAX_MS = 2000;
/** A loop's pause after a read that failed, so that an outage is not met by a spin of refused connections. */
const READ_FAILURE_PAUSE_MS = 100;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Buyer {
  /** The distributor's code, for the report. */
  distributor: string;
  token: string;
  /** Variants its distributor can order, with the style's minimum order quantity. */
  orderable: { id: string; minimumOrderQuantity: number }[];
}

export type Kind = "orders" | "products" | "write" | "marker";

/** One HTTP request and its answer. */
export interface Sample {
  kind: Kind;
  sentAt: number;
  doneAt: number;
  /** 0: no answer (a connection error or the client's timeout). */
  status: number;
  /** The GraphQL errors' codes. */
  codes: string[];
  /** Why no answer came. */
  failure?: string;
  /** A 200 that did what was asked: data without errors (a write's user errors are an answer too). */
  ok: boolean;
}

export interface WriteAttempt {
  status: number;
  codes: string[];
  failure?: string;
  /** The order number a 200 returned. */
  number?: string;
  userErrors: string[];
  retryAfter: boolean;
}

/** One idempotency key and everything sent with it. */
export interface WriteRecord {
  key: string;
  reference: string;
  distributor: string;
  marker: boolean;
  /** placeOrder's input: the same with every attempt. */
  input: Record<string, unknown>;
  attempts: WriteAttempt[];
}

/** Whether the client should send it again: 503 or 429 with Retry-After, or no answer. */
export function retryable(attempt: WriteAttempt): boolean {
  return attempt.status === 0 || ((attempt.status === 503 || attempt.status === 429) && attempt.retryAfter);
}

/** The order number a write was acknowledged with, if any of its attempts got one. */
export function acknowledged(record: WriteRecord): string | undefined {
  return record.attempts.find((a) => a.number !== undefined)?.number;
}

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)];
}

function orderInput(buyer: Buyer, key: string, reference: string): Record<string, unknown> {
  const variant = pick(buyer.orderable);
  return { idempotencyKey: key, buyerReference: reference, lines: [{ variantId: variant.id, quantity: variant.minimumOrderQuantity }] };
}

export class Load {
  readonly samples: Sample[] = [];
  readonly writes: WriteRecord[] = [];
  private stopping = false;
  private loops: Promise<void>[] = [];
  private readonly actors: Actor[] = [];

  constructor(
    private readonly base: () => URL,
    private readonly buyers: readonly Buyer[],
  ) {}

  /** Starts `count` loops, buyers taken in turn, each on one keep-alive connection of its own. */
  start(count: number): void {
    for (let i = 0; i < count; i++) {
      const who = actor(`loop-${i}`, undefined, 1);
      this.actors.push(who);
      this.loops.push(this.loop(who, this.buyers[i % this.buyers.length], i));
    }
  }

  /** Lets every loop finish what it is doing (a write's retries included) and closes the connections. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.loops);
    for (const who of this.actors) closeActor(who);
  }

  /** An actor of its own, for requests beside the loops (closed with the load). */
  extraActor(name: string): Actor {
    const who = actor(name, undefined, 1);
    this.actors.push(who);
    return who;
  }

  private async loop(who: Actor, buyer: Buyer, index: number): Promise<void> {
    // Reads and writes in turn: orders, products, orders, write; each loop starts elsewhere in the turn.
    for (let step = index; !this.stopping; step++) {
      const turn = step % 4;
      if (turn === 3) {
        await this.write(who, buyer);
        continue;
      }
      const answer = await this.send(who, buyer, turn === 1 ? "products" : "orders", turn === 1 ? PRODUCTS_PAGE : ORDERS_PAGE);
      if (answer.status === 0 || answer.status >= 500) await sleep(READ_FAILURE_PAUSE_MS);
      else if (answer.status === 429) await sleep(Math.min(1000, Number(answer.headers["retry-after"] ?? 1) * 1000));
    }
  }

  private async send(who: Actor, buyer: Buyer, kind: Kind, query: string, variables?: Record<string, unknown>): Promise<Answer> {
    const sentAt = Date.now();
    const answer = await graphql(this.base(), who, query, variables, { token: buyer.token, timeoutMs: REQUEST_TIMEOUT_MS });
    const codes = errorCodes(answer);
    const data = (answer.json as { data?: unknown } | undefined)?.data;
    this.samples.push({
      kind,
      sentAt,
      doneAt: Date.now(),
      status: answer.status,
      codes,
      failure: answer.failure,
      ok: answer.status === 200 && codes.length === 0 && data !== undefined && data !== null,
    });
    return answer;
  }

  /** A new write: a key and a buyer reference of its own, sent until answered for good or out of retries. */
  async write(who: Actor, buyer: Buyer, options: { marker?: boolean; retries?: number } = {}): Promise<WriteRecord> {
    const key = randomUUID();
    const reference = `${options.marker ? MARKER : REFERENCE_PREFIX}${randomBytes(6).toString("hex")}`;
    const record: WriteRecord = { key, reference, distributor: buyer.distributor, marker: options.marker ?? false, input: orderInput(buyer, key, reference), attempts: [] };
    this.writes.push(record);
    await this.sendWrite(who, buyer, record, options.retries ?? MAX_RETRIES);
    return record;
  }

  /**
   * Sends a write (the same input with the same key, every time) until its answer is final or
   * `retries` retries are spent.
   */
  async sendWrite(who: Actor, buyer: Buyer, record: WriteRecord, retries: number): Promise<void> {
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await sleep(Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** (attempt - 1)) + Math.random() * 100);
      const answer = await this.send(who, buyer, record.marker ? "marker" : "write", PLACE_ORDER, { input: record.input });
      const payload = (answer.json as { data?: { placeOrder?: { order?: { number: string } | null; userErrors?: { code: string }[] } | null } | null } | undefined)?.data?.placeOrder;
      const result: WriteAttempt = {
        status: answer.status,
        codes: errorCodes(answer),
        failure: answer.failure,
        number: answer.status === 200 ? (payload?.order?.number ?? undefined) : undefined,
        userErrors: payload?.userErrors?.map((e) => e.code) ?? [],
        retryAfter: answer.headers["retry-after"] !== undefined,
      };
      record.attempts.push(result);
      if (!retryable(result)) return;
    }
  }
}
