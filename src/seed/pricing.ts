import type { EntityManager } from "typeorm";
import { isoWeekday, localDate } from "../core/working-week";
import { addCalendarDays } from "../modules/calendar";

// A month of the London fixes and of daily exchange rates, ending today, so that the demo's
// metal-linked prices have a fresh fix and its reports a rate for every currency they meet. The
// values are plausible for late 2026 and follow the date alone, not chance: a gentle four-week
// swing with a small wobble, the same for a date whichever day the demo is seeded. Fixes are set
// on London working days (Monday to Friday) at their auctions' times; nothing later than now.

const DAYS = 31;
const SEED_SOURCE = "WM/Reuters 16:00 London (demo)";

/** A wall-clock time in London as an instant (the fixes' times follow London's summer time). */
function londonTime(date: string, hour: number, minute: number): Date {
  const guess = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)), hour, minute);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" })
      .formatToParts(new Date(guess))
      .map((p) => [p.type, Number(p.value)]),
  );
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute);
  return new Date(guess - (wall - guess));
}

/**
 * The value on a date in ten-thousandths: `base`, plus `step` for each day up a 28-day triangle
 * (up for two weeks, down for two), plus a wobble of up to two `wobble`s either way, plus `shift`.
 */
function walk(date: string, base: number, step: number, wobble: number, shift = 0): bigint {
  const day = Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
  const t = day % 28;
  const swing = t < 14 ? t : 28 - t;
  return BigInt(base + swing * step + (((day * 7) % 5) - 2) * wobble + shift);
}

/** Ten-thousandths as a decimal string with `decimals` places (cut, the value being rounded to them first). */
function decimal(value: bigint, decimals: number): string {
  const whole = value / 10_000n;
  const fraction = (value % 10_000n).toString().padStart(4, "0").slice(0, decimals);
  return decimals === 0 ? whole.toString() : `${whole}.${fraction}`;
}

/** Rounded (half up: the values are positive) to `decimals` places, still in ten-thousandths. */
const round = (value: bigint, decimals: number) => {
  const unit = 10n ** BigInt(4 - decimals);
  return ((value + unit / 2n) / unit) * unit;
};

// The auctions: source, metal, London time, and the walk of its price in USD per troy ounce
// (ten-thousandths), quoted with 2 decimals (silver 3).
const FIXES = [
  { source: "LPPM_PLATINUM_AM", metal: "PLATINUM", at: [9, 45], base: 16_000_000, step: 40_000, wobble: 20_000, shift: 0, decimals: 2 },
  { source: "LPPM_PALLADIUM_AM", metal: "PALLADIUM", at: [9, 45], base: 14_000_000, step: 35_000, wobble: 20_000, shift: 0, decimals: 2 },
  { source: "LBMA_GOLD_AM", metal: "GOLD", at: [10, 30], base: 41_000_000, step: 90_000, wobble: 30_000, shift: 0, decimals: 2 },
  { source: "LBMA_SILVER", metal: "SILVER", at: [12, 0], base: 520_000, step: 1_500, wobble: 500, shift: 0, decimals: 3 },
  { source: "LPPM_PLATINUM_PM", metal: "PLATINUM", at: [14, 0], base: 16_000_000, step: 40_000, wobble: 20_000, shift: 35_000, decimals: 2 },
  { source: "LPPM_PALLADIUM_PM", metal: "PALLADIUM", at: [14, 0], base: 14_000_000, step: 35_000, wobble: 20_000, shift: -25_000, decimals: 2 },
  { source: "LBMA_GOLD_PM", metal: "GOLD", at: [15, 0], base: 41_000_000, step: 90_000, wobble: 30_000, shift: 65_000, decimals: 2 },
] as const;

// Units of each currency per US dollar at 16:00 London (ten-thousandths); the dirham is pegged.
const RATES = [
  { quote: "EUR", base: 8_600, step: 8, wobble: 3, decimals: 4 },
  { quote: "AED", base: 36_725, step: 0, wobble: 0, decimals: 4 },
  { quote: "CAD", base: 13_850, step: 10, wobble: 4, decimals: 4 },
  { quote: "INR", base: 885_000, step: 500, wobble: 200, decimals: 4 },
  { quote: "JPY", base: 1_520_000, step: 2_000, wobble: 600, decimals: 4 },
  { quote: "KWD", base: 3_070, step: 1, wobble: 1, decimals: 4 },
] as const;

export async function seedPricing(db: EntityManager, now = new Date()): Promise<{ metalPrices: number; exchangeRates: number }> {
  const today = localDate(now, "Europe/London");
  const days = Array.from({ length: DAYS }, (_, i) => addCalendarDays(today, i - DAYS + 1)).filter((date) => isoWeekday(date) <= 5);

  const fixes: [metal: string, price: string, source: string, fixedAt: Date][] = [];
  const rates: [quote: string, rate: string, asOf: Date][] = [];
  for (const date of days) {
    for (const f of FIXES) {
      const fixedAt = londonTime(date, f.at[0], f.at[1]);
      if (fixedAt <= now) fixes.push([f.metal, decimal(round(walk(date, f.base, f.step, f.wobble, f.shift), f.decimals), f.decimals), f.source, fixedAt]);
    }
    const asOf = londonTime(date, 16, 0);
    if (asOf <= now) for (const r of RATES) rates.push([r.quote, decimal(walk(date, r.base, r.step, r.wobble), r.decimals), asOf]);
  }

  const metalPrices = (await db.query(
    `INSERT INTO metal_prices (metal, price_per_troy_ounce, source, fixed_at)
     SELECT * FROM unnest($1::varchar[], $2::numeric[], $3::varchar[], $4::timestamptz[])
     ON CONFLICT (metal, source, fixed_at) DO NOTHING RETURNING id`,
    [fixes.map((f) => f[0]), fixes.map((f) => f[1]), fixes.map((f) => f[2]), fixes.map((f) => f[3])],
  )) as unknown[];
  const exchangeRates = (await db.query(
    `INSERT INTO exchange_rates (base, quote, rate, source, as_of)
     SELECT 'USD', * FROM unnest($1::char(3)[], $2::numeric[], $3::varchar[], $4::timestamptz[])
     ON CONFLICT (base, quote, source, as_of) DO NOTHING RETURNING id`,
    [rates.map((r) => r[0]), rates.map((r) => r[1]), rates.map(() => SEED_SOURCE), rates.map((r) => r[2])],
  )) as unknown[];
  return { metalPrices: metalPrices.length, exchangeRates: exchangeRates.length };
}
