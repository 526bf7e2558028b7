// The price of a metal-linked piece, exactly (docs/domain.md, "Metal-linked prices").
//
// Fine jewelry is priced by its metal: the fine metal it holds (metal weight × fineness / 1000) at
// the day's fix, converted from US dollars per troy ounce to the list's currency per gram, plus a
// loss allowance (what melting, casting and polishing lose), the making charge (per piece, or per
// gram of metal), the stones and the plating. A list may instead keep a fixed price with a metal
// surcharge: the list price plus what the metal costs above the fix the price was set at.
//
// Every step is exact (fractions of big integers, never floating point); the price is rounded
// once, to the currency's minor unit (0 decimals for JPY, 3 for KWD), half to even as every
// conversion in Facet is (docs/domain.md, "Metal fixes and exchange rates"). The components are
// shown rounded the same way, so they may differ from the price by a minor unit.

import { divideHalfEven, formatDecimal, parseDecimal } from "./decimal";

/** Grams in one troy ounce: exactly 31.1034768 (the international troy ounce of 1959). */
export const GRAMS_PER_TROY_OUNCE = "31.1034768";

/** A non-negative or negative rational number, n / d with d > 0. */
interface Ratio {
  n: bigint;
  d: bigint;
}

/** A decimal string as an exact fraction. */
export function ratio(decimal: string): Ratio {
  const { coef, scale } = parseDecimal(decimal);
  return { n: coef, d: 10n ** BigInt(scale) };
}

const gcd = (a: bigint, b: bigint): bigint => {
  a = a < 0n ? -a : a;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
};

function reduce(r: Ratio): Ratio {
  const g = gcd(r.n, r.d) || 1n;
  return { n: r.n / g, d: r.d / g };
}

const add = (a: Ratio, b: Ratio): Ratio => reduce({ n: a.n * b.d + b.n * a.d, d: a.d * b.d });
const sub = (a: Ratio, b: Ratio): Ratio => add(a, { n: -b.n, d: b.d });
const mul = (a: Ratio, b: Ratio): Ratio => reduce({ n: a.n * b.n, d: a.d * b.d });
function div(a: Ratio, b: Ratio): Ratio {
  if (b.n === 0n) throw new Error("division by zero");
  const sign = b.n < 0n ? -1n : 1n;
  return reduce({ n: a.n * b.d * sign, d: a.d * b.n * sign });
}
const ZERO: Ratio = { n: 0n, d: 1n };
const ONE: Ratio = { n: 1n, d: 1n };

/** Rounds to `decimals` places, half to even, as a decimal string with exactly that many places. */
export function roundTo(r: Ratio, decimals: number): string {
  return formatDecimal({ coef: divideHalfEven(r.n * 10n ** BigInt(decimals), r.d), scale: decimals });
}

/** What one piece is made of, for its price. Weights in grams, fineness in parts per thousand. */
export interface PieceMetal {
  metalWeightGrams: string;
  fineness: number;
}

/** The market: the fix in US dollars per troy ounce, and the rate from US dollars to the list's currency (1 USD = rate units). */
export interface Market {
  fixUsdPerTroyOunce: string;
  usdToCurrency: string;
}

export type MakingCharge = { per: "PIECE"; amount: string } | { per: "GRAM"; amount: string };

/** A price built up from the metal: fine metal at the fix, a loss allowance, making, stones and plating. */
export interface ByWeightTerms {
  mode: "BY_WEIGHT";
  /** A fraction, e.g. "0.03" for 3 %. */
  lossAllowance: string;
  making: MakingCharge;
  stones: string;
  plating: string;
}

/** A fixed list price set when the metal was at `baseFixUsdPerTroyOunce`, plus what the metal costs above it. */
export interface SurchargeTerms {
  mode: "SURCHARGE";
  listPrice: string;
  baseFixUsdPerTroyOunce: string;
}

export interface PriceBreakdown {
  /** The unit price, rounded once to the currency's minor unit. */
  price: string;
  /** Each component, rounded to the minor unit for display. */
  metal: string;
  making: string;
  stones: string;
  plating: string;
  surcharge: string;
  /** Grams of fine metal in one piece, exact. */
  fineGrams: string;
}

/** Grams of fine metal in a piece: metal weight × fineness / 1000. */
export function fineGrams(piece: PieceMetal): Ratio {
  return mul(ratio(piece.metalWeightGrams), { n: BigInt(piece.fineness), d: 1000n });
}

/** The price of a gram of fine metal in the list's currency. */
export function finePricePerGram(market: Market): Ratio {
  return div(mul(ratio(market.fixUsdPerTroyOunce), ratio(market.usdToCurrency)), ratio(GRAMS_PER_TROY_OUNCE));
}

/**
 * One piece's price under metal-linked terms, in the list's currency with `minorUnits` decimals.
 * Refuses (throws) negative inputs; a fix below a surcharge's base gives no discount: the
 * surcharge is never negative.
 */
export function metalLinkedPrice(piece: PieceMetal, market: Market, terms: ByWeightTerms | SurchargeTerms, minorUnits: number): PriceBreakdown {
  const fine = fineGrams(piece);
  const perGram = finePricePerGram(market);
  const round = (r: Ratio) => roundTo(r, minorUnits);
  const nonNegative = (label: string, r: Ratio) => {
    if (r.n < 0n) throw new Error(`${label} must not be negative`);
    return r;
  };
  if (terms.mode === "SURCHARGE") {
    const list = nonNegative("the list price", ratio(terms.listPrice));
    const base = div(mul(ratio(terms.baseFixUsdPerTroyOunce), ratio(market.usdToCurrency)), ratio(GRAMS_PER_TROY_OUNCE));
    const above = sub(perGram, base);
    const surcharge = above.n > 0n ? mul(above, fine) : ZERO;
    return { price: round(add(list, surcharge)), metal: round(ZERO), making: round(ZERO), stones: round(ZERO), plating: round(ZERO), surcharge: round(surcharge), fineGrams: roundTo(fine, 4) };
  }
  const metal = mul(mul(fine, perGram), add(ONE, nonNegative("the loss allowance", ratio(terms.lossAllowance))));
  const makingAmount = nonNegative("the making charge", ratio(terms.making.amount));
  const making = terms.making.per === "PIECE" ? makingAmount : mul(makingAmount, ratio(piece.metalWeightGrams));
  const stones = nonNegative("the stones", ratio(terms.stones));
  const plating = nonNegative("the plating", ratio(terms.plating));
  const total = add(add(add(metal, making), stones), plating);
  return { price: round(total), metal: round(metal), making: round(making), stones: round(stones), plating: round(plating), surcharge: round(ZERO), fineGrams: roundTo(fine, 4) };
}
