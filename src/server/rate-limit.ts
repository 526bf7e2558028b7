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
   * bucket may go below zero, and then refills from there), or gives back `-points`, up to its capacity.
   */
  adjust(buckets: readonly Bucket[], points: number): Promise<void>;
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
    const available = buckets.map(({ key, budget }) => {
      const bucket = this.buckets.get(key);
      return bucket ? refill(bucket.tokens, bucket.updatedMs, nowMs, budget) : budget.capacity;
    });
    const takes = buckets.map(({ budget }, i) => decide(available[i], cost, budget));
    const allowed = takes.every((t) => t.allowed);
    buckets.forEach(({ key }, i) => {
      this.buckets.delete(key);
      // Maps iterate in insertion order: re-inserting keeps the least recently used first.
      this.buckets.set(key, { tokens: allowed ? available[i] - cost : available[i], updatedMs: nowMs });
      if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    });
    // A bucket that could pay is not charged when another refuses: report it as it stands.
    return binding(buckets, allowed ? takes : takes.map((t, i) => (t.allowed ? { ...t, remaining: Math.floor(available[i]) } : t)));
  }

  async adjust(buckets: readonly Bucket[], points: number, nowMs = Date.now()): Promise<void> {
    for (const { key, budget } of buckets) {
      const bucket = this.buckets.get(key);
      const available = bucket ? refill(bucket.tokens, bucket.updatedMs, nowMs, budget) : budget.capacity;
      this.buckets.set(key, { tokens: Math.min(budget.capacity, available - points), updatedMs: nowMs });
    }
  }

  async close(): Promise<void> {}
}

// The same bucket arithmetic, atomically in Redis, so that the limits hold across instances: every
// bucket (KEYS[i], with capacity and rate in ARGV) pays the cost, or none does.
const TAKE_SCRIPT = `
local cost = tonumber(ARGV[1])
local now = tonumber(ARGV[2])
local available = {}
local allowed = 1
for i, key in ipairs(KEYS) do
  local bucket = redis.call('HMGET', key, 'tokens', 'updated')
  local capacity = tonumber(ARGV[1 + 2 * i])
  local rate = tonumber(ARGV[2 + 2 * i])
  local tokens = tonumber(bucket[1]) or capacity
  local updated = tonumber(bucket[2]) or now
  available[i] = math.min(capacity, tokens + ((now - updated) / 1000) * rate)
  if available[i] < cost then allowed = 0 end
end
local result = { allowed }
for i, key in ipairs(KEYS) do
  local capacity = tonumber(ARGV[1 + 2 * i])
  local rate = tonumber(ARGV[2 + 2 * i])
  if allowed == 1 then available[i] = available[i] - cost end
  redis.call('HSET', key, 'tokens', tostring(available[i]), 'updated', tostring(now))
  redis.call('PEXPIRE', key, math.ceil(capacity / rate * 1000) + 1000)
  result[i + 1] = tostring(available[i])
end
return result`;

const ADJUST_SCRIPT = `
local points = tonumber(ARGV[1])
local now = tonumber(ARGV[2])
for i, key in ipairs(KEYS) do
  local bucket = redis.call('HMGET', key, 'tokens', 'updated')
  local capacity = tonumber(ARGV[1 + 2 * i])
  local rate = tonumber(ARGV[2 + 2 * i])
  local tokens = tonumber(bucket[1]) or capacity
  local updated = tonumber(bucket[2]) or now
  local available = math.min(capacity, math.min(capacity, tokens + ((now - updated) / 1000) * rate) - points)
  redis.call('HSET', key, 'tokens', tostring(available), 'updated', tostring(now))
  redis.call('PEXPIRE', key, math.ceil((capacity - math.min(available, 0)) / rate * 1000) + 1000)
end
return 1`;

export class RedisRateLimitStore implements RateLimitStore {
  private constructor(private readonly client: RedisClientType) {}

  static async connect(url: string): Promise<RedisRateLimitStore> {
    const client = createClient({ url }) as RedisClientType;
    client.on("error", (error) => log.warn("redis error", { error }));
    await client.connect();
    return new RedisRateLimitStore(client);
  }

  async take(key: string, cost: number, budget: Budget): Promise<Take> {
    const { bucket: _bucket, ...take } = await this.takeAll([{ key, budget }], cost);
    return take;
  }

  async takeAll(buckets: readonly Bucket[], cost: number): Promise<TakeAll> {
    const [allowed, ...available] = (await this.client.eval(TAKE_SCRIPT, {
      keys: buckets.map(({ key }) => `facet:rate:${key}`),
      arguments: [String(cost), String(Date.now()), ...buckets.flatMap(({ budget }) => [String(budget.capacity), String(budget.restorePerSecond)])],
    })) as [number, ...string[]];
    const takes = buckets.map(({ budget }, i): Take =>
      allowed === 1
        ? { allowed: true, remaining: Math.floor(Number(available[i])), retryAfterSeconds: 0 }
        : Number(available[i]) >= cost
          ? { allowed: true, remaining: Math.floor(Number(available[i])), retryAfterSeconds: 0 }
          : decide(Number(available[i]), cost, budget),
    );
    return binding(buckets, takes);
  }

  async adjust(buckets: readonly Bucket[], points: number): Promise<void> {
    await this.client.eval(ADJUST_SCRIPT, {
      keys: buckets.map(({ key }) => `facet:rate:${key}`),
      arguments: [String(points), String(Date.now()), ...buckets.flatMap(({ budget }) => [String(budget.capacity), String(budget.restorePerSecond)])],
    });
  }

  async close(): Promise<void> {
    await this.client.quit();
  }
}

export async function createRateLimitStore(redisUrl: string | undefined): Promise<RateLimitStore> {
  return redisUrl ? RedisRateLimitStore.connect(redisUrl) : new MemoryRateLimitStore();
}
