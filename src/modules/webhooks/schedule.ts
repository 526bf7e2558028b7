// When the next attempt of a failed delivery is due (docs/webhooks.md, "Retries"): the step of the
// retry schedule after the attempts made so far, plus up to 10% of jitter so that deliveries that
// failed together (a receiver's outage) do not all come back at once, and never before a
// `Retry-After` the receiver asked for (up to a bound).

/** The share of a step added at random, at most. */
export const JITTER = 0.1;

/**
 * The delay before the next attempt after `made` attempts of the round, or null when the schedule
 * is spent. `random` is in [0, 1).
 */
export function nextDelayMs(schedule: readonly number[], made: number, retryAfterMs: number | null, retryAfterMaxMs: number, random = Math.random()): number | null {
  if (made >= schedule.length) return null;
  const step = schedule[made];
  const jittered = Math.round(step * (1 + JITTER * random));
  return retryAfterMs === null ? jittered : Math.max(jittered, Math.min(retryAfterMs, retryAfterMaxMs));
}

/**
 * A `Retry-After` header's delay in milliseconds: delay-seconds or an HTTP date (RFC 9110,
 * 10.2.3); null when absent or unreadable. A date in the past is no delay.
 */
export function retryAfterMs(header: string | string[] | undefined, now = Date.now()): number | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return null;
  const text = value.trim();
  if (/^\d{1,10}$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return null;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
