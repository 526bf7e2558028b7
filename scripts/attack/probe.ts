import { graphql, statusLabel, type Actor } from "../support/http";

// A signed-in buyer going about their day: `{ viewer { role } }`, one request after the other,
// on connections of its own. Its latencies while an attack runs are what the attack cost others.

export const PROBE_QUERY = "{ viewer { role } }";
const PROBE_TIMEOUT_MS = 150_000;

export interface ProbeSample {
  ms: number;
  status: string;
  /** The answer was a 200 with the buyer's role. */
  ok: boolean;
}

export class Probe {
  private running = false;
  private loop: Promise<void> | undefined;
  private samples: ProbeSample[] = [];

  constructor(
    private readonly base: URL,
    private readonly from: Actor,
    private readonly token: string,
  ) {}

  /** One probe request. */
  async once(): Promise<ProbeSample> {
    const answer = await graphql(this.base, this.from, PROBE_QUERY, undefined, { token: this.token, timeoutMs: PROBE_TIMEOUT_MS });
    const role = (answer.json as { data?: { viewer?: { role?: unknown } } } | undefined)?.data?.viewer?.role;
    return { ms: answer.ms, status: statusLabel(answer), ok: answer.status === 200 && typeof role === "string" };
  }

  /** Sends probes one after the other until stopped. */
  start(): void {
    if (this.running) throw new Error("the probe is running already");
    this.running = true;
    this.samples = [];
    this.loop = (async () => {
      while (this.running) this.samples.push(await this.once());
    })();
  }

  /** Stops after the probe in flight has its answer (its time counts: the attack caused it). */
  async stop(): Promise<ProbeSample[]> {
    this.running = false;
    await this.loop;
    return this.samples;
  }

  /** `count` probes one after the other. */
  async sequence(count: number): Promise<ProbeSample[]> {
    const samples: ProbeSample[] = [];
    for (let i = 0; i < count; i++) samples.push(await this.once());
    return samples;
  }
}

/** The nearest-rank percentile of some latencies. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
