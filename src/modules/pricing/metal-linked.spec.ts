import { fineGrams, finePricePerGram, metalLinkedPrice, ratio, roundTo } from "./metal-linked";

// Fixtures computed by hand, step by step in the comments (a fine gram's price = fix × rate /
// 31.1034768), each rounded once at the end.

describe("metal-linked prices", () => {
  test("22K gold by weight, in UAE dirhams, making charged per gram", () => {
    // fine: 10.000 g × 916/1000 = 9.16 g; a fine gram: 2650 × 3.6725 / 31.1034768 = 312.8996…
    // metal: 9.16 × 312.8996… × 1.025 = 2937.7719…; making: 12.00 × 10.000 g = 120.00
    const price = metalLinkedPrice(
      { metalWeightGrams: "10.000", fineness: 916 },
      { fixUsdPerTroyOunce: "2650.00", usdToCurrency: "3.6725" },
      { mode: "BY_WEIGHT", lossAllowance: "0.025", making: { per: "GRAM", amount: "12.00" }, stones: "0", plating: "0" },
      2,
    );
    expect(price).toEqual({ price: "3057.77", metal: "2937.77", making: "120.00", stones: "0.00", plating: "0.00", surcharge: "0.00", fineGrams: "9.1600" });
  });

  test("18K gold with a surcharge, in euros: the list price plus the metal above the base fix", () => {
    // fine: 4.2 × 0.750 = 3.15 g; above the base: (2650 − 2300) × 0.92 / 31.1034768 = 10.3525… a gram
    // surcharge: 3.15 × 10.3525… = 32.6105…
    const terms = { mode: "SURCHARGE" as const, listPrice: "1250.00", baseFixUsdPerTroyOunce: "2300.00" };
    expect(metalLinkedPrice({ metalWeightGrams: "4.2", fineness: 750 }, { fixUsdPerTroyOunce: "2650.00", usdToCurrency: "0.9200" }, terms, 2)).toMatchObject({
      price: "1282.61",
      surcharge: "32.61",
    });
    // Below the base fix the surcharge is nil, never a discount.
    expect(metalLinkedPrice({ metalWeightGrams: "4.2", fineness: 750 }, { fixUsdPerTroyOunce: "2200.00", usdToCurrency: "0.9200" }, terms, 2)).toMatchObject({
      price: "1250.00",
      surcharge: "0.00",
    });
  });

  test("sterling silver in Canadian dollars, with a rhodium plating and making per piece", () => {
    // fine: 25.5 × 0.925 = 23.5875 g; a fine gram: 31.25 × 1.385 / 31.1034768 = 1.39151…
    // metal: 23.5875 × 1.39151… × 1.05 = 34.4637…; + 45.00 + 6.50 = 85.9637…
    expect(
      metalLinkedPrice(
        { metalWeightGrams: "25.5", fineness: 925 },
        { fixUsdPerTroyOunce: "31.25", usdToCurrency: "1.3850" },
        { mode: "BY_WEIGHT", lossAllowance: "0.05", making: { per: "PIECE", amount: "45.00" }, stones: "0", plating: "6.50" },
        2,
      ),
    ).toEqual({ price: "85.96", metal: "34.46", making: "45.00", stones: "0.00", plating: "6.50", surcharge: "0.00", fineGrams: "23.5875" });
  });

  test("platinum 950 in yen, a currency without minor units, with stones", () => {
    // fine: 6.3 × 0.950 = 5.985 g; a fine gram: 980.50 × 151.37 / 31.1034768 = 4771.83…
    // metal: 5.985 × 4771.83… × 1.03 = 29415.74…; + 18000 + 42000 = 89415.74… → 89416
    expect(
      metalLinkedPrice(
        { metalWeightGrams: "6.3", fineness: 950 },
        { fixUsdPerTroyOunce: "980.50", usdToCurrency: "151.37" },
        { mode: "BY_WEIGHT", lossAllowance: "0.03", making: { per: "PIECE", amount: "18000" }, stones: "42000", plating: "0" },
        0,
      ),
    ).toEqual({ price: "89416", metal: "29416", making: "18000", stones: "42000", plating: "0", surcharge: "0", fineGrams: "5.9850" });
  });

  test("22K gold in Kuwaiti dinars, three decimals; a half is rounded to even", () => {
    // making: 1.250 × 15.75 g = 19.6875 → 19.688 shown (7 is odd); fine: 15.75 × 0.916 = 14.427 g
    // metal: 14.427 × (2650 × 0.3071 / 31.1034768) × 1.02 = 385.0285…; price 404.7160… → 404.716
    expect(
      metalLinkedPrice(
        { metalWeightGrams: "15.75", fineness: 916 },
        { fixUsdPerTroyOunce: "2650.00", usdToCurrency: "0.30710" },
        { mode: "BY_WEIGHT", lossAllowance: "0.02", making: { per: "GRAM", amount: "1.250" }, stones: "0", plating: "0" },
        3,
      ),
    ).toMatchObject({ price: "404.716", metal: "385.029", making: "19.688", fineGrams: "14.4270" });
  });

  test("18K gold in US dollars: the rate is 1", () => {
    // fine: 5 × 0.750 = 3.75 g; metal: 3.75 × 2650 / 31.1034768 × 1.03 = 329.0829…; + 120 + 350
    expect(
      metalLinkedPrice(
        { metalWeightGrams: "5", fineness: 750 },
        { fixUsdPerTroyOunce: "2650.00", usdToCurrency: "1" },
        { mode: "BY_WEIGHT", lossAllowance: "0.03", making: { per: "PIECE", amount: "120.00" }, stones: "350.00", plating: "0" },
        2,
      ),
    ).toMatchObject({ price: "799.08", metal: "329.08" });
  });

  test("a troy ounce of fine gold at the fix costs the fix, in dollars per ounce", () => {
    const ounce = { metalWeightGrams: "31.1034768", fineness: 1000 };
    expect(roundTo(fineGrams(ounce), 7)).toBe("31.1034768");
    const perGram = finePricePerGram({ fixUsdPerTroyOunce: "2650.00", usdToCurrency: "1" });
    expect(metalLinkedPrice(ounce, { fixUsdPerTroyOunce: "2650.00", usdToCurrency: "1" }, { mode: "BY_WEIGHT", lossAllowance: "0", making: { per: "PIECE", amount: "0" }, stones: "0", plating: "0" }, 2).price).toBe("2650.00");
    expect(roundTo(perGram, 4)).toBe("85.1995"); // 2650 / 31.1034768 = 85.19947…
  });

  test("rounds half to even, and exactly", () => {
    expect(roundTo(ratio("2.005"), 2)).toBe("2.00");
    expect(roundTo(ratio("2.015"), 2)).toBe("2.02");
    expect(roundTo(ratio("-2.015"), 2)).toBe("-2.02");
    expect(roundTo(ratio("2.0050000000000000001"), 2)).toBe("2.01");
    expect(roundTo(ratio("2.0049999999999999999"), 2)).toBe("2.00");
    expect(roundTo(ratio("0.5"), 0)).toBe("0");
    expect(roundTo(ratio("1.5"), 0)).toBe("2");
    expect(roundTo(ratio("0.004"), 2)).toBe("0.00");
  });

  test("refuses what is not a price", () => {
    const market = { fixUsdPerTroyOunce: "2650.00", usdToCurrency: "1" };
    expect(() => metalLinkedPrice({ metalWeightGrams: "5", fineness: 750 }, market, { mode: "BY_WEIGHT", lossAllowance: "-0.1", making: { per: "PIECE", amount: "1" }, stones: "0", plating: "0" }, 2)).toThrow(
      "loss allowance",
    );
    expect(() => ratio("1e3")).toThrow("not a decimal");
    expect(() => metalLinkedPrice({ metalWeightGrams: "5", fineness: 750 }, market, { mode: "SURCHARGE", listPrice: "-1", baseFixUsdPerTroyOunce: "2000" }, 2)).toThrow("list price");
  });
});
