import { registerEnumType } from "type-graphql";
import { formatDecimal, metalLinkedPrice, multiplyExact, parseDecimal, type PriceBreakdown } from "../pricing";

// The metal basis of a quote (docs/domain.md, "Metal basis of a quote"): a price for a piece in a
// precious metal rests on the metal's fix of the day it was given. Either the price holds as it
// is for a short while (LOCKED), or it holds with a surcharge for what the metal costs above
// that fix when the quote is accepted (SURCHARGE).

export enum QuotePriceBasis {
  LOCKED = "LOCKED",
  SURCHARGE = "SURCHARGE",
}
registerEnumType(QuotePriceBasis, {
  name: "QuotePriceBasis",
  description: "How a design brief's quoted price follows the metal market until it is accepted.",
  valuesConfig: {
    LOCKED: {
      description: "The quoted price holds as it is until `validUntil`, which is then at most QUOTE_PRICE_LOCK_MAX_DAYS (7 by default) calendar days after the day of the quote.",
    },
    SURCHARGE: {
      description:
        "The quoted price holds with a metal surcharge: accepted, the order's unit price is the quoted one plus what the piece's fine metal costs above the quote's fix at the day's fix (never less than the quoted price). Precious metals only.",
    },
  },
});

/** A fix in the quote's currency per troy ounce: US dollars per troy ounce × units of the currency per US dollar, exactly. */
export function fixInCurrency(fixUsdPerTroyOunce: string, usdRate: string): string {
  return formatDecimal(multiplyExact(parseDecimal(fixUsdPerTroyOunce), parseDecimal(usdRate)));
}

export interface SurchargeMarket {
  /** US dollars per troy ounce and units of the quote's currency per US dollar. */
  fixUsdPerTroyOunce: string;
  usdRate: string;
}

/**
 * The unit price of a SURCHARGE quote accepted at `now`: the quoted unit price plus what one
 * piece's fine metal costs above the quote's fix, each fix taken in the quote's currency through
 * the rate of its own day (the quote's rate for the quote's fix, today's for today's). A fix
 * below the quote's gives no discount. Rounded once to the currency's minor unit.
 */
export function surchargedPrice(
  piece: { metalWeightGrams: string; fineness: number },
  listPrice: string,
  quoted: SurchargeMarket,
  now: SurchargeMarket,
  minorUnits: number,
): PriceBreakdown {
  // Both fixes already in the currency, so the market's own rate is 1.
  return metalLinkedPrice(
    piece,
    { fixUsdPerTroyOunce: fixInCurrency(now.fixUsdPerTroyOunce, now.usdRate), usdToCurrency: "1" },
    { mode: "SURCHARGE", listPrice, baseFixUsdPerTroyOunce: fixInCurrency(quoted.fixUsdPerTroyOunce, quoted.usdRate) },
    minorUnits,
  );
}
