import { minorUnits, type CurrencyCode } from "../../graphql/scalars";

// Exact decimal arithmetic for fixes and exchange rates: a value is a BigInt coefficient and a
// scale (the digits after the point), never a float. Rounding is HALF_EVEN (banker's rounding:
// a tie goes to the even digit), so that rounding many amounts does not drift one way.
// docs/domain.md, "Metal fixes and exchange rates", works an example through these functions;
// the price of a metal-linked piece itself is metal-linked.ts's.

export interface Decimal {
  coef: bigint;
  scale: number;
}

/** Significant digits an inverse rate (USD→EUR computed from EUR→USD) is given to. */
export const INVERSE_RATE_DIGITS = 10;

const PLAIN = /^-?\d+(\.\d+)?$/;

export function parseDecimal(value: string): Decimal {
  if (!PLAIN.test(value)) throw new Error(`not a decimal: ${value}`);
  const negative = value.startsWith("-");
  const [whole, fraction = ""] = (negative ? value.slice(1) : value).split(".");
  const coef = BigInt(whole + fraction);
  return { coef: negative ? -coef : coef, scale: fraction.length };
}

/** The decimal written out with exactly its scale's digits after the point. */
export function formatDecimal({ coef, scale }: Decimal): string {
  const negative = coef < 0n;
  const digits = (negative ? -coef : coef).toString().padStart(scale + 1, "0");
  const body = scale === 0 ? digits : `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  return negative ? `-${body}` : body;
}

/** Without trailing fractional zeros: "0.9250000000" → "0.925", "3.6725" stays. */
export function trimmed(value: string): string {
  return value.includes(".") ? value.replace(/\.?0+$/, "") : value;
}

const pow10 = (n: number) => 10n ** BigInt(n);

/** n / d rounded to a whole number, half to even. */
export function divideHalfEven(n: bigint, d: bigint): bigint {
  if (d === 0n) throw new Error("division by zero");
  const negative = n < 0n !== d < 0n;
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  let q = an / ad;
  const twice = (an - q * ad) * 2n;
  if (twice > ad || (twice === ad && q % 2n === 1n)) q += 1n;
  return negative ? -q : q;
}

export function multiplyExact(a: Decimal, b: Decimal): Decimal {
  return { coef: a.coef * b.coef, scale: a.scale + b.scale };
}

export function addExact(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale);
  return { coef: a.coef * pow10(scale - a.scale) + b.coef * pow10(scale - b.scale), scale };
}

/** The value at `scale` decimals, rounded half to even when digits are cut. */
export function roundTo(value: Decimal, scale: number): Decimal {
  if (scale >= value.scale) return { coef: value.coef * pow10(scale - value.scale), scale };
  return { coef: divideHalfEven(value.coef, pow10(value.scale - scale)), scale };
}

const digitCount = (n: bigint) => (n < 0n ? -n : n).toString().length;

/**
 * a / b to `digits` significant digits, half to even. The result's scale is whatever those digits
 * need (never negative: a whole result keeps its integer digits).
 */
export function divideSignificant(a: Decimal, b: Decimal, digits: number): Decimal {
  if (b.coef === 0n) throw new Error("division by zero");
  if (a.coef === 0n) return { coef: 0n, scale: 0 };
  // a / b = (a.coef / b.coef) × 10^(b.scale − a.scale). Pick the scale s of the result so that
  // its coefficient, a.coef × 10^(s + b.scale − a.scale) / b.coef, has `digits` digits.
  const estimate = digitCount(a.coef) - digitCount(b.coef) + b.scale - a.scale; // integer digits, ±1
  let scale = Math.max(0, digits - estimate);
  const quotient = (s: number) => {
    const shift = s + b.scale - a.scale;
    return shift >= 0 ? divideHalfEven(a.coef * pow10(shift), b.coef) : divideHalfEven(a.coef, b.coef * pow10(-shift));
  };
  let coef = quotient(scale);
  while (scale > 0 && digitCount(coef) > digits) coef = quotient(--scale);
  while (digitCount(coef) < digits) coef = quotient(++scale);
  return { coef, scale };
}

/** Whether the text is a rate Facet stores: positive, up to 10 digits before the point and 10 after it. */
export function isRate(value: string): boolean {
  return /^\d{1,10}(\.\d{1,10})?$/.test(value) && /[1-9]/.test(value);
}

/**
 * The inverse of a rate (quote per base → base per quote), to INVERSE_RATE_DIGITS significant
 * digits, half to even, without trailing zeros: 1 / 0.8571 = "1.166725003".
 */
export function invertRate(rate: string): string {
  return trimmed(formatDecimal(divideSignificant({ coef: 1n, scale: 0 }, parseDecimal(rate), INVERSE_RATE_DIGITS)));
}

/**
 * An amount converted at a rate (units of the target currency per unit of the amount's), rounded
 * half to even to the target currency's decimal places: 1000.00 USD at 152.2300 → "152230" JPY.
 */
export function convert(amount: string, rate: string, to: CurrencyCode): string {
  return formatDecimal(roundTo(multiplyExact(parseDecimal(amount), parseDecimal(rate)), minorUnits(to)));
}

/**
 * Amounts in several currencies, each with the rate that turns it into `to`, added exactly and
 * rounded once, half to even, to `to`'s decimal places.
 */
export function convertSum(parts: readonly { amount: string; rate: string }[], to: CurrencyCode): string {
  const total = parts.reduce<Decimal>((acc, p) => addExact(acc, multiplyExact(parseDecimal(p.amount), parseDecimal(p.rate))), { coef: 0n, scale: 0 });
  return formatDecimal(roundTo(total, minorUnits(to)));
}
