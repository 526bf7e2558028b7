import { createClient, type RedisClientType } from "redis";
import { log } from "../logger";

// Read-your-writes with read replicas (see replicas.ts): after a request that may have written,
// the primary's WAL position is kept for its caller, and the caller's reads go only to a replica
// that has replayed it. Positions are kept where every process sees them (Redis, when there is
// one: a caller's next request may reach another worker), each for a bounded time, after which
// any replica in use has replayed it anyway.

/** The caller's last write, its WAL position; null when none is kept, "unknown" when the store did not answer. */
export type WriteMark = bigint | null | "unknown";

export interface WriteMarks {
  /** Keeps `lsn` as the principal's last write, unless a later one is kept already. */
  record(principalId: string, lsn: bigint): Promise<void>;
  latest(principalId: string): Promise<WriteMark>;
  close(): Promise<void>;
}

/** One process's marks: enough for a single process. */
class MemoryWriteMarks implements WriteMarks {
  private readonly marks = new Map<string, { lsn: bigint; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxKeys = 100_000,
  ) {}

  async record(principalId: string, lsn: bigint): Promise<void> {
    const kept = await this.latest(principalId);
    this.marks.delete(principalId);
    // Maps iterate in insertion order: re-inserting keeps the least recently written first.
    this.marks.set(principalId, { lsn: typeof kept === "bigint" && kept > lsn ? kept : lsn, expiresAt: Date.now() + this.ttlMs });
    if (this.marks.size > this.maxKeys) this.marks.delete(this.marks.keys().next().value!);
  }

  async latest(principalId: string): Promise<WriteMark> {
    const mark = this.marks.get(principalId);
    if (!mark) return null;
    if (mark.expiresAt > Date.now()) return mark.lsn;
    this.marks.delete(principalId);
    return null;
  }

  async close(): Promise<void> {}
}

/** How long a command to Redis may take before the mark counts as unknown (reads go to the primary). */
const REDIS_DEADLINE_MS = 500;

// A position as 16 hex digits, so that Redis compares two as strings.
const hex = (lsn: bigint) => lsn.toString(16).padStart(16, "0");

// KEYS[1] keeps the greater of its position and ARGV[1], for ARGV[2] ms from now.
const RECORD_SCRIPT = `
local kept = redis.call('GET', KEYS[1])
if not kept or kept < ARGV[1] then kept = ARGV[1] end
redis.call('SET', KEYS[1], kept, 'PX', ARGV[2])
return 1`;

function withDeadline<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`Redis did not answer within ${REDIS_DEADLINE_MS} ms`)), REDIS_DEADLINE_MS)));
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/**
 * Marks in Redis, shared by every process. Redis is a dependency with a deadline: a mark that
 * cannot be read at once (the client queues nothing while disconnected) or within
 * REDIS_DEADLINE_MS is unknown, and the read goes to the primary. A mark that cannot be kept is
 * logged at warn, at most every 10 s.
 */
class RedisWriteMarks implements WriteMarks {
  private warnedAt = 0;

  constructor(
    private readonly client: RedisClientType,
    private readonly ttlMs: number,
  ) {}

  async record(principalId: string, lsn: bigint): Promise<void> {
    try {
      await withDeadline(this.client.eval(RECORD_SCRIPT, { keys: [`facet:written:${principalId}`], arguments: [hex(lsn), String(this.ttlMs)] }));
    } catch (error) {
      if (Date.now() - this.warnedAt < 10_000) return;
      this.warnedAt = Date.now();
      log.warn("Redis did not answer; a caller's write could not be marked for read-your-writes", { error });
    }
  }

  async latest(principalId: string): Promise<WriteMark> {
    try {
      const kept = await withDeadline(this.client.get(`facet:written:${principalId}`));
      return kept === null ? null : BigInt(`0x${kept}`);
    } catch {
      return "unknown";
    }
  }

  async close(): Promise<void> {
    await withDeadline(this.client.close()).catch(() => undefined);
    if (this.client.isOpen) this.client.destroy();
  }
}

/**
 * The marks, in Redis at `redisUrl` or in this process, each kept `ttlMs`. Like the rate limits,
 * it waits up to 2 s for Redis to connect: until it does, every read goes to the primary.
 */
export async function openWriteMarks(redisUrl: string | undefined, ttlMs: number): Promise<WriteMarks> {
  if (!redisUrl) return new MemoryWriteMarks(ttlMs);
  const client = createClient({
    url: redisUrl,
    // A command while disconnected fails at once rather than waiting for the connection.
    disableOfflineQueue: true,
    socket: { connectTimeout: 2000, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2000) },
  }) as RedisClientType;
  client.on("error", (error) => log.debug("redis error (write marks)", { error }));
  const connected = client.connect().then(
    () => undefined,
    (error: unknown) => log.warn("Redis could not be reached; reads go to the primary until it is", { error }),
  );
  await Promise.race([connected, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
  return new RedisWriteMarks(client, ttlMs);
}
