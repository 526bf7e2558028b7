import { reachedBreak, unitPriceWithBreaks } from "./quantity-breaks";

const BREAKS = [
  { minQuantity: 50, unitPrice: "80.0000" },
  { minQuantity: 12, unitPrice: "90.0000" },
];

describe("quantity breaks", () => {
  it("reach the highest break at or below the quantity, in any order", () => {
    expect(reachedBreak(BREAKS, 11)).toBeNull();
    expect(reachedBreak(BREAKS, 12)?.minQuantity).toBe(12);
    expect(reachedBreak(BREAKS, 49)?.minQuantity).toBe(12);
    expect(reachedBreak(BREAKS, 50)?.minQuantity).toBe(50);
    expect(reachedBreak(BREAKS, 100_000)?.minQuantity).toBe(50);
    expect(reachedBreak([], 100)).toBeNull();
  });

  it("price a line at the break reached, or at the variant's own price below it", () => {
    expect(unitPriceWithBreaks("100.0000", BREAKS, 11)).toEqual({ unitPrice: "100.0000", applied: null });
    expect(unitPriceWithBreaks("100.0000", BREAKS, 12)).toEqual({ unitPrice: "90.0000", applied: BREAKS[1] });
    expect(unitPriceWithBreaks("100.0000", BREAKS, 50)).toEqual({ unitPrice: "80.0000", applied: BREAKS[0] });
  });

  it("never raise a variant's own price", () => {
    expect(unitPriceWithBreaks("85.0000", BREAKS, 20)).toEqual({ unitPrice: "85.0000", applied: null });
    expect(unitPriceWithBreaks("90.0000", BREAKS, 20)).toEqual({ unitPrice: "90.0000", applied: null });
    expect(unitPriceWithBreaks("85.0000", BREAKS, 60)).toEqual({ unitPrice: "80.0000", applied: BREAKS[0] });
  });
});
