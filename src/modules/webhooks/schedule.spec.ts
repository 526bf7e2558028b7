import { JITTER, nextDelayMs, retryAfterMs } from "./schedule";

const SPEC = [0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 50_400_000, 72_000_000, 86_400_000];

describe("nextDelayMs", () => {
  it("follows the schedule, with up to 10% of jitter added, and stops when it is spent", () => {
    expect(nextDelayMs(SPEC, 1, null, 86_400_000, 0)).toBe(5_000);
    expect(nextDelayMs(SPEC, 2, null, 86_400_000, 0.5)).toBe(315_000);
    expect(nextDelayMs(SPEC, 9, null, 86_400_000, 0.999)).toBeLessThanOrEqual(86_400_000 * (1 + JITTER));
    expect(nextDelayMs(SPEC, 10, null, 86_400_000, 0)).toBeNull();
    // The whole schedule spans about three days (75 h 35 min 5 s before jitter).
    expect(SPEC.reduce((a, b) => a + b, 0)).toBe(((75 * 60 + 35) * 60 + 5) * 1000);
  });

  it("waits at least what Retry-After asks, up to the bound", () => {
    expect(nextDelayMs(SPEC, 1, 120_000, 86_400_000, 0)).toBe(120_000);
    expect(nextDelayMs(SPEC, 2, 60_000, 86_400_000, 0)).toBe(300_000);
    expect(nextDelayMs(SPEC, 1, 30 * 86_400_000, 86_400_000, 0)).toBe(86_400_000);
    expect(nextDelayMs(SPEC, 10, 1000, 86_400_000, 0)).toBeNull();
  });
});

describe("retryAfterMs", () => {
  it("reads delay-seconds and HTTP dates", () => {
    expect(retryAfterMs("120")).toBe(120_000);
    expect(retryAfterMs(" 0 ")).toBe(0);
    const now = Date.parse("2026-03-01T10:00:00Z");
    expect(retryAfterMs("Sun, 01 Mar 2026 10:02:00 GMT", now)).toBe(120_000);
    expect(retryAfterMs("Sun, 01 Mar 2026 09:00:00 GMT", now)).toBe(0);
    expect(retryAfterMs(undefined)).toBeNull();
    expect(retryAfterMs("soon")).toBeNull();
    expect(retryAfterMs("-5")).toBeNull();
  });
});
