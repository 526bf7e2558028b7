import { GraphQLError } from "graphql";
import type { Config } from "../config";
import type { Principal, RequestContext } from "../core/context";
import { NotSignedIn } from "../core/errors";
import { rateLimitRejections } from "../observability/metrics";
import { rateLimited, RETRY_AFTER_SECONDS } from "./errors";

// A list with a search reads far more of the database than a page of it: one distributor's
// searches must not take the database from the others. In each process a distributor's expensive
// reads run at most EXPENSIVE_QUERIES_PER_DISTRIBUTOR at a time; the next few wait their turn, in
// the order they came, up to EXPENSIVE_QUERY_WAIT_MS, and the rest are refused at once. A refusal
// is the caller's own burst, as an empty rate-limit bucket is, not Facet's overload: 429
// RATE_LIMITED with Retry-After. Another distributor's reads never wait here.

/** Called once a read is done; calling it again does nothing. */
export type Release = () => void;

interface Waiter {
  admit(release: Release | undefined): void;
  timer?: NodeJS.Timeout;
}

interface Lane {
  running: number;
  waiting: Waiter[];
}

/** Slots by key, each key's `slots` shared by its reads in turn. */
export class ExpensiveReads {
  private readonly lanes = new Map<string, Lane>();

  /** Reads of one key that may wait for a slot (none when waitMs is 0); beyond them a read is refused at once. */
  readonly maxWaiting: number;

  constructor(
    readonly slots: number,
    maxWaiting: number,
    readonly waitMs: number,
  ) {
    this.maxWaiting = waitMs === 0 ? 0 : maxWaiting;
  }

  /**
   * One of `key`'s slots: at once when one is free, else once the reads ahead in line are done,
   * waiting at most `waitMs`. Undefined when none came free in time or the line was full.
   */
  take(key: string): Promise<Release | undefined> {
    let lane = this.lanes.get(key);
    if (!lane) this.lanes.set(key, (lane = { running: 0, waiting: [] }));
    if (lane.running < this.slots) {
      lane.running++;
      return Promise.resolve(this.releaseOf(key, lane));
    }
    if (lane.waiting.length >= this.maxWaiting) return Promise.resolve(undefined);
    const queue = lane;
    return new Promise((resolve) => {
      const waiter: Waiter = { admit: resolve };
      waiter.timer = setTimeout(() => {
        queue.waiting.splice(queue.waiting.indexOf(waiter), 1);
        resolve(undefined);
      }, this.waitMs);
      queue.waiting.push(waiter);
    });
  }

  /** The reads of `key` running and waiting now. */
  state(key: string): { running: number; waiting: number } {
    const lane = this.lanes.get(key);
    return { running: lane?.running ?? 0, waiting: lane?.waiting.length ?? 0 };
  }

  private releaseOf(key: string, lane: Lane): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // The slot goes to the first in line, so that none jumps ahead of those waiting.
      const next = lane.waiting.shift();
      if (next) {
        clearTimeout(next.timer);
        next.admit(this.releaseOf(key, lane));
        return;
      }
      lane.running--;
      if (lane.running === 0) this.lanes.delete(key);
    };
  }
}

/** Reads that may wait per slot. */
const WAITING_PER_SLOT = 4;

const gates = new WeakMap<Config, ExpensiveReads>();

/** The process's expensive reads under `config` (one Facet, one set of slots). */
export function expensiveReadsOf(config: Config): ExpensiveReads {
  let gate = gates.get(config);
  if (!gate) {
    const { expensivePerDistributor: slots, expensiveWaitMs } = config.dbBudget;
    // A request waiting here holds the database connection it read its caller with: one key's
    // reads, running and waiting, hold at most half the pool, so that others find connections.
    const waiting = Math.max(0, Math.min(WAITING_PER_SLOT * slots, Math.floor(config.dbPoolSize / 2) - slots));
    gates.set(config, (gate = new ExpensiveReads(slots, waiting, expensiveWaitMs)));
  }
  return gate;
}

/**
 * Whose slots a read takes: a distributor's people and API clients share their distributor's, as
 * they share its rate-limit bucket; each of the exporter's staff has their own.
 */
export function budgetKeyOf(principal: Principal): string {
  return principal.distributorId ? `distributor:${principal.distributorId}` : `${principal.kind}:${principal.id}`;
}

function refused(principal: Principal, gate: ExpensiveReads): GraphQLError {
  const whose = principal.distributorId ? "your distributor's" : "yours";
  return rateLimited(
    RETRY_AFTER_SECONDS,
    `Too many searches at once: ${gate.slots} of ${whose} run at a time and ${gate.maxWaiting} more may wait ${gate.waitMs} ms for their turn; retry in ${RETRY_AFTER_SECONDS} s`,
  );
}

/**
 * Runs an expensive read (a list with a search) in one of the caller's slots, given back however
 * the read ends; refuses it with RATE_LIMITED when no slot comes free in time.
 */
export async function expensiveRead<T>(ctx: RequestContext, read: () => Promise<T>): Promise<T> {
  const principal = ctx.principal;
  if (!principal) throw new NotSignedIn();
  const gate = expensiveReadsOf(ctx.config);
  const release = await gate.take(budgetKeyOf(principal));
  if (!release) {
    rateLimitRejections.inc({ principal: principal.kind, endpoint: "graphql" });
    throw refused(principal, gate);
  }
  try {
    return await read();
  } finally {
    release();
  }
}
