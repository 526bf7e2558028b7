import { randomUUID } from "node:crypto";
import { Client, type ClientConfig, type Notification } from "pg";
import { log } from "../../logger";
import { deliver, type EventBus, type EventListener, type PublishedEvent } from "./bus";

/** The channel every Facet process of one database listens on. */
export const PG_EVENTS_CHANNEL = "facet_events";
/**
 * PostgreSQL refuses a NOTIFY payload of 8000 bytes or more: an event whose JSON is larger is sent
 * as its id alone, and each listener reads it from the `events` table (the outbox holds it, committed).
 */
const MAX_PAYLOAD_BYTES = 7900;
const RETRY_FIRST_MS = 100;
const RETRY_MAX_MS = 5000;

/** What travels on the channel: the publishing process and the event, or only its id. */
type Wire = { o: string; e: PublishedEvent } | { o: string; id: string };

/**
 * The bus across the Facet processes of one PostgreSQL database, through LISTEN/NOTIFY. Each
 * process holds one connection of its own for it, outside the pool, on which it listens and sends
 * its notifications. A process's own subscribers hear its events at once, without the round trip;
 * it ignores its own notifications when they come back.
 *
 * When the connection drops, the bus logs it and connects again (backing off up to 5 s): events
 * published meanwhile, by this process or others, are lost to live subscribers only (webhooks and
 * `events` read the outbox table).
 */
export class PgEventBus implements EventBus {
  private readonly listeners = new Set<EventListener>();
  private readonly origin = randomUUID();
  private client: Client | undefined;
  private closed = false;
  private retryMs = RETRY_FIRST_MS;
  private retryTimer: NodeJS.Timeout | undefined;
  /** Notifications sent and received, for tests and reports. */
  readonly counts = { sent: 0, received: 0, readFromTable: 0, dropped: 0, reconnects: 0 };

  private constructor(private readonly connection: ClientConfig) {}

  /** Starts listening; resolves once the first attempt has listened or failed (it then retries in the background). */
  static async start(connection: ClientConfig): Promise<PgEventBus> {
    const bus = new PgEventBus(connection);
    await bus.connect();
    return bus;
  }

  /** Whether the bus listens now. */
  get listening(): boolean {
    return this.client !== undefined;
  }

  private async connect(): Promise<void> {
    const client = new Client({ ...this.connection, application_name: "facet-events", keepAlive: true, statement_timeout: 5000 });
    client.on("error", (error) => this.lost(client, error));
    client.on("end", () => this.lost(client, undefined));
    client.on("notification", (message) => this.received(client, message));
    try {
      await client.connect();
      await client.query(`LISTEN ${PG_EVENTS_CHANNEL}`);
    } catch (error) {
      client.removeAllListeners("end");
      await client.end().catch(() => undefined);
      if (!this.closed) {
        log.warn("the event bus could not listen on PostgreSQL; retrying (live subscribers hear only this process's events meanwhile)", { error });
        this.retry();
      }
      return;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    if (this.retryMs > RETRY_FIRST_MS) log.info("the event bus listens on PostgreSQL again");
    this.retryMs = RETRY_FIRST_MS;
    this.client = client;
  }

  private lost(client: Client, error: unknown): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.removeAllListeners("end");
    void client.end().catch(() => undefined);
    if (this.closed) return;
    this.counts.reconnects++;
    log.warn("the event bus lost its PostgreSQL connection; reconnecting (events published meanwhile reach live subscribers of this process only)", { error });
    this.retry();
  }

  private retry(): void {
    if (this.closed || this.retryTimer) return;
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, wait);
    this.retryTimer.unref();
  }

  publish(events: readonly PublishedEvent[]): void {
    if (events.length === 0) return;
    for (const event of events) deliver(this.listeners, event);
    const client = this.client;
    if (!client) {
      this.counts.dropped += events.length;
      return;
    }
    const payloads = events.map((e) => {
      const whole = JSON.stringify({ o: this.origin, e } satisfies Wire);
      return Buffer.byteLength(whole) <= MAX_PAYLOAD_BYTES ? whole : JSON.stringify({ o: this.origin, id: e.id } satisfies Wire);
    });
    // One statement for the batch; PostgreSQL delivers a statement's notifications in order.
    client.query(`SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload`, [PG_EVENTS_CHANNEL, payloads]).then(
      () => (this.counts.sent += payloads.length),
      (error: unknown) => {
        this.counts.dropped += payloads.length;
        log.warn("events could not be sent on the PostgreSQL event bus; other processes' live subscribers miss them", { error, events: payloads.length });
      },
    );
  }

  private received(client: Client, message: Notification): void {
    if (message.channel !== PG_EVENTS_CHANNEL || !message.payload) return;
    let wire: Wire;
    try {
      wire = JSON.parse(message.payload) as Wire;
    } catch {
      return;
    }
    if (wire.o === this.origin) return;
    this.counts.received++;
    if ("e" in wire) {
      deliver(this.listeners, wire.e);
      return;
    }
    void this.readFromTable(client, wire.id);
  }

  /** An event too large for a notification, read from the outbox. */
  private async readFromTable(client: Client, id: string): Promise<void> {
    try {
      const { rows } = await client.query<{ id: string; type: PublishedEvent["type"]; distributor_id: string | null; subject_id: string | null; occurred_at: Date; data: Record<string, unknown> }>(
        `SELECT id, type, distributor_id, subject_id, occurred_at, data FROM events WHERE id = $1`,
        [id],
      );
      const row = rows[0];
      if (!row) return;
      this.counts.readFromTable++;
      deliver(this.listeners, {
        id: row.id,
        type: row.type,
        distributorId: row.distributor_id,
        subjectId: row.subject_id,
        occurredAt: new Date(row.occurred_at).toISOString(),
        data: row.data,
      });
    } catch (error) {
      log.warn("an event announced on the PostgreSQL event bus could not be read", { error, id });
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.listeners.clear();
    const client = this.client;
    this.client = undefined;
    if (client) {
      client.removeAllListeners("end");
      await client.end().catch(() => undefined);
    }
  }
}
