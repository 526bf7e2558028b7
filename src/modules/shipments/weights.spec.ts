import { toScaled } from "../../graphql/money";
import type { StoneRow } from "../catalog";
import type { PackageRow } from "./shipment.entity";
import { goodsWeight, gramsText, kgText, netWeightProblem, netWeightRange, packagesGrams, rowGrams, type WeighedRow } from "./weights";

const stone = (totalCarat: string) => ({ totalCarat }) as StoneRow;
const row = (metalWeightGrams: string | null, quantity: number, ...carats: string[]): WeighedRow => ({ metalWeightGrams, quantity, stones: carats.map(stone) });
const parcel = (netWeightKg: string, count = 1): PackageRow => ({ count, netWeightKg, grossWeightKg: "1.000", lengthCm: 20, widthCm: 15, heightCm: 10 });

// docs/domain.md, "Net and gross weights": the metric carat is 0.2 g exactly.
describe("the goods' net weight", () => {
  it.each<[WeighedRow, string]>([
    [row("3.200", 2, "0.50"), "6.6"],
    [row("4.500", 5, "0.30"), "22.8"],
    [row("2.100", 3, "1.20"), "7.02"],
    [row("6.000", 4), "24"],
    [row("0.001", 1, "0.001"), "0.0012"],
    [row(null, 2, "1"), "0.4"],
  ])("of %j is %s g", (r, grams) => {
    expect(gramsText(rowGrams(r))).toBe(grams);
  });

  it("adds up lines, and is a floor only when a metal weight is unknown", () => {
    expect(goodsWeight([row("3.200", 2, "0.50"), row("4.500", 5, "0.30")])).toEqual({ grams: toScaled("29.4"), complete: true });
    expect(goodsWeight([row("3.200", 2), row(null, 1, "0.5")])).toEqual({ grams: toScaled("6.5"), complete: false });
    expect(goodsWeight([])).toEqual({ grams: 0n, complete: true });
  });

  it("reads packages in kilograms, times their count, exactly", () => {
    expect(gramsText(packagesGrams([parcel("0.061", 2), parcel("0.005")], (p) => p.netWeightKg))).toBe("127");
    expect(kgText(toScaled("16.15"))).toBe("0.01615");
    expect(kgText(toScaled("1050"))).toBe("1.05");
    expect(kgText(0n)).toBe("0");
  });
});

describe("the declared net weight", () => {
  // 10% of the goods, and 0.5 g per package for weighing each to the gram.
  it.each<[string, number, string, string]>([
    ["16", 1, "13.9", "18.1"],
    ["3", 1, "2.2", "3.8"],
    ["46.8", 2, "41.12", "52.48"],
    ["1000", 10, "895", "1105"],
  ])("of %s g of goods in %s package(s) lies between %s g and %s g", (goods, packages, min, max) => {
    const range = netWeightRange({ grams: toScaled(goods), complete: true }, packages);
    expect([gramsText(range.min), gramsText(range.max!)]).toEqual([min, max]);
  });

  it("has no upper bound when the goods' weight is a floor", () => {
    expect(netWeightRange({ grams: toScaled("16"), complete: false }, 1).max).toBeNull();
    expect(netWeightProblem([parcel("5")], { grams: toScaled("16"), complete: false })).toBeNull();
    expect(netWeightProblem([parcel("0.010")], { grams: toScaled("16"), complete: false })).toMatch(/declare at least 13\.9 g/);
  });

  it("refuses 5 kg for goods of 16 g, and accepts what the scale shows for them", () => {
    const goods = { grams: toScaled("16"), complete: true };
    expect(netWeightProblem([parcel("5.000")], goods)).toBe(
      "The packages' net weights add up to 5000 g, but the goods themselves weigh 16 g (metal plus stones at 0.2 g per carat): " +
        "declare between 13.9 g and 18.1 g (10%, and 0.5 g per package for weighing to the gram)",
    );
    expect(netWeightProblem([parcel("0.013")], goods)).toMatch(/^The packages' net weights add up to 13 g/);
    expect(netWeightProblem([parcel("0.019")], goods)).not.toBeNull();
    for (const kg of ["0.014", "0.016", "0.018"]) expect(netWeightProblem([parcel(kg)], goods)).toBeNull();
    expect(netWeightProblem([parcel("0.008", 2)], goods)).toBeNull();
  });
});
