import { readFileSync } from "node:fs";
import path from "node:path";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { parse, validate } from "graphql";
import { ApiScope, UserRole } from "../src/core/access";
import type { RequestContext } from "../src/core/context";
import { Rejected } from "../src/graphql/user-error";
import { toGlobalId } from "../src/graphql/node";
import { addCalendarDays, businessDaysBetween, exporterToday, workingCalendar } from "../src/modules/calendar";
import { Metal } from "../src/modules/catalog";
import { fixAt, freshFix, rateAt } from "../src/modules/pricing";
import { buildFacetSchema } from "../src/server/schema";
import { clientToken, createApiClient, createDistributor, createUser, userToken } from "./support/factories";
import { createShippedOrder } from "./support/feedback-factories";
import { errorCodes, ok, onRealPostgres, startFacet, type GraphQLResult, type TestFacet } from "./support/harness";

// Metal fixes and exchange rates (docs/domain.md, "Metal fixes and exchange rates"): recorded by
// export managers, kept for ever, read by whoever reads the catalog; the freshness rule of
// metal-linked prices; export KPIs in the base currency.
//
// The tables are shared by every test file and the demo seed writes a month of fixes and rates
// ending at the moment it ran. What this file records is dated after that moment (so that it is
// the latest), or in 2024 for the KPIs, where nothing else records rates; CHF is recorded by
// nothing, so that a missing rate stays missing.

let facet: TestFacet;
let tokens: { manager: string; support: string; buyer: string; admin: string; client: string; catalogClient: string; ordersClient: string };

beforeAll(async () => {
  facet = await startFacet();
  const ds = facet.dataSource;
  const distributor = await createDistributor(ds);
  const { client } = await createApiClient(ds, distributor);
  tokens = {
    manager: userToken(facet.config, await createUser(ds, { role: UserRole.EXPORT_MANAGER })),
    support: userToken(facet.config, await createUser(ds, { role: UserRole.SUPPORT })),
    buyer: userToken(facet.config, await createUser(ds, { distributor, role: UserRole.BUYER })),
    admin: userToken(facet.config, await createUser(ds, { distributor, role: UserRole.DISTRIBUTOR_ADMIN })),
    client: clientToken(facet.config, client),
    catalogClient: clientToken(facet.config, client, [ApiScope.CATALOG_READ]),
    ordersClient: clientToken(facet.config, client, [ApiScope.ORDERS_READ]),
  };
});
afterAll(() => facet.stop());

type UserErrorOut = { field: string[] | null; message: string; code: string };

function run<T = any>(source: string, variables: Record<string, unknown> = {}, token?: string, on: TestFacet = facet): Promise<GraphQLResult<T>> {
  return on.gql(parse(source) as TypedDocumentNode<T, Record<string, unknown>>, variables, { token });
}

const SET_FIX = `
  mutation FixSet($input: SetMetalPriceInput!) {
    setMetalPrice(input: $input) { metalPrice { metal pricePerTroyOunce currency source fixedAt } userErrors { field message code } }
  }`;
const LATEST_FIX = `query FixLatest($metal: Metal!, $at: DateTime) { metalPrice(metal: $metal, at: $at) { metal pricePerTroyOunce source fixedAt } }`;
const FIXES = `
  query FixHistory($metal: Metal!, $from: Date!, $to: Date!, $first: Int) {
    metalPrices(metal: $metal, from: $from, to: $to, first: $first) { nodes { pricePerTroyOunce source fixedAt } pageInfo { hasNextPage } }
  }`;
const SET_RATE = `
  mutation RateSet($input: SetExchangeRateInput!) {
    setExchangeRate(input: $input) { exchangeRate { base quote rate source asOf } userErrors { field message code } }
  }`;
const RATE = `query RateLatest($base: CurrencyCode!, $quote: CurrencyCode!, $at: DateTime) { exchangeRate(base: $base, quote: $quote, at: $at) { base quote rate asOf source inverted } }`;
const RATES = `
  query RateHistory($base: CurrencyCode!, $quote: CurrencyCode!, $from: Date!, $to: Date!) {
    exchangeRates(base: $base, quote: $quote, from: $from, to: $to, first: 100) { nodes { base quote rate source asOf } }
  }`;
const KPIS = `
  query KpisInBase($from: Date!, $to: Date!, $distributorId: ID) {
    exportKpis(from: $from, to: $to, distributorId: $distributorId) {
      shippedValue { amount currency }
      baseCurrency
      shippedValueInBaseCurrency { amount currency }
      ratesUsed { base quote rate asOf source inverted }
      missingRates
    }
  }`;

const utcDay = (at: Date) => at.toISOString().slice(0, 10);
const setFix = (input: Record<string, unknown>, token = tokens.manager) => run(SET_FIX, { input }, token);
const setRate = (input: Record<string, unknown>, token = tokens.manager) => run(SET_RATE, { input }, token);

/** Just after every fix and rate already recorded: the demo seed's, and this file's earlier ones. */
async function afterEverything(): Promise<Date> {
  const [{ latest }] = (await facet.dataSource.query(
    `SELECT greatest((SELECT max(fixed_at) FROM metal_prices), (SELECT max(as_of) FROM exchange_rates), now()) AS latest`,
  )) as { latest: Date }[];
  return new Date(Math.max(latest.getTime(), Date.now()) + 1);
}

/** Waits until Facet's clock has passed `at`, so that "the latest as of now" includes what was recorded for `at`. */
async function reached(at: Date): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() <= at.getTime() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe("metal fixes", () => {
  it("records fixes, keeps the history, and answers the latest", async () => {
    const first = await afterEverything();
    const second = new Date(first.getTime() + 2);
    const one = ok(await setFix({ metal: "GOLD", pricePerTroyOunce: "4150.25", source: "LBMA_GOLD_AM", fixedAt: first.toISOString() }));
    expect(one.setMetalPrice).toEqual({
      metalPrice: { metal: "GOLD", pricePerTroyOunce: "4150.2500", currency: "USD", source: "LBMA_GOLD_AM", fixedAt: first.toISOString() },
      userErrors: [],
    });
    const two = ok(await setFix({ metal: "GOLD", pricePerTroyOunce: "4162.8", source: "LBMA_GOLD_PM", fixedAt: second.toISOString() }));
    expect(two.setMetalPrice.userErrors).toEqual([]);

    // The latest wins; asked as of a moment between the two, the first.
    await reached(second);
    expect(ok(await run(LATEST_FIX, { metal: "GOLD" }, tokens.buyer)).metalPrice).toEqual({ metal: "GOLD", pricePerTroyOunce: "4162.8000", source: "LBMA_GOLD_PM", fixedAt: second.toISOString() });
    expect(ok(await run(LATEST_FIX, { metal: "GOLD", at: new Date(first.getTime() + 1).toISOString() }, tokens.buyer)).metalPrice).toMatchObject({ pricePerTroyOunce: "4150.2500" });

    // Both are kept, newest first, beside the demo's month.
    const history = ok(await run(FIXES, { metal: "GOLD", from: utcDay(first), to: utcDay(second), first: 2 }, tokens.buyer)).metalPrices;
    expect(history.nodes).toEqual([
      { pricePerTroyOunce: "4162.8000", source: "LBMA_GOLD_PM", fixedAt: second.toISOString() },
      { pricePerTroyOunce: "4150.2500", source: "LBMA_GOLD_AM", fixedAt: first.toISOString() },
    ]);
    const [{ n }] = (await facet.dataSource.query(`SELECT count(*)::int AS n FROM metal_prices WHERE metal = 'GOLD' AND fixed_at IN ($1, $2)`, [first, second])) as { n: number }[];
    expect(n).toBe(2);

    // The export manager's writes are in the audit log.
    const audited = (await facet.dataSource.query(`SELECT action FROM audit_log WHERE table_name = 'metal_prices' AND after->>'fixed_at' IS NOT NULL AND (after->>'price_per_troy_ounce')::numeric = 4162.8`)) as unknown[];
    expect(audited.length).toBeGreaterThanOrEqual(1);
  });

  it("records a fix sent twice once, and refuses another price for the same fix", async () => {
    const at = await afterEverything();
    const input = { metal: "SILVER", pricePerTroyOunce: "52.125", source: "LBMA_SILVER", fixedAt: at.toISOString() };
    expect(ok(await setFix(input)).setMetalPrice.userErrors).toEqual([]);
    expect(ok(await setFix({ ...input, pricePerTroyOunce: "52.1250" })).setMetalPrice).toMatchObject({ metalPrice: { pricePerTroyOunce: "52.1250" }, userErrors: [] });
    const clash = ok(await setFix({ ...input, pricePerTroyOunce: "52.2" })).setMetalPrice;
    expect(clash.metalPrice).toBeNull();
    expect(clash.userErrors).toEqual([expect.objectContaining({ field: ["input", "fixedAt"], code: "TAKEN" })]);
    const [{ n }] = (await facet.dataSource.query(`SELECT count(*)::int AS n FROM metal_prices WHERE metal = 'SILVER' AND fixed_at = $1`, [at])) as { n: number }[];
    expect(n).toBe(1);
  });

  it("names every bad field of a fix, and writes nothing", async () => {
    const future = new Date(Date.now() + 3600_000).toISOString();
    const bad = ok(await setFix({ metal: "BRASS", pricePerTroyOunce: "0", source: "MANUAL", fixedAt: future })).setMetalPrice;
    expect(bad.metalPrice).toBeNull();
    expect(bad.userErrors.map((e: UserErrorOut) => [e.field, e.code])).toEqual([
      [["input", "metal"], "INVALID"],
      [["input", "pricePerTroyOunce"], "OUT_OF_RANGE"],
      [["input", "fixedAt"], "OUT_OF_RANGE"],
    ]);
    const now = new Date().toISOString();
    const cases: [Record<string, unknown>, string[], string][] = [
      [{ metal: "SILVER", pricePerTroyOunce: "52.10", source: "LBMA_GOLD_AM", fixedAt: now }, ["input", "source"], "INVALID"],
      [{ metal: "PLATINUM", pricePerTroyOunce: "1600", source: "LPPM_PALLADIUM_PM", fixedAt: now }, ["input", "source"], "INVALID"],
      [{ metal: "GOLD", pricePerTroyOunce: "4100.12345", source: "MANUAL", fixedAt: now }, ["input", "pricePerTroyOunce"], "INVALID"],
      [{ metal: "GOLD", pricePerTroyOunce: "-5", source: "MANUAL", fixedAt: now }, ["input", "pricePerTroyOunce"], "OUT_OF_RANGE"],
      [{ metal: "GOLD", pricePerTroyOunce: "1000000.01", source: "MANUAL", fixedAt: now }, ["input", "pricePerTroyOunce"], "OUT_OF_RANGE"],
      [{ metal: "GOLD", pricePerTroyOunce: "4100", source: "MANUAL", fixedAt: "1999-12-31T23:59:59Z" }, ["input", "fixedAt"], "OUT_OF_RANGE"],
      [{ metal: "STAINLESS_STEEL", pricePerTroyOunce: "1", source: "MANUAL", fixedAt: now }, ["input", "metal"], "INVALID"],
    ];
    for (const [input, field, code] of cases) {
      const payload = ok(await setFix(input)).setMetalPrice;
      expect({ input, errors: payload.userErrors.map((e: UserErrorOut) => [e.field, e.code]) }).toEqual({ input, errors: [[field, code]] });
    }
    // A MANUAL price is taken for any of the four precious metals.
    expect(ok(await setFix({ metal: "PALLADIUM", pricePerTroyOunce: "1390.5", source: "MANUAL", fixedAt: new Date(Date.now() - 3600_000).toISOString() })).setMetalPrice.userErrors).toEqual([]);
    // A bad argument of a query is BAD_USER_INPUT naming it.
    const brass = await run(LATEST_FIX, { metal: "BRASS" }, tokens.buyer);
    expect(errorCodes(brass)).toEqual(["BAD_USER_INPUT"]);
    expect(brass.errors![0].extensions).toMatchObject({ argument: "metal" });
    const long = await run(FIXES, { metal: "GOLD", from: "2025-01-01", to: "2026-02-05" }, tokens.buyer);
    expect(long.errors![0].extensions).toMatchObject({ code: "BAD_USER_INPUT", argument: "to" });
    expect(errorCodes(await run(FIXES, { metal: "GOLD", from: "2025-03-01", to: "2025-02-01" }, tokens.buyer))).toEqual(["BAD_USER_INPUT"]);
  });

  it("lets only export managers record, and everyone who reads the catalog read", async () => {
    const input = { metal: "GOLD", pricePerTroyOunce: "4100", source: "MANUAL", fixedAt: new Date().toISOString() };
    for (const token of [tokens.buyer, tokens.admin, tokens.support, tokens.client]) {
      const refused = await setFix(input, token);
      expect(errorCodes(refused)).toEqual(["FORBIDDEN"]);
      expect(errorCodes(await setRate({ base: "USD", quote: "EUR", rate: "0.9", source: "manual", asOf: new Date().toISOString() }, token))).toEqual(["FORBIDDEN"]);
    }
    expect(errorCodes(await run(SET_FIX, { input }))).toEqual(["UNAUTHENTICATED"]);
    for (const token of [tokens.buyer, tokens.admin, tokens.support, tokens.manager, tokens.client, tokens.catalogClient]) {
      expect(ok(await run(LATEST_FIX, { metal: "GOLD" }, token)).metalPrice).not.toBeNull();
      expect(ok(await run(RATE, { base: "USD", quote: "EUR" }, token)).exchangeRate).not.toBeNull();
    }
    expect(errorCodes(await run(LATEST_FIX, { metal: "GOLD" }, tokens.ordersClient))).toEqual(["FORBIDDEN"]);
    expect(errorCodes(await run(RATE, { base: "USD", quote: "EUR" }))).toEqual(["UNAUTHENTICATED"]);
  });
});

describe("freshness of a fix", () => {
  const context = (db: RequestContext["db"]): RequestContext => ({ requestId: "metal-prices-test", config: facet.config, principal: null, db, dataSource: facet.dataSource, loaders: new Map(), ip: undefined });

  /** The exporter's date `days` business days before today, on its calendar with the holidays recorded. */
  async function businessDaysAgo(days: number): Promise<string> {
    const today = exporterToday(facet);
    const holidays = ((await facet.dataSource.query(`SELECT date FROM holidays WHERE date <= $1`, [today])) as { date: string }[]).map((h) => h.date);
    const calendar = workingCalendar(facet.config.exporterWeekendDays, holidays);
    let date = today;
    while (businessDaysBetween(calendar, date, today) < days) date = addCalendarDays(date, -1);
    return date;
  }

  it("refuses a fix 3 business days old, and takes one from today", async () => {
    // Noon UTC is the same date in the exporter's time zone (India, UTC+05:30) and in London.
    const stale = await businessDaysAgo(3);
    const twoAgo = await businessDaysAgo(2);
    // In a transaction rolled back at the end: the palladium fixes recorded so far are set aside,
    // so that the fixes written here are the latest.
    const runner = facet.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      const ctx = context(runner.manager);
      await runner.query(`DELETE FROM metal_prices WHERE metal = 'PALLADIUM'`);
      await expect(freshFix(ctx, Metal.PALLADIUM, ["input", "priceList"])).rejects.toMatchObject({ userErrors: [{ field: ["input", "priceList"], code: "STALE_PRICE" }] });

      await runner.query(`INSERT INTO metal_prices (metal, price_per_troy_ounce, source, fixed_at) VALUES ('PALLADIUM', 1400, 'LPPM_PALLADIUM_PM', $1)`, [`${stale}T12:00:00Z`]);
      expect(await fixAt(ctx, Metal.PALLADIUM)).toMatchObject({ ageBusinessDays: 3, fix: { pricePerTroyOunce: "1400.0000" } });
      const refused = await freshFix(ctx, Metal.PALLADIUM, ["input", "priceList"]).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(Rejected);
      expect((refused as Rejected).userErrors).toEqual([
        { field: ["input", "priceList"], code: "STALE_PRICE", message: expect.stringMatching(/palladium fix .* is 3 business days old; .* at most 2 business days/) },
      ]);

      // Two business days old is still fresh (the default allows 2).
      await runner.query(`INSERT INTO metal_prices (metal, price_per_troy_ounce, source, fixed_at) VALUES ('PALLADIUM', 1405, 'LPPM_PALLADIUM_PM', $1)`, [`${twoAgo}T12:00:00Z`]);
      expect(await freshFix(ctx, Metal.PALLADIUM, ["input", "priceList"])).toMatchObject({ ageBusinessDays: 2, fix: { pricePerTroyOunce: "1405.0000" } });

      const now = new Date(Date.now() - 1000);
      await runner.query(`INSERT INTO metal_prices (metal, price_per_troy_ounce, source, fixed_at) VALUES ('PALLADIUM', 1410.5, 'LPPM_PALLADIUM_AM', $1)`, [now]);
      expect(await freshFix(ctx, Metal.PALLADIUM, ["input", "priceList"])).toMatchObject({ ageBusinessDays: 0, fix: { pricePerTroyOunce: "1410.5000", source: "LPPM_PALLADIUM_AM" } });
      // As of a moment before today's fix, the latest is the older one, aged from its own day.
      const before = await fixAt(ctx, Metal.PALLADIUM, new Date(`${twoAgo}T13:00:00Z`));
      expect(before).toMatchObject({ ageBusinessDays: 0, fix: { pricePerTroyOunce: "1405.0000" } });
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  // A second Facet beside the first: two sessions, which the embedded database does not serve.
  onRealPostgres("follows METAL_PRICE_MAX_AGE_BUSINESS_DAYS", async () => {
    const yesterday = await businessDaysAgo(1);
    const strict = await startFacet({ METAL_PRICE_MAX_AGE_BUSINESS_DAYS: "0" });
    const runner = strict.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      const ctx: RequestContext = { requestId: "strict", config: strict.config, principal: null, db: runner.manager, dataSource: strict.dataSource, loaders: new Map(), ip: undefined };
      await runner.query(`DELETE FROM metal_prices WHERE metal = 'PLATINUM'`);
      await runner.query(`INSERT INTO metal_prices (metal, price_per_troy_ounce, source, fixed_at) VALUES ('PLATINUM', 1600, 'MANUAL', $1)`, [`${yesterday}T12:00:00Z`]);
      await expect(freshFix(ctx, Metal.PLATINUM)).rejects.toMatchObject({ userErrors: [{ field: null, code: "STALE_PRICE" }] });
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
      await strict.stop();
    }
  });
});

describe("exchange rates", () => {
  it("records rates with their history, and inverts one recorded the other way round", async () => {
    const first = await afterEverything();
    const second = new Date(first.getTime() + 2);
    const recorded = ok(await setRate({ base: "GBP", quote: "USD", rate: "1.2650", source: "manual", asOf: first.toISOString() })).setExchangeRate;
    expect(recorded).toEqual({ exchangeRate: { base: "GBP", quote: "USD", rate: "1.2650000000", source: "manual", asOf: first.toISOString() }, userErrors: [] });
    expect(ok(await setRate({ base: "GBP", quote: "USD", rate: "1.27", source: "WM/Reuters 16:00 London", asOf: second.toISOString() })).setExchangeRate.userErrors).toEqual([]);
    // Sent again: recorded once. Another rate for the same moment and source: refused.
    expect(ok(await setRate({ base: "GBP", quote: "USD", rate: "1.270000", source: "WM/Reuters 16:00 London", asOf: second.toISOString() })).setExchangeRate.userErrors).toEqual([]);
    expect(ok(await setRate({ base: "GBP", quote: "USD", rate: "1.28", source: "WM/Reuters 16:00 London", asOf: second.toISOString() })).setExchangeRate.userErrors).toEqual([
      expect.objectContaining({ field: ["input", "asOf"], code: "TAKEN" }),
    ]);

    await reached(second);
    expect(ok(await run(RATE, { base: "GBP", quote: "USD" }, tokens.buyer)).exchangeRate).toEqual({
      base: "GBP", quote: "USD", rate: "1.27", asOf: second.toISOString(), source: "WM/Reuters 16:00 London", inverted: false,
    });
    // 1 ÷ 1.27 = 0.78740157480…: 10 significant digits, half to even.
    expect(ok(await run(RATE, { base: "USD", quote: "GBP" }, tokens.catalogClient)).exchangeRate).toEqual({
      base: "USD", quote: "GBP", rate: "0.7874015748", asOf: second.toISOString(), source: "WM/Reuters 16:00 London", inverted: true,
    });
    expect(ok(await run(RATE, { base: "USD", quote: "GBP", at: new Date(first.getTime() + 1).toISOString() }, tokens.buyer)).exchangeRate).toMatchObject({ rate: "0.790513834", inverted: true }); // 1 ÷ 1.265;
    // Nothing recorded either way for the pair: null.
    expect(ok(await run(RATE, { base: "CHF", quote: "USD" }, tokens.buyer)).exchangeRate).toBeNull();
    expect(errorCodes(await run(RATE, { base: "USD", quote: "USD" }, tokens.buyer))).toEqual(["BAD_USER_INPUT"]);

    const history = ok(await run(RATES, { base: "GBP", quote: "USD", from: utcDay(first), to: utcDay(second) }, tokens.buyer)).exchangeRates.nodes;
    expect(history.slice(0, 2)).toEqual([
      { base: "GBP", quote: "USD", rate: "1.2700000000", source: "WM/Reuters 16:00 London", asOf: second.toISOString() },
      { base: "GBP", quote: "USD", rate: "1.2650000000", source: "manual", asOf: first.toISOString() },
    ]);
    // The history lists the direction asked only.
    expect(ok(await run(RATES, { base: "USD", quote: "GBP", from: utcDay(first), to: utcDay(second) }, tokens.buyer)).exchangeRates.nodes).toEqual([]);

    // The service function later prices use: the rate, the row it came from and its moment.
    const ctx: RequestContext = { requestId: "rates", config: facet.config, principal: null, db: facet.dataSource.manager, dataSource: facet.dataSource, loaders: new Map(), ip: undefined };
    const applied = await rateAt(ctx, "USD", "GBP");
    expect(applied).toMatchObject({ rate: "0.7874015748", inverted: true, asOf: second });
    const [{ id }] = (await facet.dataSource.query(`SELECT id FROM exchange_rates WHERE base = 'GBP' AND quote = 'USD' AND as_of = $1`, [second])) as { id: string }[];
    expect(applied!.exchangeRateId).toBe(id);
  });

  it("names every bad field of a rate", async () => {
    const now = new Date().toISOString();
    const bad = ok(await setRate({ base: "EUR", quote: "EUR", rate: "0", source: " ", asOf: new Date(Date.now() + 3600_000).toISOString() })).setExchangeRate;
    expect(bad.userErrors.map((e: UserErrorOut) => [e.field, e.code])).toEqual([
      [["input", "quote"], "INVALID"],
      [["input", "rate"], "OUT_OF_RANGE"],
      [["input", "source"], "REQUIRED"],
      [["input", "asOf"], "OUT_OF_RANGE"],
    ]);
    for (const [rate, code] of [["1.12345678901", "OUT_OF_RANGE"], ["12345678901", "OUT_OF_RANGE"], ["1e3", "INVALID"], ["-0.5", "INVALID"], ["", "REQUIRED"]]) {
      const payload = ok(await setRate({ base: "USD", quote: "EUR", rate, source: "manual", asOf: now })).setExchangeRate;
      expect({ rate, errors: payload.userErrors.map((e: UserErrorOut) => [e.field, e.code]) }).toEqual({ rate, errors: [[["input", "rate"], code]] });
    }
    const old = ok(await setRate({ base: "USD", quote: "EUR", rate: "0.9", source: "manual", asOf: "1999-06-30T00:00:00Z" })).setExchangeRate;
    expect(old.userErrors.map((e: UserErrorOut) => [e.field, e.code])).toEqual([[["input", "asOf"], "OUT_OF_RANGE"]]);
    // An unknown currency is refused by the schema itself.
    expect(errorCodes(await setRate({ base: "USD", quote: "XYZ", rate: "1", source: "manual", asOf: now }))).toEqual(["BAD_USER_INPUT"]);
  });
});

describe("export KPIs in the base currency", () => {
  // Rates of May 2024, recorded only by this file (again, identically, on every run).
  const MAY = "2024-05-20T15:00:00.000Z";
  let distributorId: string;

  beforeAll(async () => {
    const ds = facet.dataSource;
    for (const input of [
      { base: "USD", quote: "EUR", rate: "0.9200", source: "test rates", asOf: MAY },
      { base: "USD", quote: "JPY", rate: "155.50", source: "test rates", asOf: MAY },
      { base: "KWD", quote: "USD", rate: "3.25", source: "test rates", asOf: MAY },
    ]) {
      expect(ok(await setRate(input)).setExchangeRate.userErrors).toEqual([]);
    }
    const distributor = await createDistributor(ds);
    distributorId = toGlobalId("Distributor", distributor.id);
    const shipped = (currency: "EUR" | "JPY" | "KWD" | "USD" | "CHF", shippedAt: string, lines: { quantity: number; unitPrice: string }[]) =>
      createShippedOrder(ds, { distributor, currency, placedAt: new Date("2024-04-20T00:00:00Z"), promisedShipDate: "2024-05-10", lines, shippedAt: new Date(shippedAt), deliveredAt: null });
    await shipped("EUR", "2024-05-10T10:00:00Z", [{ quantity: 1, unitPrice: "1000.00" }]);
    await shipped("JPY", "2024-05-11T10:00:00Z", [{ quantity: 2, unitPrice: "150000" }]);
    await shipped("KWD", "2024-05-12T10:00:00Z", [{ quantity: 1, unitPrice: "250.500" }]);
    await shipped("USD", "2024-05-31T23:00:00Z", [{ quantity: 1, unitPrice: "99.99" }]);
    // In August, francs: no rate to the dollar was ever recorded.
    await shipped("EUR", "2024-08-05T10:00:00Z", [{ quantity: 1, unitPrice: "500.00" }]);
    await shipped("CHF", "2024-08-06T10:00:00Z", [{ quantity: 1, unitPrice: "800.00" }]);
  });

  const rate = (base: string, quote: string, value: string, inverted: boolean) => ({ base, quote, rate: value, asOf: MAY, source: "test rates", inverted });

  it("adds every currency in US dollars through the latest rates, and says which", async () => {
    const kpis = ok(await run(KPIS, { from: "2024-05-01", to: "2024-05-31", distributorId }, tokens.manager)).exportKpis;
    expect(kpis).toEqual({
      shippedValue: [
        { amount: "1000.00", currency: "EUR" },
        { amount: "300000", currency: "JPY" },
        { amount: "250.500", currency: "KWD" },
        { amount: "99.99", currency: "USD" },
      ],
      baseCurrency: "USD",
      // 1000.00 × 1.086956522 + 300000 × 0.006430868167 + 250.500 × 3.25 + 99.99
      // = 1086.956522 + 1929.2604501 + 814.125 + 99.99 = 3930.3319721.
      shippedValueInBaseCurrency: { amount: "3930.33", currency: "USD" },
      ratesUsed: [rate("EUR", "USD", "1.086956522", true), rate("JPY", "USD", "0.006430868167", true), rate("KWD", "USD", "3.25", false)],
      missingRates: [],
    });
    // A range ending before the rates were recorded has none to use.
    const early = ok(await run(KPIS, { from: "2024-05-01", to: "2024-05-19", distributorId }, tokens.manager)).exportKpis;
    expect(early).toMatchObject({ shippedValueInBaseCurrency: null, ratesUsed: [], missingRates: ["EUR", "JPY", "KWD"] });
  });

  it("says which rate is missing instead of guessing", async () => {
    const august = ok(await run(KPIS, { from: "2024-08-01", to: "2024-08-31", distributorId }, tokens.support)).exportKpis;
    expect(august).toEqual({
      shippedValue: [
        { amount: "800.00", currency: "CHF" },
        { amount: "500.00", currency: "EUR" },
      ],
      baseCurrency: "USD",
      shippedValueInBaseCurrency: null,
      ratesUsed: [rate("EUR", "USD", "1.086956522", true)],
      missingRates: ["CHF"],
    });
    // Nothing shipped: zero in the base currency, no rate needed.
    expect(ok(await run(KPIS, { from: "2024-01-01", to: "2024-01-31", distributorId }, tokens.manager)).exportKpis).toEqual({
      shippedValue: [],
      baseCurrency: "USD",
      shippedValueInBaseCurrency: { amount: "0.00", currency: "USD" },
      ratesUsed: [],
      missingRates: [],
    });
  });

  onRealPostgres("follows BASE_CURRENCY, converting only through rates recorded to or from it", async () => {
    const inEuros = await startFacet({ BASE_CURRENCY: "EUR" });
    try {
      const kpis = ok(await run(KPIS, { from: "2024-05-01", to: "2024-05-31", distributorId }, tokens.manager, inEuros)).exportKpis;
      // USD→EUR is recorded; JPY and KWD have rates to the dollar only, and Facet does not cross them.
      expect(kpis).toMatchObject({
        baseCurrency: "EUR",
        shippedValueInBaseCurrency: null,
        ratesUsed: [rate("USD", "EUR", "0.92", false)],
        missingRates: ["JPY", "KWD"],
      });
    } finally {
      await inEuros.stop();
    }
  });
});

describe("the API guide's examples", () => {
  it("are valid against the schema", async () => {
    const api = readFileSync(path.join(__dirname, "../docs/api.md"), "utf8");
    const section = api.slice(api.indexOf("## Metal prices and exchange rates"), api.indexOf("\n## ", api.indexOf("## Metal prices and exchange rates") + 5));
    const blocks = [...section.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    const schema = await buildFacetSchema();
    expect(blocks.flatMap((source) => validate(schema, parse(source)).map((e) => e.message))).toEqual([]);
  });
});
