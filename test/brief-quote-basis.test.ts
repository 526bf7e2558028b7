import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { parse } from "graphql";
import { UserRole } from "../src/core/access";
import type { RequestContext } from "../src/core/context";
import { toGlobalId } from "../src/graphql/node";
import { acceptQuote, quoteBrief } from "../src/modules/briefs/briefs.service";
import type { DesignBriefActionInput, QuoteDesignBriefInput } from "../src/modules/briefs/briefs.inputs";
import { briefCompany, briefDbId, briefIn, briefSnapshot, quoteInput, type BriefCompany, type BriefHandle } from "./support/briefs-factories";
import { dateFromToday } from "./support/catalog-factories";
import { ok, startFacet, type GraphQLResult, type TestFacet } from "./support/harness";

// The metal basis of a design brief's quote (docs/domain.md, "Metal basis of a quote"): the fix
// and rate a price rests on, a LOCKED price's short validity, and a SURCHARGE price's surcharge
// at acceptance. Fixes are shared by every test file: these tests never record one, and compute
// what they expect from the fixes the quote itself records.

let facet: TestFacet;
let company: BriefCompany;
let other: BriefCompany;

beforeAll(async () => {
  facet = await startFacet();
  company = await briefCompany(facet);
  other = await briefCompany(facet);
});
afterAll(async () => {
  await facet.stop();
});

type UserErrorOut = { field: string[] | null; message: string; code: string };
interface MetalPriceOut {
  metal: string;
  pricePerTroyOunce: string;
  source: string;
  fixedAt: string;
}
interface BasisOut {
  metal: string;
  fineness: number | null;
  estimatedMetalWeightGrams: string;
  priceBasis: string;
  lockedUntil: string | null;
  usdRate: string | null;
  usdRateAtAcceptance: string | null;
  surchargeAtAcceptance: { amount: string; currency: string } | null;
  fixUsed: MetalPriceOut | null;
  fixAtAcceptance: MetalPriceOut | null;
}
interface BriefOut {
  id: string;
  version: number;
  status: string;
  quote: { validUntil: string; unitPrice: { amount: string; currency: string }; metalBasis: BasisOut | null } | null;
}

function run<T>(source: string, variables: Record<string, unknown> = {}, token?: string): Promise<GraphQLResult<T>> {
  return facet.gql(parse(source) as TypedDocumentNode<T, Record<string, unknown>>, variables, { token });
}

const BRIEF_FIELDS = `
  id version status
  quote {
    validUntil unitPrice { amount currency }
    metalBasis {
      metal fineness estimatedMetalWeightGrams priceBasis lockedUntil usdRate usdRateAtAcceptance
      surchargeAtAcceptance { amount currency }
      fixUsed { metal pricePerTroyOunce source fixedAt }
      fixAtAcceptance { metal pricePerTroyOunce source fixedAt }
    }
  }`;
const QUOTE = `mutation BasisQuote($input: QuoteDesignBriefInput!) { quoteDesignBrief(input: $input) { designBrief { ${BRIEF_FIELDS} } userErrors { field message code } } }`;
const ACCEPT = `mutation BasisAccept($input: AcceptDesignBriefQuoteInput!) { acceptDesignBriefQuote(input: $input) { designBrief { ${BRIEF_FIELDS} } userErrors { field message code } } }`;
const READ = `query BasisRead($id: ID!) { designBrief(id: $id) { ${BRIEF_FIELDS} } }`;

type Payload = { designBrief: BriefOut | null; userErrors: UserErrorOut[] };

async function quote(brief: BriefHandle, overrides: Record<string, unknown> = {}, as: BriefCompany = company): Promise<Payload> {
  const input = { ...quoteInput(brief.id, brief.version, as.currency, { quantityBreaks: [], validUntil: dateFromToday(7) }), ...overrides };
  return ok(await run<{ quoteDesignBrief: Payload }>(QUOTE, { input }, as.tokens.manager)).quoteDesignBrief;
}

async function accept(brief: { id: string; version: number }, as: BriefCompany = company): Promise<Payload> {
  return ok(await run<{ acceptDesignBriefQuote: Payload }>(ACCEPT, { input: { id: brief.id, expectedVersion: brief.version } }, as.tokens.buyer)).acceptDesignBriefQuote;
}

/** A brief in review, quoted: refuses the test when the quote is refused. */
async function quoted(overrides: Record<string, unknown> = {}, brief: Record<string, unknown> = {}): Promise<BriefOut> {
  const inReview = await briefIn(facet, company, "IN_REVIEW", brief);
  const payload = await quote(inReview, overrides);
  if (!payload.designBrief) throw new Error(`quoteDesignBrief refused: ${JSON.stringify(payload.userErrors)}`);
  return payload.designBrief;
}

interface QuoteRow {
  id: string;
  fix_id: string | null;
  fix_usd_per_troy_ounce: string | null;
  fixed_at: Date | null;
  usd_rate: string | null;
  rate_id: string | null;
  accepted_fix_usd_per_troy_ounce: string | null;
  accepted_usd_rate: string | null;
  accepted_surcharge: string | null;
  created_at: Date;
}
async function quoteRow(briefId: string): Promise<QuoteRow> {
  const [row] = (await facet.dataSource.query(`SELECT * FROM design_brief_quotes WHERE brief_id = $1 ORDER BY seq DESC LIMIT 1`, [briefDbId(briefId)])) as QuoteRow[];
  return row;
}
async function orderUnitPrice(briefId: string): Promise<string> {
  const [row] = (await facet.dataSource.query(`SELECT ol.unit_price FROM order_lines ol JOIN orders o ON o.id = ol.order_id WHERE o.design_brief_id = $1`, [briefDbId(briefId)])) as {
    unit_price: string;
  }[];
  return row.unit_price;
}

// ---- the surcharge by hand: exact fractions, rounded once to cents, half up (amounts are positive)

const fraction = (decimal: string): [bigint, bigint] => {
  const [whole, part = ""] = decimal.split(".");
  return [BigInt(whole + part), 10n ** BigInt(part.length)];
};

/** Cents of the surcharge per piece: (fix now × rate now − fix quoted × rate quoted) ÷ 31.1034768 × grams × fineness ÷ 1000, never negative. */
function surchargeCents(grams: string, fineness: number, quoted: [string, string], now: [string, string]): bigint {
  const [qf, qfd] = fraction(quoted[0]);
  const [qr, qrd] = fraction(quoted[1]);
  const [nf, nfd] = fraction(now[0]);
  const [nr, nrd] = fraction(now[1]);
  const [w, wd] = fraction(grams);
  const [oz, ozd] = fraction("31.1034768");
  // (nf/nfd × nr/nrd − qf/qfd × qr/qrd) × w/wd × fineness/1000 ÷ (oz/ozd), in cents
  const diffNum = nf * nr * qfd * qrd - qf * qr * nfd * nrd;
  const diffDen = nfd * nrd * qfd * qrd;
  if (diffNum <= 0n) return 0n;
  const num = diffNum * w * BigInt(fineness) * ozd * 100n;
  const den = diffDen * wd * 1000n * oz;
  return (num * 2n + den) / (2n * den);
}
const centsToAmount = (cents: bigint, decimals = 2) => `${cents / 100n}.${String(cents % 100n).padStart(2, "0")}${"0".repeat(decimals - 2)}`;

// ---- tests ------------------------------------------------------------------------------------

describe("quoting states the metal basis", () => {
  it("records the latest fresh gold fix and today's USD→EUR rate with a LOCKED price", async () => {
    const brief = await quoted();
    const basis = brief.quote!.metalBasis!;
    expect(basis).toMatchObject({
      metal: "GOLD",
      fineness: 916,
      estimatedMetalWeightGrams: "6.200",
      priceBasis: "LOCKED",
      lockedUntil: dateFromToday(7),
      usdRateAtAcceptance: null,
      surchargeAtAcceptance: null,
      fixAtAcceptance: null,
    });
    expect(basis.fixUsed).toMatchObject({ metal: "GOLD" });

    // The fix named is a recorded gold fix, copied whole, and no later one was recorded before the quote.
    const row = await quoteRow(brief.id);
    const [fix] = (await facet.dataSource.query(`SELECT metal, price_per_troy_ounce, fixed_at FROM metal_prices WHERE id = $1`, [row.fix_id])) as {
      metal: string;
      price_per_troy_ounce: string;
      fixed_at: Date;
    }[];
    expect(fix).toEqual({ metal: "GOLD", price_per_troy_ounce: row.fix_usd_per_troy_ounce, fixed_at: row.fixed_at });
    expect(basis.fixUsed).toEqual({ metal: "GOLD", pricePerTroyOunce: row.fix_usd_per_troy_ounce, source: expect.any(String), fixedAt: new Date(row.fixed_at!).toISOString() });
    const [{ later }] = (await facet.dataSource.query(
      `SELECT count(*)::int AS later FROM metal_prices WHERE metal = 'GOLD' AND fixed_at > $1 AND fixed_at <= $2 AND created_at < $2`,
      [row.fixed_at, row.created_at],
    )) as { later: number }[];
    expect(later).toBe(0);

    // The rate is the recorded USD→EUR rate it names, as shown.
    const [rate] = (await facet.dataSource.query(`SELECT base, quote, rate FROM exchange_rates WHERE id = $1`, [row.rate_id])) as { base: string; quote: string; rate: string }[];
    expect(rate).toEqual({ base: "USD", quote: "EUR", rate: row.usd_rate });
    expect(Number(basis.usdRate)).toBe(Number(row.usd_rate));
  });

  it("refuses a LOCKED price valid beyond QUOTE_PRICE_LOCK_MAX_DAYS, and takes a SURCHARGE one valid longer", async () => {
    const brief = await briefIn(facet, company, "IN_REVIEW");
    const before = await briefSnapshot(facet.dataSource, brief.id);
    expect((await quote(brief, { validUntil: dateFromToday(8) })).userErrors).toEqual([
      { field: ["input", "validUntil"], code: "OUT_OF_RANGE", message: expect.stringContaining(`valid until ${dateFromToday(7)} at the latest`) },
    ]);
    // Left out above, the basis is LOCKED; asked for, the same.
    expect((await quote(brief, { validUntil: dateFromToday(30), priceBasis: "LOCKED" })).userErrors).toEqual([
      expect.objectContaining({ field: ["input", "validUntil"], code: "OUT_OF_RANGE" }),
    ]);
    expect(await briefSnapshot(facet.dataSource, brief.id)).toEqual(before);

    const surcharged = await quote(brief, { validUntil: dateFromToday(30), priceBasis: "SURCHARGE" });
    expect(surcharged.userErrors).toEqual([]);
    expect(surcharged.designBrief!.quote!.metalBasis).toMatchObject({ priceBasis: "SURCHARGE", lockedUntil: null, fixUsed: { metal: "GOLD" } });
    // The year bound of every quote still holds.
    const again = surcharged.designBrief!;
    expect((await quote({ ...brief, version: again.version }, { validUntil: dateFromToday(400), priceBasis: "SURCHARGE" })).userErrors).toEqual([
      expect.objectContaining({ field: ["input", "validUntil"], code: "OUT_OF_RANGE" }),
    ]);
  });

  it("quotes a brass piece on no fix: LOCKED for as long as the year allows, never SURCHARGE", async () => {
    const brass = { metal: "BRASS", fineness: null, stones: [] };
    const brief = await briefIn(facet, company, "IN_REVIEW", brass as never);
    expect((await quote(brief, { ...brass, priceBasis: "SURCHARGE", validUntil: dateFromToday(30) })).userErrors).toEqual([
      expect.objectContaining({ field: ["input", "priceBasis"], code: "INVALID" }),
    ]);
    const payload = await quote(brief, { ...brass, validUntil: dateFromToday(30) });
    expect(payload.userErrors).toEqual([]);
    expect(payload.designBrief!.quote!.metalBasis).toEqual({
      metal: "BRASS",
      fineness: null,
      estimatedMetalWeightGrams: "6.200",
      priceBasis: "LOCKED",
      lockedUntil: dateFromToday(30),
      usdRate: null,
      usdRateAtAcceptance: null,
      surchargeAtAcceptance: null,
      fixUsed: null,
      fixAtAcceptance: null,
    });
    expect(await quoteRow(payload.designBrief!.id)).toMatchObject({ fix_id: null, usd_rate: null, rate_id: null });
  });

  it("shows a quote given before quotes stated a basis as not stated (the demo's quotes)", async () => {
    const rows = (await facet.dataSource.query(
      `SELECT b.id FROM design_briefs b JOIN design_brief_quotes q ON q.brief_id = b.id WHERE b.status = 'QUOTED' AND q.price_basis IS NULL ORDER BY b.created_at LIMIT 2`,
    )) as { id: string }[];
    expect(rows.length).toBeGreaterThan(0);
    for (const { id } of rows) {
      const result = await run<{ designBrief: BriefOut }>(READ, { id: toGlobalId("DesignBrief", id) }, company.tokens.manager);
      expect(result.errors).toBeUndefined();
      expect(result.data!.designBrief.quote).toMatchObject({ metalBasis: null, unitPrice: expect.any(Object) });
    }
  });

  it("shows the basis only to the brief's distributor and staff", async () => {
    const brief = await quoted();
    expect(ok(await run<{ designBrief: BriefOut | null }>(READ, { id: brief.id }, other.tokens.buyer)).designBrief).toBeNull();
    expect(ok(await run<{ designBrief: BriefOut | null }>(READ, { id: brief.id }, other.tokens.client)).designBrief).toBeNull();
    expect(ok(await run<{ designBrief: BriefOut }>(READ, { id: brief.id }, company.tokens.client)).designBrief.quote!.metalBasis).toMatchObject({ priceBasis: "LOCKED" });
    expect(ok(await run<{ designBrief: BriefOut }>(READ, { id: brief.id }, company.tokens.support)).designBrief.quote!.metalBasis).toMatchObject({ priceBasis: "LOCKED" });
  });
});

describe("accepting a quote", () => {
  it("accepts a LOCKED quote within its lock at the quoted price", async () => {
    const brief = await quoted({ validUntil: dateFromToday(0) });
    const accepted = await accept(brief);
    expect(accepted.userErrors).toEqual([]);
    expect(accepted.designBrief).toMatchObject({ status: "ACCEPTED", quote: { metalBasis: { priceBasis: "LOCKED", fixAtAcceptance: null, surchargeAtAcceptance: null } } });
    expect(await orderUnitPrice(brief.id)).toBe("690.0000");
  });

  it("refuses a LOCKED quote once its lock has ended, and writes nothing", async () => {
    const brief = await quoted();
    await facet.dataSource.query(`UPDATE design_brief_quotes SET valid_until = $2 WHERE brief_id = $1`, [briefDbId(brief.id), dateFromToday(-1)]);
    const before = await briefSnapshot(facet.dataSource, brief.id);
    expect((await accept(brief)).userErrors).toEqual([
      { field: ["input", "id"], code: "INVALID_STATE", message: `The quote's locked price held until ${dateFromToday(-1)}; ask for a new one` },
    ]);
    expect(await briefSnapshot(facet.dataSource, brief.id)).toEqual(before);
    expect(before).toMatchObject({ status: "QUOTED", order_count: 0 });
  });

  it("places a SURCHARGE quote at the quoted price plus what the metal costs above the quote's fix", async () => {
    const brief = await quoted({ priceBasis: "SURCHARGE", validUntil: dateFromToday(30) });
    // As if quoted when gold was 250 USD an ounce cheaper than the fix recorded.
    const before = await quoteRow(brief.id);
    await facet.dataSource.query(`UPDATE design_brief_quotes SET fix_usd_per_troy_ounce = fix_usd_per_troy_ounce - 250 WHERE id = $1`, [before.id]);
    const base = (await quoteRow(brief.id)).fix_usd_per_troy_ounce!;
    expect(Number(base)).toBe(Number(before.fix_usd_per_troy_ounce) - 250);

    const accepted = await accept(brief);
    expect(accepted.userErrors).toEqual([]);
    const row = await quoteRow(brief.id);
    const cents = surchargeCents("6.200", 916, [base, row.usd_rate!], [row.accepted_fix_usd_per_troy_ounce!, row.accepted_usd_rate!]);
    expect(cents).toBeGreaterThan(0n);
    expect(row.accepted_surcharge).toBe(centsToAmount(cents, 4));
    expect(await orderUnitPrice(brief.id)).toBe(centsToAmount(69000n + cents, 4));
    const basis = accepted.designBrief!.quote!.metalBasis!;
    expect(basis).toMatchObject({
      priceBasis: "SURCHARGE",
      surchargeAtAcceptance: { amount: centsToAmount(cents), currency: "EUR" },
      fixAtAcceptance: { metal: "GOLD", fixedAt: expect.any(String) },
    });
    expect(Number(basis.fixAtAcceptance!.pricePerTroyOunce)).toBe(Number(row.accepted_fix_usd_per_troy_ounce));
    expect(Number(basis.usdRateAtAcceptance)).toBe(Number(row.accepted_usd_rate));
  });

  it("gives no discount on a SURCHARGE quote when the metal is cheaper than at the quote", async () => {
    const brief = await quoted({ priceBasis: "SURCHARGE", validUntil: dateFromToday(30) });
    await facet.dataSource.query(`UPDATE design_brief_quotes SET fix_usd_per_troy_ounce = fix_usd_per_troy_ounce + 500 WHERE brief_id = $1`, [briefDbId(brief.id)]);
    const accepted = await accept(brief);
    expect(accepted.userErrors).toEqual([]);
    expect(accepted.designBrief!.quote!.metalBasis).toMatchObject({ surchargeAtAcceptance: { amount: "0.00", currency: "EUR" }, fixAtAcceptance: { metal: "GOLD" } });
    expect(await orderUnitPrice(brief.id)).toBe("690.0000");
  });
});

describe("a stale fix", () => {
  it("refuses to quote a gold piece, or accept a SURCHARGE quote, on a fix older than METAL_PRICE_MAX_AGE_BUSINESS_DAYS", async () => {
    const toQuote = await briefIn(facet, company, "IN_REVIEW");
    const toAccept = await quoted({ priceBasis: "SURCHARGE", validUntil: dateFromToday(30) });
    const quotedBefore = await briefSnapshot(facet.dataSource, toQuote.id);
    const acceptedBefore = await briefSnapshot(facet.dataSource, toAccept.id);

    // In a transaction rolled back at the end: every gold fix recorded is moved ten years back, so
    // that the latest is stale, for this transaction only. Other test files read the fixes as
    // they are.
    const runner = facet.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await runner.query(`UPDATE metal_prices SET fixed_at = fixed_at - interval '10 years' WHERE metal = 'GOLD'`);
      const ctx = (principal: RequestContext["principal"]): RequestContext => ({
        requestId: "brief-quote-basis",
        config: facet.config,
        principal,
        db: runner.manager,
        dataSource: facet.dataSource,
        loaders: new Map(),
        ip: undefined,
      });
      const manager = ctx({ kind: "user", id: company.users.manager.id, role: UserRole.EXPORT_MANAGER, distributorId: null });
      const input = { ...quoteInput(toQuote.id, toQuote.version, company.currency, { quantityBreaks: [], validUntil: dateFromToday(7) }), priceBasis: "LOCKED" } as unknown as QuoteDesignBriefInput;
      const refused = await quoteBrief(manager, input);
      expect(refused.userErrors).toEqual([{ field: ["input", "metal"], code: "STALE_PRICE", message: expect.stringMatching(/^The latest gold fix .* business days old/) }]);

      const buyer = ctx({ kind: "user", id: company.users.buyer.id, role: UserRole.BUYER, distributorId: company.distributor.id });
      const notAccepted = await acceptQuote(buyer, { id: toAccept.id, expectedVersion: toAccept.version } as DesignBriefActionInput);
      expect(notAccepted.userErrors).toEqual([expect.objectContaining({ field: ["input", "id"], code: "STALE_PRICE" })]);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    expect(await briefSnapshot(facet.dataSource, toQuote.id)).toEqual(quotedBefore);
    expect(await briefSnapshot(facet.dataSource, toAccept.id)).toEqual(acceptedBefore);
  });
});
