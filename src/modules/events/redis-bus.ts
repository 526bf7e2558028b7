import { randomUUID } from "node:crypto";
import { createClient, type RedisClientType } from "redis";
import { log } from "../../logger";
import { deliver, type EventBus, type EventListener, type PublishedEvent } from "./bus";

export const REDIS_EVENTS_CHANNEL = "facet:events";
/** How long a publish may take before it is given up (the process's own subscribers have the events already). */
const PUBLISH_DEADLINE_MS = 500;
const CLOSE_DEADLINE_MS = 1000;

/** What travels on the channel: the publishing process and one publish's events. */
interface Wire {
  o: string;
  e: readonly PublishedEvent[];
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms)));
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/**
 * The bus across Facet processes through Redis pub/sub (REDIS_URL), configured as the rate limits'
 * client is: a publish while Redis is unreachable fails at once (no offline queue) or after a
 * deadline, and is logged; the subscribing connection reconnects and subscribes again by itself.
 * A process's own subscribers hear its events at once; it ignores its own messages coming back.
 * Events published while a process is cut off from Redis are lost to live subscribers only.
 */
export class RedisEventBus implements EventBus {
  private readonly listeners = new Set<EventListener>();
  private readonly origin = randomUUID();
  private warnedAt = 0;
  private down = false;
  readonly counts = { sent: 0, received: 0, dropped: 0 };

  private constructor(
    private readonly publisher: RedisClientType,
    private readonly subscriber: RedisClientType,
  ) {}

  /** A bus on the Redis at `url`, once subscribed or after `waitMs`, whichever comes first. */
  static async connect(url: string, waitMs = 2000): Promise<RedisEventBus> {
    const socket = { connectTimeout: 2000, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2000) };
    const publisher = createClient({ url, disableOfflineQueue: true, socket }) as RedisClientType;
    // The subscribing connection sends only SUBSCRIBE, which may wait for the connection.
    const subscriber = createClient({ url, socket }) as RedisClientType;
    const bus = new RedisEventBus(publisher, subscriber);
    publisher.on("error", (error) => bus.unreachable(error));
    subscriber.on("error", (error) => bus.unreachable(error));
    subscriber.on("ready", () => {
      if (bus.down) log.info("the event bus reaches Redis again");
      bus.down = false;
    });
    const started = (async () => {
      await Promise.all([publisher.connect(), subscriber.connect()]);
      await subscriber.subscribe(REDIS_EVENTS_CHANNEL, (message) => bus.received(message));
    })();
    await withDeadline(started, waitMs).catch((error: unknown) =>
      log.warn("Redis is not reachable yet for the event bus; live subscribers hear only this process's events until it is", { error }),
    );
    return bus;
  }

  private unreachable(error: unknown): void {
    this.down = true;
    if (Date.now() - this.warnedAt < 10_000) return;
    this.warnedAt = Date.now();
    log.warn("the event bus does not reach Redis; live subscribers of other processes miss this one's events until it does", { error });
  }

  publish(events: readonly PublishedEvent[]): void {
    if (events.length === 0) return;
    for (const event of events) deliver(this.listeners, event);
    const message = JSON.stringify({ o: this.origin, e: events } satisfies Wire);
    const sent = this.publisher.isReady ? withDeadline(this.publisher.publish(REDIS_EVENTS_CHANNEL, message), PUBLISH_DEADLINE_MS) : Promise.reject(new Error("not connected"));
    sent.then(
      () => (this.counts.sent += events.length),
      (error: unknown) => {
        this.counts.dropped += events.length;
        this.unreachable(error);
      },
    );
  }

  private received(message: string): void {
    let wire: Wire;
    try {
      wire = JSON.parse(message) as Wire;
    } catch {
      return;
    }
    if (wire.o === this.origin || !Array.isArray(wire.e)) return;
    this.counts.received += wire.e.length;
    for (const event of wire.e) deliver(this.listeners, event);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    for (const client of [this.subscriber, this.publisher]) {
      await withDeadline(client.close(), CLOSE_DEADLINE_MS).catch(() => undefined);
      if (client.isOpen) client.destroy();
    }
  }
}
