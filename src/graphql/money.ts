import { Field, InputType, ObjectType } from "type-graphql";
import { CurrencyCode, DecimalScalar, minorUnits } from "./scalars";

@ObjectType({ simpleResolvers: true, description: "An exact amount of money in one currency." })
export class Money {
  @Field(() => DecimalScalar, { description: 'The amount as an exact decimal string, e.g. "1249.50", with the currency\'s decimal places.' })
  amount: string;

  @Field(() => CurrencyCode, { description: "ISO 4217 currency." })
  currency: CurrencyCode;
}

@InputType({ description: "An amount of money to set." })
export class MoneyInput {
  @Field(() => DecimalScalar, { description: 'Exact decimal string with at most the currency\'s decimal places, e.g. "1249.50" (EUR) or "150000" (JPY).' })
  amount: string;

  @Field(() => CurrencyCode, { description: "ISO 4217 currency." })
  currency: CurrencyCode;
}

/** Writes a stored numeric (e.g. "1249.5000") with exactly the currency's decimal places. */
export function money(amount: string, currency: CurrencyCode): Money {
  // Written with indexOf and slices (no split, one regex only when digits are cut): a page of
  // orders writes hundreds of amounts.
  const digits = minorUnits(currency);
  const point = amount.indexOf(".");
  const whole = point < 0 ? amount : amount.slice(0, point); // with its sign
  const fraction = point < 0 ? "" : amount.slice(point + 1);
  if (fraction.length > digits && /[1-9]/.test(fraction.slice(digits))) throw new Error(`${amount} has more precision than ${currency} allows`);
  if (digits === 0) return { amount: whole, currency };
  return { amount: `${whole}.${fraction.length >= digits ? fraction.slice(0, digits) : fraction.padEnd(digits, "0")}`, currency };
}

// Exact decimal arithmetic for money: amounts as BigInt at a fixed scale of 4 decimals, the scale
// of every stored price and total. Never a float.
const SCALE = 4;
const FACTOR = 10n ** BigInt(SCALE);

export function toScaled(amount: string): bigint {
  const negative = amount.startsWith("-");
  const [whole, fraction = ""] = (negative ? amount.slice(1) : amount).split(".");
  if (fraction.length > SCALE || !/^\d+$/.test(whole) || !/^\d*$/.test(fraction)) throw new Error(`not a decimal of scale ≤ ${SCALE}: ${amount}`);
  const value = BigInt(whole) * FACTOR + BigInt(fraction.padEnd(SCALE, "0"));
  return negative ? -value : value;
}

export function fromScaled(value: bigint): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  return `${negative ? "-" : ""}${abs / FACTOR}.${String(abs % FACTOR).padStart(SCALE, "0")}`;
}

// The largest amount a money column (numeric(18,4)) holds.
const MAX_STORED = 10n ** 18n - 1n;

/** Whether an amount (scale ≤ 4) fits the money columns. */
export function fitsStorage(amount: string): boolean {
  const value = toScaled(amount);
  return value <= MAX_STORED && value >= -MAX_STORED;
}

export function multiply(amount: string, quantity: number): string {
  return fromScaled(toScaled(amount) * BigInt(quantity));
}

export function sum(amounts: readonly string[]): string {
  return fromScaled(amounts.reduce((acc, a) => acc + toScaled(a), 0n));
}

/** A decimal without trailing fractional zeros: "40.0000" → "40", "51.1800" → "51.18". */
export function trimDecimal(value: string): string {
  return value.includes(".") ? value.replace(/\.?0+$/, "") : value;
}
