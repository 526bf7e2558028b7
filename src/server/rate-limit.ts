import { createClient, type RedisClientType } from "redis";
import { log } from "../logger";

// Cost-based rate limits in the manner of Shopify's leaky bucket: each principal (or, before
// sign-in, each IP address) has a bucket of points that refills at a steady rate; a request
// takes its calculated cost, and waits when the bucket cannot cover it.

export interface Budget {
  capacity: number;
  restorePerSecond: number;
}

export interface Take {
  allowed: boolean;
  /** Points left after this request (or now, when refused). */
  remaining: number;
  /** Seconds until the bucket could cover the request; 0 when allowed. */
  retryAfterSeconds: number;
}

export interface Bucket {
  key: string;
  budget: Budget;
}

/** What taking from several buckets did: as Take, for the bucket that binds (the fullest refusal, else the emptiest). */
export interface TakeAll extends Take {
  bucket: Bucket;
}

export interface RateLimitStore {
  take(key: string, cost: number, budget: Budget): Promise<Take>;
  /** Takes the cost from every bucket, or from none when one of them cannot cover it. */
  takeAll(buckets: readonly Bucket[], cost: number): Promise<TakeAll>;
  /**
   * Settles what a request really cost after the fact: takes `points` more from every bucket (a
   * bucket may go below zero, and then refills from there), or gives back `-points`, up to its
   * capacity. A store may queue settlements and apply them shortly after; `settled` waits for those
   * queued so far.
   */
  adjust(buckets: readonly Bucket[], points: number): void;
  settled(): Promise<void>;
  /** Where the buckets are kept now, for /readyz. */
  state(): Promise<string>;
  close(): Promise<void>;
}

/** The bucket that decides: the refusal that waits longest, else the one with fewest points left. */
function binding(buckets: readonly Bucket[], takes: readonly Take[]): TakeAll {
  let at = 0;
  for (let i = 1; i < takes.length; i++) {
    const [best, next] = [takes[at], takes[i]];
    const worse = next.allowed === best.allowed ? (next.allowed ? next.remaining < best.remaining : next.retryAfterSeconds > best.retryAfterSeconds) : !next.allowed;
    if (worse) at = i;
  }
  return { ...takes[at], bucket: buckets[at] };
}

function refill(tokens: number, updatedMs: number, nowMs: number, budget: Budget): number {
  return Math.min(budget.capacity, tokens + ((nowMs - updatedMs) / 1000) * budget.restorePerSecond);
}

function decide(available: number, cost: number, budget: Budget): Take {
  if (available >= cost) return { allowed: true, remaining: Math.floor(available - cost), retryAfterSeconds: 0 };
  // A request dearer than the whole bucket can never pass; it is told to wait for a full bucket.
  const needed = Math.min(cost, budget.capacity) - available;
  return { allowed: false, remaining: Math.floor(available), retryAfterSeconds: Math.max(1, Math.ceil(needed / budget.restorePerSecond)) };
}

/** One process's buckets; enough for a single instance and for development. */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly buckets = new Map<string, { tokens: number; updatedMs: number }>();

  constructor(private readonly maxKeys = 100_000) {}

  async take(key: string, cost: number, budget: Budget, nowMs = Date.now()): Promise<Take> {
    const { bucket: _bucket, ...take } = await this.takeAll([{ key, budget }], cost, nowMs);
    return take;
  }

  async takeAll(buckets: readonly Bucket[], cost: number, nowMs = Date.now()): Promise<TakeAll> {
    const available = buckets.map(({ key, budget }) => this.available(key, budget, nowMs));
    const takes = buckets.map(({ budget }, i) => decide(available[i], cost, budget));
    const allowed = takes.every((t) => t.allowed);
    buckets.forEach(({ key }, i) => this.store(key, allowed ? available[i] - cost : available[i], nowMs));
    // A bucket that could pay is not charged when another refuses: report it as it stands.
    return binding(buckets, allowed ? takes : takes.map((t, i) => (t.allowed ? { ...t, remaining: Math.floor(available[i]) } : t)));
  }

  adjust(buckets: readonly Bucket[], points: number, nowMs = Date.now()): void {
    for (const { key, budget } of buckets) this.store(key, Math.min(budget.capacity, this.available(key, budget, nowMs) - points), nowMs);
  }

  private available(key: string, budget: Budget, nowMs: number): number {
    const bucket = this.buckets.get(key);
    return bucket ? refill(bucket.tokens, bucket.updatedMs, nowMs, budget) : budget.capacity;
  }

  private store(key: string, tokens: number, nowMs: number): void {
    this.buckets.delete(key);
    // Maps iterate in insertion order: re-inserting keeps the least recently used first.
    this.buckets.set(key, { tokens, updatedMs: nowMs });
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
  }

  async settled(): Promise<void> {}

  async state(): Promise<string> {
    return "kept in this process";
  }

  async close(): Promise<void> {}
}

// The same bucket arithmetic, atomically in Redis, so that the limits hold across instances. The
// clock is Redis's own (TIME), never a process's: the processes' clocks may disagree, and a
// command that waited is not stamped with when it was sent.
const BUCKETS_LUA = `
local function clock()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function available(key, capacity, rate, now)
  local bucket = redis.call('HMGET', key, 'tokens', 'updated')
  local tokens = tonumber(bucket[1]) or capacity
  local updated = tonumber(bucket[2]) or now
  return math.min(capacity, tokens + (math.max(now - updated, 0) / 1000) * rate)
end
local function store(key, tokens, capacity, rate, now)
  redis.call('HSET', key, 'tokens', tostring(tokens), 'updated', tostring(now))
  redis.call('PEXPIRE', key, math.ceil((capacity - math.min(tokens, 0)) / rate * 1000) + 1000)
end`;

// Every bucket (KEYS[i], capacity ARGV[2i], rate ARGV[2i + 1]) pays the cost (ARGV[1]), or none does.
const TAKE_SCRIPT = `${BUCKETS_LUA}
local cost = tonumber(ARGV[1])
local now = clock()
local left = {}
local allowed = 1
for i, key in ipairs(KEYS) do
  left[i] = available(key, tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1]), now)
  if left[i] < cost then allowed = 0 end
end
local result = { allowed }
for i, key in ipairs(KEYS) do
  if allowed == 1 then left[i] = left[i] - cost end
  store(key, left[i], tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1]), now)
  result[i + 1] = tostring(left[i])
end
return result`;

// Settles buckets after the fact: bucket i pays ARGV[3i - 2] more (it may go below zero), or gets
// its negation back up to its capacity (ARGV[3i - 1]; its rate is ARGV[3i]).
const ADJUST_SCRIPT = `${BUCKETS_LUA}
local now = clock()
for i, key in ipairs(KEYS) do
  local points, capacity, rate = tonumber(ARGV[3 * i - 2]), tonumber(ARGV[3 * i - 1]), tonumber(ARGV[3 * i])
  store(key, math.min(capacity, available(key, capacity, rate, now) - points), capacity, rate, now)
end
return 1`;

/** Settlements are sent together, this often, rather than one round trip per request. */
const SETTLE_EVERY_MS = 200;
const SETTLE_BATCH = 200;

/** How long a command to Redis may take before the process's own buckets answer instead. */
const REDIS_DEADLINE_MS = 500;
/** How long closing the Redis client may take at shutdown. */
const CLOSE_DEADLINE_MS = 1000;

class RedisDeadline extends Error {}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new RedisDeadline(`Redis did not answer within ${ms} ms`)), ms)));
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/**
 * Buckets in Redis, shared by every process. Redis is a dependency with a deadline: a command
 * that cannot be sent at once (the client queues nothing while disconnected) or is not answered
 * within REDIS_DEADLINE_MS is answered by the process's own buckets instead (fail open: each
 * process still limits its callers, the shared limit returns with Redis), and settlements that
 * cannot be sent are applied there. It is logged at warn, at most every 10 s.
 */
export class RedisRateLimitStore implements RateLimitStore {
  /** Settlements not yet sent, by bucket key; sent every SETTLE_EVERY_MS. */
  private pending = new Map<string, { budget: Budget; points: number }>();
  private flushed: Promise<void> | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly hashes = new Map<string, string>();
  /** The process's own buckets, while Redis does not answer. */
  private readonly local = new MemoryRateLimitStore();
  private warnedAt = 0;

  private constructor(private readonly client: RedisClientType) {
    this.timer = setInterval(() => {
      if (this.pending.size > 0) void this.flush().catch((error: unknown) => log.warn("rate-limit settlements could not be sent", { error }));
    }, SETTLE_EVERY_MS);
    this.timer.unref();
  }

  /**
   * A store on the Redis at `url`, once it is connected or after `waitMs`, whichever comes first:
   * Facet starts whether Redis answers or not, and until it does, the process's own buckets do.
   */
  static async connect(url: string, waitMs = 2000): Promise<RedisRateLimitStore> {
    const client = createClient({
      url,
      // A command while disconnected fails at once rather than waiting for the connection.
      disableOfflineQueue: true,
      socket: { connectTimeout: 2000, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2000) },
    }) as RedisClientType;
    client.on("error", (error) => log.debug("redis error", { error }));
    const connected = client.connect().then(
      () => undefined,
      (error: unknown) => log.warn("Redis could not be reached; rate limits are kept in this process until it is", { error }),
    );
    await withDeadline(connected, waitMs).catch(() => log.warn("Redis is not reachable yet; rate limits are kept in this process until it is"));
    return new RedisRateLimitStore(client);
  }

  private unreachable(error: unknown): void {
    if (Date.now() - this.warnedAt < 10_000) return;
    this.warnedAt = Date.now();
    log.warn("Redis did not answer; rate limits are kept in this process until it does", { error });
  }

  /** Runs a script by its hash (EVALSHA), loading it first when Redis does not hold it. */
  private async run(script: string, keys: string[], args: string[]): Promise<unknown> {
    let hash = this.hashes.get(script);
    if (hash) {
      try {
        return await withDeadline(this.client.evalSha(hash, { keys, arguments: args }), REDIS_DEADLINE_MS);
      } catch (error) {
        if (!String((error as Error).message).startsWith("NOSCRIPT")) throw error;
      }
    }
    hash = await withDeadline(this.client.scriptLoad(script), REDIS_DEADLINE_MS);
    this.hashes.set(script, hash);
    return withDeadline(this.client.evalSha(hash, { keys, arguments: args }), REDIS_DEADLINE_MS);
  }

  async take(key: string, cost: number, budget: Budget): Promise<Take> {
    const { bucket: _bucket, ...take } = await this.takeAll([{ key, budget }], cost);
    return take;
  }

  async takeAll(buckets: readonly Bucket[], cost: number): Promise<TakeAll> {
    let answer: [number, ...string[]];
    try {
      answer = (await this.run(
        TAKE_SCRIPT,
        buckets.map(({ key }) => `facet:rate:${key}`),
        [String(cost), ...buckets.flatMap(({ budget }) => [String(budget.capacity), String(budget.restorePerSecond)])],
      )) as [number, ...string[]];
    } catch (error) {
      this.unreachable(error);
      return this.local.takeAll(buckets, cost);
    }
    const [allowed, ...available] = answer;
    // Allowed, each bucket's points are what it has left; refused, what it has (a bucket that
    // could have paid is reported as it stands).
    const takes = buckets.map(({ budget }, i): Take => {
      const left = Number(available[i]);
      return allowed === 1 || left >= cost ? { allowed: true, remaining: Math.floor(left), retryAfterSeconds: 0 } : decide(left, cost, budget);
    });
    return binding(buckets, takes);
  }

  async state(): Promise<string> {
    try {
      await withDeadline(this.client.ping(), REDIS_DEADLINE_MS);
      return "shared in Redis";
    } catch {
      return "kept in this process: Redis does not answer";
    }
  }

  /** Queues the settlement: it is sent with the next batch. */
  adjust(buckets: readonly Bucket[], points: number): void {
    for (const { key, budget } of buckets) {
      const entry = this.pending.get(key);
      if (entry) entry.points += points;
      else this.pending.set(key, { budget, points });
    }
  }

  /** Sends the settlements queued so far now, after those sent before. */
  settled(): Promise<void> {
    return this.flush();
  }

  /** Sends the settlements queued so far, SETTLE_BATCH buckets a script, after those sent before. */
  private flush(): Promise<void> {
    const batch = [...this.pending];
    this.pending = new Map();
    // (A batch that failed was logged; the next one goes on regardless.)
    this.flushed = (this.flushed ?? Promise.resolve()).catch(() => undefined).then(async () => {
      for (let i = 0; i < batch.length; i += SETTLE_BATCH) {
        const part = batch.slice(i, i + SETTLE_BATCH).filter(([, e]) => e.points !== 0);
        if (part.length === 0) continue;
        try {
          await this.run(
            ADJUST_SCRIPT,
            part.map(([key]) => `facet:rate:${key}`),
            part.flatMap(([, e]) => [String(e.points), String(e.budget.capacity), String(e.budget.restorePerSecond)]),
          );
        } catch (error) {
          this.unreachable(error);
          for (const [key, e] of part) this.local.adjust([{ key, budget: e.budget }], e.points);
        }
      }
    });
    return this.flushed;
  }

  /** Sends what is queued and closes the client, within CLOSE_DEADLINE_MS even when Redis does not answer. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await withDeadline(
      this.flush().then(() => this.client.close()),
      CLOSE_DEADLINE_MS,
    ).catch(() => undefined);
    if (this.client.isOpen) this.client.destroy();
  }
}

export async function createRateLimitStore(redisUrl: string | undefined): Promise<RateLimitStore> {
  return redisUrl ? RedisRateLimitStore.connect(redisUrl) : new MemoryRateLimitStore();
}
