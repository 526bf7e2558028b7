import type { RequestContext } from "../../core/context";
import { localDate } from "../../core/working-week";
import { paginate, type ConnectionArgs, type ConnectionResult, type Ordering } from "../../graphql/connection";
import { BadUserInputError } from "../../graphql/errors";
import { mutate } from "../../graphql/mutation";
import type { CurrencyCode } from "../../graphql/scalars";
import { Rejected, UserErrorCode, UserErrors, userError, type UserError } from "../../graphql/user-error";
import * as validate from "../../graphql/validate";
import { businessDaysBetween, calendarDaysBetween, exporterToday, Holiday, workingCalendar } from "../calendar";
import type { Metal } from "../catalog";
import { formatDecimal, invertRate, isRate, parseDecimal, roundTo, trimmed } from "./decimal";
import { ExchangeRate } from "./exchange-rate.entity";
import { MetalPrice } from "./metal-price.entity";
import { FIXED_METALS, SOURCE_METAL, sourcePrices, MetalPriceSource } from "./pricing.enums";
import type { SetExchangeRateInput, SetExchangeRatePayload, SetMetalPriceInput, SetMetalPricePayload } from "./pricing.inputs";
import type { AppliedExchangeRate } from "./pricing.types";

// Metal fixes and exchange rates (docs/domain.md, "Metal fixes and exchange rates"): recorded by
// export managers, kept for ever, read by everyone who reads the catalog. Later prices and
// reports take them through fixAt / freshFix and rateAt / ratesTo, which say which row they used.

/** `metalPrices` and `exchangeRates` list at most this many days at a time. */
export const MAX_HISTORY_DAYS = 400;
/** A fix or rate may be dated at most this far ahead of Facet's clock: a sender's clock may run a little fast. */
const FUTURE_GRACE_MS = 5 * 60_000;
/** Nothing older is recorded: Facet prices today's goods, and a date before it is a typing mistake. */
const EARLIEST = new Date("2000-01-01T00:00:00Z");

const NEWEST_FIXES: Ordering<MetalPrice> = { name: "newest", keys: [{ sql: "m.fixedAt", direction: "DESC", value: (m) => m.fixedAt }], id: "m.id" };
const NEWEST_RATES: Ordering<ExchangeRate> = { name: "newest", keys: [{ sql: "r.asOf", direction: "DESC", value: (r) => r.asOf }], id: "r.id" };

const lower = (metal: Metal) => metal.toLowerCase();

// ---- reads -------------------------------------------------------------------------------------

function fixedMetal(metal: Metal): Metal {
  if (!FIXED_METALS.includes(metal)) throw new BadUserInputError("metal", `${metal} has no fix: only GOLD, SILVER, PLATINUM and PALLADIUM do`);
  return metal;
}

/** [start of `from`, start of the day after `to`), UTC days, at most MAX_HISTORY_DAYS long. */
function dayRange(from: string, to: string): { start: string; end: string } {
  if (to < from) throw new BadUserInputError("to", "`to` must not be before `from`");
  if (calendarDaysBetween(from, to) >= MAX_HISTORY_DAYS) throw new BadUserInputError("to", `The range may span at most ${MAX_HISTORY_DAYS} days`);
  if (to >= "9999-12-31") throw new BadUserInputError("to", "`to` must be before 9999-12-31");
  const end = new Date(`${to}T00:00:00Z`);
  end.setUTCDate(end.getUTCDate() + 1);
  return { start: `${from}T00:00:00Z`, end: end.toISOString() };
}

/** The latest fix of a metal set at or before `at` (now by default), or null when none is recorded. */
export function latestFix(ctx: RequestContext, metal: Metal, at: Date = new Date()): Promise<MetalPrice | null> {
  return ctx.db
    .createQueryBuilder(MetalPrice, "m")
    .where("m.metal = :metal", { metal })
    .andWhere("m.fixedAt <= :at", { at })
    .orderBy("m.fixedAt", "DESC")
    .addOrderBy("m.createdAt", "DESC")
    .addOrderBy("m.id")
    .getOne();
}

export function metalPrice(ctx: RequestContext, metal: Metal, at?: Date | null): Promise<MetalPrice | null> {
  return latestFix(ctx, fixedMetal(metal), at ?? undefined);
}

/** A metal's fixes set from `from` to `to` (UTC days, both included), newest first. */
export function metalPrices(ctx: RequestContext, metal: Metal, from: string, to: string, args: ConnectionArgs): Promise<ConnectionResult<MetalPrice>> {
  const { start, end } = dayRange(from, to);
  const qb = ctx.db
    .createQueryBuilder(MetalPrice, "m")
    .where("m.metal = :metal", { metal: fixedMetal(metal) })
    .andWhere("m.fixedAt >= :start AND m.fixedAt < :end", { start, end });
  return paginate(ctx.db, MetalPrice, qb, args, NEWEST_FIXES);
}

/** The exchange rates recorded from `base` to `quote` (that direction only) from `from` to `to`, UTC days, newest first. */
export function exchangeRates(ctx: RequestContext, base: CurrencyCode, quote: CurrencyCode, from: string, to: string, args: ConnectionArgs): Promise<ConnectionResult<ExchangeRate>> {
  if (base === quote) throw new BadUserInputError("quote", "`quote` must differ from `base`");
  const { start, end } = dayRange(from, to);
  const qb = ctx.db
    .createQueryBuilder(ExchangeRate, "r")
    .where("r.base = :base AND r.quote = :quote", { base, quote })
    .andWhere("r.asOf >= :start AND r.asOf < :end", { start, end });
  return paginate(ctx.db, ExchangeRate, qb, args, NEWEST_RATES);
}

export async function exchangeRate(ctx: RequestContext, base: CurrencyCode, quote: CurrencyCode, at?: Date | null): Promise<AppliedExchangeRate | null> {
  if (base === quote) throw new BadUserInputError("quote", "`quote` must differ from `base`");
  return rateAt(ctx, base, quote, at ?? undefined);
}

// ---- for prices and reports --------------------------------------------------------------------

export interface FixWithAge {
  fix: MetalPrice;
  /** Business days on the exporter's working calendar from the fix's day to the day asked about (0: the same day). */
  ageBusinessDays: number;
}

/**
 * The latest fix of a metal set at or before `at` (now by default) with its age: the business
 * days, on the exporter's working calendar, after the day it was set (in the exporter's time
 * zone) up to `at`'s day. Null when no fix is recorded.
 */
export async function fixAt(ctx: RequestContext, metal: Metal, at?: Date): Promise<FixWithAge | null> {
  const fix = await latestFix(ctx, metal, at);
  if (!fix) return null;
  const zone = ctx.config.exporterTimeZone;
  const day = at ? localDate(at, zone) : exporterToday(ctx);
  const fixDay = localDate(fix.fixedAt, zone);
  if (fixDay >= day) return { fix, ageBusinessDays: 0 };
  // The holidays in between, which the working calendar of lead times (from today on) leaves out.
  const holidays = (await ctx.db
    .createQueryBuilder(Holiday, "h")
    .select("h.date", "date")
    .where("h.date > :fixDay AND h.date <= :day", { fixDay, day })
    .getRawMany()) as { date: string }[];
  const calendar = workingCalendar(ctx.config.exporterWeekendDays, holidays.map((h) => h.date));
  return { fix, ageBusinessDays: businessDaysBetween(calendar, fixDay, day) };
}

/**
 * The latest fix of a metal, refused when it is older than METAL_PRICE_MAX_AGE_BUSINESS_DAYS
 * business days or missing: metal-linked prices never rest on stale metal. Throws `Rejected`
 * (code STALE_PRICE) naming `field`, the input field of the caller's mutation that asked for a
 * metal-linked price, so a mutation's `mutate` answers it as a user error.
 */
export async function freshFix(ctx: RequestContext, metal: Metal, field: readonly (string | number)[] | null = null): Promise<FixWithAge> {
  const found = await fixAt(ctx, metal);
  const max = ctx.config.metalPriceMaxAgeBusinessDays;
  if (!found) throw new Rejected(userError(field, `No ${lower(metal)} fix is recorded: an export manager must record one before metal-linked prices can be given`, UserErrorCode.STALE_PRICE));
  if (found.ageBusinessDays > max) {
    const { fix, ageBusinessDays } = found;
    throw new Rejected(
      userError(
        field,
        `The latest ${lower(metal)} fix (${fix.source}, ${fix.fixedAt.toISOString()}) is ${ageBusinessDays} business days old; metal-linked prices need one at most ${max} business days old: an export manager must record a current fix`,
        UserErrorCode.STALE_PRICE,
      ),
    );
  }
  return found;
}

interface RateRow {
  from: CurrencyCode;
  id: string;
  base: CurrencyCode;
  quote: CurrencyCode;
  rate: string;
  source: string;
  as_of: Date;
}

// For each currency, the latest rate to `into` recorded at or before the moment, either way round:
// a rate recorded the other way is inverted. When both ways hold for the same moment, the one
// recorded in the direction asked is used. Each direction is one index probe.
const RATES_SQL = `
SELECT c.code AS "from", r.id, r.base, r.quote, r.rate::text AS rate, r.source, r.as_of
FROM unnest($1::char(3)[]) AS c(code)
CROSS JOIN LATERAL (
  SELECT * FROM (
    (SELECT id, base, quote, rate, source, as_of, created_at FROM exchange_rates
      WHERE base = c.code AND quote = $2::char(3) AND as_of <= $3 ORDER BY as_of DESC, created_at DESC, id LIMIT 1)
    UNION ALL
    (SELECT id, base, quote, rate, source, as_of, created_at FROM exchange_rates
      WHERE base = $2::char(3) AND quote = c.code AND as_of <= $3 ORDER BY as_of DESC, created_at DESC, id LIMIT 1)
  ) both_ways
  ORDER BY as_of DESC, (base = c.code) DESC, created_at DESC
  LIMIT 1) r`;

/**
 * The rates that turn each of `froms` into `into` as of `at`, in one statement: a currency with
 * no rate recorded either way at or before `at` is missing from the map. `into` itself is not
 * looked up (its rate is 1).
 */
export async function ratesTo(ctx: RequestContext, froms: readonly CurrencyCode[], into: CurrencyCode, at: Date): Promise<Map<CurrencyCode, AppliedExchangeRate>> {
  const asked = [...new Set(froms)].filter((c) => c !== into).sort();
  // Sent even when nothing is asked, so that a report sends the same statements whatever it holds.
  const rows = (await ctx.db.query(RATES_SQL, [asked, into, at])) as RateRow[];
  return new Map(
    rows.map((row) => {
      const inverted = row.base !== row.from;
      const applied: AppliedExchangeRate = {
        base: row.from,
        quote: into,
        rate: inverted ? invertRate(row.rate) : trimmed(row.rate),
        asOf: row.as_of,
        source: row.source,
        inverted,
        exchangeRateId: row.id,
      };
      return [row.from, applied];
    }),
  );
}

/**
 * The rate from `base` to `quote` as of `at` (now by default): the latest recorded either way,
 * inverted when recorded the other way (1 ÷ rate to 10 significant digits, half to even). Null
 * when none is recorded.
 */
export async function rateAt(ctx: RequestContext, base: CurrencyCode, quote: CurrencyCode, at: Date = new Date()): Promise<AppliedExchangeRate | null> {
  if (base === quote) throw new Error("a rate needs two currencies");
  return (await ratesTo(ctx, [base], quote, at)).get(base) ?? null;
}

// ---- writes (export managers) ------------------------------------------------------------------

function checkMoment(errors: UserErrors, path: string[], at: Date, label: string): void {
  if (at.getTime() > Date.now() + FUTURE_GRACE_MS) errors.add(path, `${label} must not be in the future`, UserErrorCode.OUT_OF_RANGE);
  else if (at < EARLIEST) errors.add(path, `${label} must not be before ${EARLIEST.toISOString().slice(0, 10)}`, UserErrorCode.OUT_OF_RANGE);
}

const recorder = (ctx: RequestContext) => (ctx.principal?.kind === "user" ? ctx.principal.id : null);
const sameDecimal = (a: string, b: string, scale: number) => formatDecimal(roundTo(parseDecimal(a), scale)) === formatDecimal(roundTo(parseDecimal(b), scale));

export async function setMetalPrice(ctx: RequestContext, input: SetMetalPriceInput): Promise<SetMetalPricePayload> {
  const errors = new UserErrors();
  const fixed = FIXED_METALS.includes(input.metal);
  if (!fixed) errors.add(["input", "metal"], `${input.metal} has no fix: only GOLD, SILVER, PLATINUM and PALLADIUM do`, UserErrorCode.INVALID);
  else if (!sourcePrices(input.source, input.metal)) {
    const priced = SOURCE_METAL[input.source as Exclude<MetalPriceSource, MetalPriceSource.MANUAL>];
    errors.add(["input", "source"], `${input.source} prices ${lower(priced)}, not ${lower(input.metal)}`, UserErrorCode.INVALID);
  }
  const price = validate.decimal(errors, ["input", "pricePerTroyOunce"], input.pricePerTroyOunce, { scale: 4, min: 0, exclusiveMin: true, max: 1_000_000, label: "Price per troy ounce" });
  checkMoment(errors, ["input", "fixedAt"], input.fixedAt, "The fix's time");
  if (errors.any || !price) return { userErrors: errors.list };

  return mutate(ctx, async (tx) => {
    // A fix sent twice (a retried request, a feed read again) is recorded once.
    const inserted = (await tx.db.query(
      `INSERT INTO metal_prices (metal, price_per_troy_ounce, source, fixed_at, recorded_by_user_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (metal, source, fixed_at) DO NOTHING RETURNING id`,
      [input.metal, price, input.source, input.fixedAt, recorder(ctx)],
    )) as { id: string }[];
    const fix = await tx.db.findOneByOrFail(MetalPrice, inserted[0] ? { id: inserted[0].id } : { metal: input.metal, source: input.source, fixedAt: input.fixedAt });
    if (!inserted[0] && !sameDecimal(fix.pricePerTroyOunce, price, 4)) {
      throw new Rejected(
        userError(
          ["input", "fixedAt"],
          `A ${input.source} ${lower(input.metal)} fix at ${input.fixedAt.toISOString()} is already recorded at ${trimmed(fix.pricePerTroyOunce)} USD; fixes are never overwritten: record a MANUAL price to correct it`,
          UserErrorCode.TAKEN,
        ),
      );
    }
    return { metalPrice: fix, userErrors: [] as UserError[] };
  });
}

export async function setExchangeRate(ctx: RequestContext, input: SetExchangeRateInput): Promise<SetExchangeRatePayload> {
  const errors = new UserErrors();
  if (input.base === input.quote) errors.add(["input", "quote"], "The quote currency must differ from the base currency", UserErrorCode.INVALID);
  const rate = (input.rate ?? "").trim();
  if (rate === "") errors.add(["input", "rate"], "Rate is required", UserErrorCode.REQUIRED);
  else if (!/^\d+(\.\d+)?$/.test(rate)) errors.add(["input", "rate"], 'Rate must be a decimal string such as "0.8612"', UserErrorCode.INVALID);
  else if (!/[1-9]/.test(rate)) errors.add(["input", "rate"], "Rate must be greater than 0", UserErrorCode.OUT_OF_RANGE);
  else if (!isRate(rate)) errors.add(["input", "rate"], "Rate may have at most 10 digits before the point and 10 after it", UserErrorCode.OUT_OF_RANGE);
  const source = validate.text(errors, ["input", "source"], input.source, { max: 60, label: "Source" });
  checkMoment(errors, ["input", "asOf"], input.asOf, "The rate's time");
  if (errors.any || !source) return { userErrors: errors.list };

  return mutate(ctx, async (tx) => {
    const inserted = (await tx.db.query(
      `INSERT INTO exchange_rates (base, quote, rate, source, as_of, recorded_by_user_id) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (base, quote, source, as_of) DO NOTHING RETURNING id`,
      [input.base, input.quote, rate, source, input.asOf, recorder(ctx)],
    )) as { id: string }[];
    const recorded = await tx.db.findOneByOrFail(
      ExchangeRate,
      inserted[0] ? { id: inserted[0].id } : { base: input.base, quote: input.quote, source, asOf: input.asOf },
    );
    if (!inserted[0] && !sameDecimal(recorded.rate, rate, 10)) {
      throw new Rejected(
        userError(
          ["input", "asOf"],
          `A ${input.base}→${input.quote} rate from "${source}" as of ${input.asOf.toISOString()} is already recorded at ${trimmed(recorded.rate)}; rates are never overwritten: record a corrected one with its own time or source`,
          UserErrorCode.TAKEN,
        ),
      );
    }
    return { exchangeRate: recorded, userErrors: [] as UserError[] };
  });
}
