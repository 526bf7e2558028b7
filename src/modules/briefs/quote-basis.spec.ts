import { fixInCurrency, surchargedPrice } from "./quote-basis";

// A SURCHARGE quote's price at acceptance, computed by hand: fine grams × (today's fix × today's
// rate − the quote's fix × the quote's rate) ÷ 31.1034768, never negative, rounded once.

describe("the surcharge of a quote", () => {
  const piece = { metalWeightGrams: "4.2", fineness: 750 }; // 3.15 g of fine gold
  const quoted = { fixUsdPerTroyOunce: "2300.00", usdRate: "0.9000" }; // 2070 EUR an ounce

  test("takes each fix in the currency at its own day's rate", () => {
    expect(fixInCurrency("2300.00", "0.9000")).toBe("2070.000000");
    // 2650 × 0.92 = 2438 EUR an ounce: 368 above; 368 ÷ 31.1034768 × 3.15 = 37.2691…
    expect(surchargedPrice(piece, "1250.00", quoted, { fixUsdPerTroyOunce: "2650.00", usdRate: "0.9200" }, 2)).toMatchObject({ price: "1287.27", surcharge: "37.27" });
    // The same dollar fix with a dearer euro: 2650 × 0.80 = 2120, 50 above: 5.0637…
    expect(surchargedPrice(piece, "1250.00", quoted, { fixUsdPerTroyOunce: "2650.00", usdRate: "0.8000" }, 2)).toMatchObject({ price: "1255.06", surcharge: "5.06" });
  });

  test("gives no discount when the metal costs less in the currency than at the quote", () => {
    // A higher dollar fix, but 2650 × 0.75 = 1987.5 EUR, below 2070.
    expect(surchargedPrice(piece, "1250.00", quoted, { fixUsdPerTroyOunce: "2650.00", usdRate: "0.7500" }, 2)).toMatchObject({ price: "1250.00", surcharge: "0.00" });
  });

  test("rounds to the currency's minor unit: none for yen", () => {
    // 2300 × 150 = 345000 → 2650 × 150 = 397500 yen an ounce: 52500 ÷ 31.1034768 × 3.15 = 5316.93 → 5317
    expect(surchargedPrice(piece, "180000", { fixUsdPerTroyOunce: "2300.00", usdRate: "150" }, { fixUsdPerTroyOunce: "2650.00", usdRate: "150" }, 0)).toMatchObject({ price: "185317", surcharge: "5317" });
  });
});
