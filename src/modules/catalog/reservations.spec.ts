import { reservableFromStock } from "./lead-time";

describe("reservableFromStock", () => {
  const limits = { maxSharePercent: 50, maxUnits: 500 };

  it("takes at most the share of what is available, rounded down", () => {
    expect(reservableFromStock(10, limits)).toBe(5);
    expect(reservableFromStock(11, limits)).toBe(5);
    expect(reservableFromStock(3, { ...limits, maxSharePercent: 34 })).toBe(1);
  });

  it("takes at most maxUnits", () => {
    expect(reservableFromStock(2000, limits)).toBe(500);
    expect(reservableFromStock(1000, limits)).toBe(500);
    expect(reservableFromStock(998, limits)).toBe(499);
  });

  it("still lets the last piece go from stock, and nothing when none is available", () => {
    expect(reservableFromStock(1, limits)).toBe(1);
    expect(reservableFromStock(2, { ...limits, maxSharePercent: 1 })).toBe(1);
    expect(reservableFromStock(0, limits)).toBe(0);
    expect(reservableFromStock(-3, limits)).toBe(0);
  });

  it("takes everything available at 100 percent, within maxUnits", () => {
    expect(reservableFromStock(10, { maxSharePercent: 100, maxUnits: 500 })).toBe(10);
    expect(reservableFromStock(10, { maxSharePercent: 100, maxUnits: 4 })).toBe(4);
  });
});
