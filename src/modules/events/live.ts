import { permits } from "../../core/access";
import type { RequestContext } from "../../core/context";
import { tenantOf } from "../../core/tenancy";
import { BadRequestError } from "../../graphql/errors";
import { eventBusOf, type PublishedEvent } from "./bus";
import { EVENT_TYPES, type EventType } from "./event-types";

/**
 * What the server that carries a subscription (src/server/subscriptions.ts) tells the streams it
 * starts: how many objects one may hold pending, what to do when it overflows, and where to count.
 */
export interface LiveOptions {
  /** The most objects one subscription holds pending (each object's events coalesce into one). */
  bufferSize: number;
  /** Called once when a subscription overflows: its subscriber is too slow, and is let go. */
  overflowed(): void;
  stats: LiveStats;
}

/** Counters of the live streams of one server, for /metrics-like reports and tests. */
export interface LiveStats {
  /** Streams open now. */
  open: number;
  /** The most objects any one stream has held pending at once: never above LiveOptions.bufferSize. */
  maxPending: number;
  /** Events handed to streams (after their filter). */
  accepted: number;
  /** Events that joined one already pending for the same object. */
  coalesced: number;
  /** Streams closed because they overflowed. */
  overflows: number;
}

export const newLiveStats = (): LiveStats => ({ open: 0, maxPending: 0, accepted: 0, coalesced: 0, overflows: 0 });

const liveOptions = new WeakMap<RequestContext, LiveOptions>();

/** Marks a subscription's context as one a live transport carries (only the server does). */
export function allowLive(ctx: RequestContext, options: LiveOptions): void {
  liveOptions.set(ctx, options);
}

/** Which events a subscription follows: a domain's types, about one object or all its caller may see. */
export interface LiveFilter {
  /** The event types' prefix: `order.`, `shipment.`, `design_brief.`. */
  prefix: `${string}.`;
  /** The database id of the one object followed; every object of the prefix when absent. */
  subjectId?: string;
}

/**
 * The committed events a subscriber may hear of, as an async iterator over the process's bus:
 * those of `filter` that the caller may read (the type's readers) and that belong to the caller's
 * distributor (staff: every distributor's). The iterator holds what its consumer has not yet taken
 * in a bounded buffer, one entry per object: a second event about an object already pending
 * replaces the first, since the consumer reads the object afresh anyway. When more objects than
 * `bufferSize` are pending, the subscriber is too slow: the stream ends and `overflowed` is called
 * (the server closes the socket, and the client reads the state again when it reconnects).
 *
 * Holds no database connection: the context is read only here, at the start.
 */
export function liveEvents(ctx: RequestContext, filter: LiveFilter): AsyncIterableIterator<PublishedEvent> {
  const options = liveOptions.get(ctx);
  const bus = eventBusOf(ctx.dataSource);
  if (!options || !bus) throw new BadRequestError("Subscriptions are served over WebSocket at /graphql (graphql-ws); see docs/subscriptions.md");
  const tenant = tenantOf(ctx);
  const readable = new Set(
    (Object.keys(EVENT_TYPES) as EventType[]).filter((type) => type.startsWith(filter.prefix) && permits(ctx, EVENT_TYPES[type].readers)),
  );
  const accepts = (event: PublishedEvent) =>
    readable.has(event.type) &&
    (tenant === null || event.distributorId === tenant) &&
    (filter.subjectId === undefined || event.subjectId === filter.subjectId);
  return new LiveStream(bus.subscribe.bind(bus), accepts, options);
}

type Waiter = (result: IteratorResult<PublishedEvent>) => void;

/**
 * The iterator itself, written out rather than as an async generator: an async generator waiting
 * for its next event cannot be returned from until that event comes, and a socket that closes
 * must stop listening at once.
 */
class LiveStream implements AsyncIterableIterator<PublishedEvent> {
  /** Events not yet taken, by the object they are about (or the event's own id when about none). */
  private readonly pending = new Map<string, PublishedEvent>();
  private waiter: Waiter | undefined;
  private done = false;
  private readonly unsubscribe: () => void;

  constructor(
    subscribe: (listener: (event: PublishedEvent) => void) => () => void,
    private readonly accepts: (event: PublishedEvent) => boolean,
    private readonly options: LiveOptions,
  ) {
    this.unsubscribe = subscribe((event) => this.offer(event));
    options.stats.open++;
  }

  private offer(event: PublishedEvent): void {
    if (this.done || !this.accepts(event)) return;
    const { stats, bufferSize } = this.options;
    stats.accepted++;
    // A waiting consumer is handed the event after the publisher's turn: the other events of the
    // same publish (one transaction's) about the same object join it first.
    if (this.waiter && this.pending.size === 0) queueMicrotask(() => this.wake());
    const key = event.subjectId ?? event.id;
    if (this.pending.has(key)) {
      // The later event replaces the earlier; the object keeps its place in line.
      stats.coalesced++;
      this.pending.set(key, event);
      return;
    }
    if (this.pending.size >= bufferSize) {
      stats.overflows++;
      this.finish();
      this.options.overflowed();
      return;
    }
    this.pending.set(key, event);
    if (this.pending.size > stats.maxPending) stats.maxPending = this.pending.size;
  }

  /** Hands the first pending event to the waiting consumer, if both are there. */
  private wake(): void {
    const waiter = this.waiter;
    if (!waiter || this.pending.size === 0) return;
    this.waiter = undefined;
    waiter({ value: this.take(), done: false });
  }

  private take(): PublishedEvent {
    const [key, event] = this.pending.entries().next().value!;
    this.pending.delete(key);
    return event;
  }

  next(): Promise<IteratorResult<PublishedEvent>> {
    if (this.pending.size > 0) return Promise.resolve({ value: this.take(), done: false });
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    // One consumer takes one event at a time (graphql-js and graphql-ws do): a second call before
    // the first is answered ends the first.
    this.waiter?.({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiter = resolve));
  }

  return(): Promise<IteratorResult<PublishedEvent>> {
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<PublishedEvent>> {
    this.finish();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<PublishedEvent> {
    return this;
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.unsubscribe();
    this.pending.clear();
    this.options.stats.open--;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.({ value: undefined, done: true });
  }
}
