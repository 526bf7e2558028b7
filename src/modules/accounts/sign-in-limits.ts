import { isIP } from "node:net";

// What one process lets sign-ins and token requests take, whoever sends them. Checking a password
// or a client secret costs tens of milliseconds of a worker thread (scrypt); a database
// connection is never held meanwhile, and only a few of the pool's connections may serve sign-in
// bookkeeping at once, so callers who are not signed in cannot exhaust the pool.

/** Sign-ins from one source (an address, or an IPv6 /64) checked at once. */
export const PER_SOURCE = 2;
/** Sign-ins into one account checked at once. */
export const PER_ACCOUNT = 1;

/**
 * The source a sign-in comes from, as failures are counted and sign-ins remembered: an IPv4
 * address, or the /64 an IPv6 address belongs to (one subscriber's network).
 */
export function sourceOf(ip: string | undefined): string {
  if (!ip) return "unknown";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1];
  if (isIP(ip) !== 6) return ip.slice(0, 64);
  const [head, tail = ""] = ip.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = ip.includes("::") ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}

/** Counts of work in flight per key; a key at its limit admits nobody until one leaves. */
export class InFlight {
  private readonly counts = new Map<string, number>();

  /** Enters every key, or none when one of them is at its limit. */
  tryEnter(entries: readonly [key: string, limit: number][]): boolean {
    if (entries.some(([key, limit]) => (this.counts.get(key) ?? 0) >= limit)) return false;
    for (const [key] of entries) this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    return true;
  }

  leave(keys: readonly string[]): void {
    for (const key of keys) {
      const left = (this.counts.get(key) ?? 1) - 1;
      if (left > 0) this.counts.set(key, left);
      else this.counts.delete(key);
    }
  }
}

export class Busy extends Error {}

/** A fixed number of slots with a bounded queue: work beyond both is refused with Busy. */
export class Slots {
  private used = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly size: number,
    private readonly maxWaiting: number,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.used >= this.size) {
      if (this.waiting.length >= this.maxWaiting) throw new Busy();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.used++;
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.used--;
    }
  }
}

const slotsByPool = new Map<number, Slots>();

/** The connections sign-in and token requests may hold at once: a quarter of the pool, at least one. */
export function signInSlots(poolSize: number): Slots {
  let slots = slotsByPool.get(poolSize);
  if (!slots) slotsByPool.set(poolSize, (slots = new Slots(Math.max(1, Math.floor(poolSize / 4)), 64)));
  return slots;
}
