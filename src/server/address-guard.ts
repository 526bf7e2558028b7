// Cheap refusals for callers who are not signed in. An address whose bucket ran dry is refused
// for the seconds its refusal named, and an address may have only a few requests under way at
// once: both are answered 429 before the body is read, parsed or priced, and the answer is held
// back a moment (a tarpit), so that a client that ignores Retry-After cannot turn refusals into
// a flood that starves everyone else of the process's CPU. The rate-limit buckets remain the
// rule; this only remembers, in this process, what they said.

/** Requests of one address, not signed in, under way at once in one process. */
export const ANONYMOUS_IN_FLIGHT = 4;
/** How long a refusal is held back before it is sent, at most. */
export const TARPIT_MS = 1000;
/** Refusals held back at once in one process; beyond them, refusals go out at once. */
const TARPIT_SLOTS = 512;

export class AddressGuard {
  private readonly until = new Map<string, number>();
  private readonly inFlight = new Map<string, number>();
  private held = 0;

  constructor(private readonly maxKeys = 100_000) {}

  /** Seconds the address must still wait after a refusal; 0 when it may ask. */
  waitOf(address: string, nowMs = Date.now()): number {
    const until = this.until.get(address);
    if (until === undefined) return 0;
    if (until <= nowMs) {
      this.until.delete(address);
      return 0;
    }
    return Math.ceil((until - nowMs) / 1000);
  }

  /** Remembers that the address was told to wait `seconds`. */
  refused(address: string, seconds: number, nowMs = Date.now()): void {
    this.until.delete(address);
    this.until.set(address, nowMs + seconds * 1000);
    if (this.until.size > this.maxKeys) this.until.delete(this.until.keys().next().value!);
  }

  /** Counts a request of the address in; false (and not counted) when it has too many under way. */
  enter(address: string): boolean {
    const n = this.inFlight.get(address) ?? 0;
    if (n >= ANONYMOUS_IN_FLIGHT) return false;
    this.inFlight.set(address, n + 1);
    return true;
  }

  /**
   * Waits before a refusal is sent: the seconds the address must wait, at most TARPIT_MS, while
   * fewer than TARPIT_SLOTS refusals are held; otherwise not at all.
   */
  async holdBack(waitSeconds: number): Promise<void> {
    if (this.held >= TARPIT_SLOTS) return;
    this.held++;
    try {
      await new Promise((resolve) => setTimeout(resolve, Math.min(TARPIT_MS, Math.max(waitSeconds, 1) * 1000)));
    } finally {
      this.held--;
    }
  }

  leave(address: string): void {
    const n = (this.inFlight.get(address) ?? 1) - 1;
    if (n > 0) this.inFlight.set(address, n);
    else this.inFlight.delete(address);
  }
}
