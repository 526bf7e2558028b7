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

export interface RateLimitStore {
  take(key: string, cost: number, budget: Budget): Promise<Take>;
  close(): Promise<void>;
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
    const bucket = this.buckets.get(key);
    const available = bucket ? refill(bucket.tokens, bucket.updatedMs, nowMs, budget) : budget.capacity;
    const result = decide(available, cost, budget);
    this.buckets.delete(key);
    // Maps iterate in insertion order: re-inserting keeps the least recently used first.
    this.buckets.set(key, { tokens: result.allowed ? available - cost : available, updatedMs: nowMs });
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    return result;
  }

  async close(): Promise<void> {}
}

// The same bucket arithmetic, atomically in Redis, so that the limit holds across instances.
const TAKE_SCRIPT = `
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'updated')
local capacity = tonumber(ARGV[2])
local rate = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
local tokens = tonumber(bucket[1]) or capacity
local updated = tonumber(bucket[2]) or now
local available = math.min(capacity, tokens + ((now - updated) / 1000) * rate)
local cost = tonumber(ARGV[1])
local allowed = 0
if available >= cost then
  available = available - cost
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(available), 'updated', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate * 1000) + 1000)
return { allowed, tostring(available) }`;

export class RedisRateLimitStore implements RateLimitStore {
  private constructor(private readonly client: RedisClientType) {}

  static async connect(url: string): Promise<RedisRateLimitStore> {
    const client = createClient({ url }) as RedisClientType;
    client.on("error", (error) => log.warn("redis error", { error }));
    await client.connect();
    return new RedisRateLimitStore(client);
  }

  async take(key: string, cost: number, budget: Budget): Promise<Take> {
    const [allowed, available] = (await this.client.eval(TAKE_SCRIPT, {
      keys: [`facet:rate:${key}`],
      arguments: [String(cost), String(budget.capacity), String(budget.restorePerSecond), String(Date.now())],
    })) as [number, string];
    if (allowed === 1) return { allowed: true, remaining: Math.floor(Number(available)), retryAfterSeconds: 0 };
    return decide(Number(available), cost, budget);
  }

  async close(): Promise<void> {
    await this.client.quit();
  }
}

export async function createRateLimitStore(redisUrl: string | undefined): Promise<RateLimitStore> {
  return redisUrl ? RedisRateLimitStore.connect(redisUrl) : new MemoryRateLimitStore();
}
