import { cursorValues, pageSize, paginate, toConnection, type ConnectionArgs, type ConnectionResult, type Ordering } from "../../graphql/connection";
import { oneOf } from "../../db/rows";
import { loader } from "../../db/loaders";
import type { RequestContext } from "../../core/context";
import { BadUserInputError } from "../../graphql/errors";
import { fromScaled, money, multiply, sum, toScaled, trimDecimal, type MoneyInput } from "../../graphql/money";
import { idOfType, toGlobalId } from "../../graphql/node";
import { minorUnits, type CountryCode, type CurrencyCode, type Incoterm } from "../../graphql/scalars";
import { Rejected, UserErrorCode, UserErrors, userError, type UserError } from "../../graphql/user-error";
import * as validate from "../../graphql/validate";
import { readSyncHorizon } from "../../db/sql";
import { mutate } from "../../graphql/mutation";
import { tenantQuery } from "../../db/tenancy";
import { exporterToday } from "../calendar";
import { Metal, ROUGH_DIAMOND_SUBHEADINGS, containsNaturalDiamond, defaultSubheading, formatHsCode, karat, stoneDisplayName, WDC_SOW_STATEMENT } from "../catalog";
import { recordEvents, type NewEvent } from "../events";
import { ANY_MODE_EQUIVALENT, INSURED_RULES, Order, OrderLine, OrderStatus, SEA_ONLY, SELLER_CHARGES, canShip, expectedText, followShipments, incotermsText, readyUnits } from "../orders";
import { AIRLINES, formatIataAwb, parseHouseAwb, parseIataAwb, parseTrackingNumber } from "./identifiers";
import { SUPPORTED_DISPATCH, declarationSystemOf, exportDeclarationProblem } from "./export-declarations";
import { goodsWeight, gramsText, kgText, netWeightProblem, packageCount, packagesGrams, rowGrams } from "./weights";
import type {
  AddShipmentDocumentInput,
  CreateShipmentInput,
  RecordTrackingEventInput,
  SetAirwayBillInput,
  SetTrackingNumberInput,
  ShipmentFilter,
} from "./shipments.inputs";
import type { Projection } from "../../db/projection";
import { declarationRowsByShipment, documentsByShipment, eventPages, shipmentsByOrder, type DeclarationRow } from "./shipments.loaders";
import type {
  AirwayBill,
  CarriageChange,
  CommercialInvoice,
  CustomsDeclaration,
  GemstoneDisclosure,
  HsDeclarationLine,
  MetalDeclaration,
  PackingList,
  ShipmentDocumentView,
  CarriageField,
  ShipmentWeights,
  TrackingEventView,
} from "./shipments.types";
import { AirwayBillType, DocumentKind, HANDED_OVER, ShipmentStatus } from "./shipment-state";
import { Shipment, ShipmentDocument, ShipmentLine, TrackingEvent, type CarriageChangeRow, type PackageRow } from "./shipment.entity";

const MAX_PACKAGES = 50;

// ---- reads -------------------------------------------------------------------------------

const NEWEST: Ordering<Shipment> = { name: "newest", keys: [{ sql: "s.createdAt", direction: "DESC", value: (s) => s.createdAt }], id: "s.id" };
const SYNC_ORDER: Ordering<Shipment> = { name: "updated", keys: [{ sql: "s.updatedAt", direction: "ASC", value: (s) => s.updatedAt }], id: "s.id" };
// Newest first by when it happened; of two at the same time, the one recorded later first.
const EVENT_ORDER: Ordering<TrackingEventView> = {
  name: "events-by-time",
  keys: [
    { sql: "e.occurredAt", direction: "DESC", value: (e) => e.occurredAt, type: "timestamp" },
    { sql: "e.seq", direction: "DESC", value: (e) => e.seq, type: "bigint" },
  ],
  id: "e.id",
};

export async function listShipments(ctx: RequestContext, args: ConnectionArgs, filter: ShipmentFilter | null | undefined): Promise<ConnectionResult<Shipment>> {
  const qb = tenantQuery(ctx, Shipment, "s");
  if (filter?.status?.length) qb.andWhere("s.status = ANY(:statuses)", { statuses: filter.status });
  if (filter?.updatedSince) {
    // Only changes that are final: see readSyncHorizon.
    qb.andWhere("s.updatedAt >= :updatedSince", { updatedSince: filter.updatedSince }).andWhere("s.updatedAt < CAST(:horizon AS timestamptz)", {
      horizon: await readSyncHorizon(ctx.db),
    });
    return paginate(ctx.db, Shipment, qb, args, SYNC_ORDER);
  }
  return paginate(ctx.db, Shipment, qb, args, NEWEST);
}

/** By id, air waybill or tracking number: another distributor's reads exactly like an unknown one. */
export async function findShipment(
  ctx: RequestContext,
  by: { id?: string | null; airwayBill?: string | null; trackingNumber?: string | null },
): Promise<Shipment | null> {
  if ([by.id, by.airwayBill, by.trackingNumber].filter((v) => v != null).length !== 1) {
    throw new BadUserInputError("id", "Give exactly one of `id`, `airwayBill` and `trackingNumber`");
  }
  const qb = tenantQuery(ctx, Shipment, "s");
  if (by.id != null) {
    const id = idOfType(by.id, "Shipment");
    if (!id) return null;
    qb.andWhere("s.id = :id", { id });
  } else if (by.airwayBill != null) {
    const number = parseIataAwb(by.airwayBill) ?? parseHouseAwb(by.airwayBill);
    if (!number) return null;
    qb.andWhere("s.awbNumber = :number", { number });
  } else {
    qb.andWhere("s.trackingNumber = :tracking", { tracking: by.trackingNumber!.replace(/\s+/g, "").toUpperCase() });
  }
  return oneOf(ctx.db, Shipment, qb.orderBy("s.createdAt"));
}

export function findShipmentById(ctx: RequestContext, id: string): Promise<Shipment | null> {
  return oneOf(ctx.db, Shipment, tenantQuery(ctx, Shipment, "s").andWhere("s.id = :id", { id }));
}

export const shipmentsOfOrder = (ctx: RequestContext, order: Order, projection: Projection | null = null): Promise<Shipment[]> =>
  loader(ctx, shipmentsByOrder, projection).load(order.id);

export function airwayBillOf(s: Shipment): AirwayBill | null {
  if (!s.awbNumber || !s.awbType) return null;
  if (s.awbType === AirwayBillType.HOUSE) {
    return { number: s.awbNumber, type: s.awbType, airline: AIRLINES[s.masterAwbNumber!.slice(0, 3)] ?? null, masterAirwayBill: formatIataAwb(s.masterAwbNumber!) };
  }
  return { number: formatIataAwb(s.awbNumber), type: s.awbType, airline: AIRLINES[s.awbNumber.slice(0, 3)] ?? null, masterAirwayBill: null };
}

function eventView(e: TrackingEvent): TrackingEventView {
  return {
    id: e.id,
    seq: e.seq,
    occurredAt: e.occurredAt,
    status: e.status,
    location: e.location,
    description: e.description,
    carrierCode: e.carrierCode,
    carrierEventId: e.carrierEventId,
    estimatedDeliveryAt: e.estimatedDeliveryAt,
  };
}

/** Newest first; pages for many shipments load in one query. */
export async function eventsOf(
  ctx: RequestContext,
  shipment: Shipment,
  args: ConnectionArgs,
  projection: Projection | null = null,
): Promise<ConnectionResult<TrackingEventView>> {
  const first = pageSize(args.first);
  let after: [occurredAt: string, seq: string] | null = null;
  if (args.after) {
    const [occurredAt, seq] = cursorValues(args.after, EVENT_ORDER).map(String);
    if (Number.isNaN(Date.parse(occurredAt)) || !/^\d{1,18}$/.test(seq)) throw new BadUserInputError("after", "`after` is not a cursor of this list in this order");
    after = [occurredAt, seq];
  }
  // The rows themselves: the type shows only the event's own fields, never its shipment or recording time.
  const rows = await loader(ctx, eventPages, projection).load({ parentId: shipment.id, after, limit: first + 1 });
  return toConnection<TrackingEventView>(rows, first, Boolean(args.after), EVENT_ORDER);
}

export async function documentsOf(ctx: RequestContext, shipment: Shipment): Promise<ShipmentDocumentView[]> {
  return loader(ctx, documentsByShipment).load(shipment.id);
}

/** Where the shipment leaves from: as recorded, or for a shipment made before that, the exporter's country. */
export const dispatchCountryOf = (ctx: RequestContext, shipment: Shipment): CountryCode => (shipment.dispatchCountry ?? ctx.config.exporterCountry) as CountryCode;

// Exclusive design-brief pieces have no catalog entry: their tariff code follows the brief's
// metal (an HS 2022 subheading that fits it, docs/domain.md "HS codes"), and they are made in the
// exporter's own workshops.
function hsCodeFor(row: DeclarationRow): string {
  return row.hsCode ?? defaultSubheading({ metal: row.metal ?? Metal.GOLD, stones: row.stones });
}
const originOf = (ctx: RequestContext, row: DeclarationRow) => (row.countryOfOrigin ?? ctx.config.exporterCountry) as CountryCode;

const sowStatement = (rows: readonly DeclarationRow[]) => (rows.some((r) => containsNaturalDiamond(r.stones)) ? WDC_SOW_STATEMENT : null);

/** The same weights on the packing list, the invoice and the declaration: declared on the packages, and computed from the goods. */
function weightsOf(shipment: Shipment, rows: readonly DeclarationRow[]): ShipmentWeights {
  const goods = goodsWeight(rows);
  return {
    packageCount: packageCount(shipment.packages),
    netWeightKg: kgText(packagesGrams(shipment.packages, (p) => p.netWeightKg)),
    grossWeightKg: kgText(packagesGrams(shipment.packages, (p) => p.grossWeightKg)),
    goodsNetWeightKg: kgText(goods.grams),
    goodsNetWeightComplete: goods.complete,
  };
}

/** The charges the seller bears under the rule, as recorded; a rule that does not put one on the seller shows none. */
function chargesOf(shipment: Shipment, incoterm: Incoterm): { freight: string | null; insurance: string | null; duties: string | null } {
  const bears = SELLER_CHARGES[incoterm];
  return {
    freight: bears.freight ? shipment.freightCharge : null,
    insurance: bears.insurance ? shipment.insuranceCharge : null,
    duties: bears.duties ? shipment.dutiesCharge : null,
  };
}

/** The goods, the charges and their sum: the commercial invoice's total, and the declaration's. */
function totalsOf(shipment: Shipment, incoterm: Incoterm, rows: readonly DeclarationRow[]) {
  const currency = shipment.currency;
  const goods = sum(rows.map((r) => r.lineTotal));
  const charges = chargesOf(shipment, incoterm);
  const total = sum([goods, ...[charges.freight, charges.insurance, charges.duties].filter((c): c is string => c !== null)]);
  const shown = (amount: string | null) => (amount === null ? null : money(amount, currency));
  return {
    goods: money(goods, currency),
    charges: { freight: shown(charges.freight), insurance: shown(charges.insurance), duties: shown(charges.duties) },
    total: money(total, currency),
    totalAmount: total,
  };
}

export async function declarationOf(ctx: RequestContext, shipment: Shipment, incoterm: Incoterm): Promise<CustomsDeclaration> {
  const rows = await loader(ctx, declarationRowsByShipment).load(shipment.id);
  const currency = shipment.currency;
  const totals = totalsOf(shipment, incoterm, rows);

  const hs = new Map<string, { hsCode: string; origin: CountryCode; quantity: number; grams: bigint; value: bigint }>();
  const metals = new Map<string, { metal: Metal; fineness: number | null; grams: bigint }>();
  const stones = new Map<string, GemstoneDisclosure & { carat: bigint }>();
  for (const row of rows) {
    const hsCode = hsCodeFor(row);
    const origin = originOf(ctx, row);
    const h = hs.get(`${hsCode}|${origin}`) ?? { hsCode, origin, quantity: 0, grams: 0n, value: 0n };
    h.quantity += row.quantity;
    h.grams += rowGrams(row);
    h.value += toScaled(row.lineTotal);
    hs.set(`${hsCode}|${origin}`, h);
    if (row.metal) {
      const m = metals.get(`${row.metal}|${row.fineness}`) ?? { metal: row.metal, fineness: row.fineness, grams: 0n };
      m.grams += (row.metalWeightGrams ? toScaled(row.metalWeightGrams) : 0n) * BigInt(row.quantity);
      metals.set(`${row.metal}|${row.fineness}`, m);
    }
    for (const s of row.stones) {
      const treatments = [...s.treatments].sort();
      const key = `${s.type}|${s.origin}|${treatments.join(",")}`;
      const d = stones.get(key) ?? { type: s.type, origin: s.origin, treatments, displayName: stoneDisplayName(s.type, s.origin), count: 0, totalCarat: "0", carat: 0n };
      d.count += s.count * row.quantity;
      d.carat += toScaled(s.totalCarat) * BigInt(row.quantity);
      stones.set(key, d);
    }
  }
  const hsLines: HsDeclarationLine[] = [...hs.values()]
    .sort((a, b) => a.hsCode.localeCompare(b.hsCode) || a.origin.localeCompare(b.origin))
    .map((h) => ({
      hsCode: { digits: h.hsCode, formatted: formatHsCode(h.hsCode) },
      countryOfOrigin: h.origin,
      quantity: h.quantity,
      netWeightGrams: gramsText(h.grams),
      value: money(fromScaled(h.value), currency),
    }));
  const metalDeclarations: MetalDeclaration[] = [...metals.values()].map((m) => ({
    metal: m.metal,
    fineness: m.fineness,
    karat: karat(m.metal, m.fineness),
    weightGrams: gramsText(m.grams),
  }));
  const gemstoneDisclosures = [...stones.values()].map(({ carat, ...d }) => ({ ...d, totalCarat: trimDecimal(fromScaled(carat)) }));
  const insured = INSURED_RULES.includes(incoterm);
  return {
    incoterm,
    namedPlace: shipment.namedPlace,
    dispatchCountry: dispatchCountryOf(ctx, shipment),
    goodsValue: totals.goods,
    charges: totals.charges,
    invoiceTotal: totals.total,
    weights: weightsOf(shipment, rows),
    hsLines,
    metalDeclarations,
    gemstoneDisclosures,
    systemOfWarrantiesStatement: sowStatement(rows),
    insurance:
      shipment.insurer && shipment.insurancePolicyNumber && shipment.insuredAmount
        ? { insurer: shipment.insurer, policyNumber: shipment.insurancePolicyNumber, insuredAmount: money(shipment.insuredAmount, currency) }
        : null,
    minimumInsuredAmount: insured ? money(minimumCover(totals.totalAmount, currency), currency) : null,
  };
}

export async function commercialInvoiceOf(ctx: RequestContext, shipment: Shipment, incoterm: Incoterm): Promise<CommercialInvoice> {
  const rows = await loader(ctx, declarationRowsByShipment).load(shipment.id);
  const currency = shipment.currency;
  const totals = totalsOf(shipment, incoterm, rows);
  return {
    incoterm,
    namedPlace: shipment.namedPlace,
    terms: incotermsText(incoterm, shipment.namedPlace),
    dispatchCountry: dispatchCountryOf(ctx, shipment),
    lines: rows.map((r) => {
      const hsCode = hsCodeFor(r);
      return {
        lineNumber: r.lineNumber,
        sku: r.sku,
        description: r.description,
        hsCode: { digits: hsCode, formatted: formatHsCode(hsCode) },
        countryOfOrigin: originOf(ctx, r),
        quantity: r.quantity,
        unitPrice: money(r.unitPrice, currency),
        lineTotal: money(r.lineTotal, currency),
      };
    }),
    goodsTotal: totals.goods,
    charges: totals.charges,
    total: totals.total,
    weights: weightsOf(shipment, rows),
    systemOfWarrantiesStatement: sowStatement(rows),
  };
}

/** 110% of a value, rounded up to the currency's smallest unit. */
export function minimumCover(value: string, currency: CurrencyCode): string {
  const tenths = toScaled(value) * 11n;
  const unit = 10n * 10n ** BigInt(4 - minorUnits(currency));
  return fromScaled(((tenths + unit - 1n) / unit) * (unit / 10n));
}

export async function packingListOf(ctx: RequestContext, shipment: Shipment): Promise<PackingList> {
  const rows = await loader(ctx, declarationRowsByShipment).load(shipment.id);
  const weights = weightsOf(shipment, rows);
  return {
    packages: shipment.packages,
    packageCount: weights.packageCount,
    totalNetWeightKg: weights.netWeightKg,
    totalGrossWeightKg: weights.grossWeightKg,
    lines: rows.map((r) => ({ lineNumber: r.lineNumber, sku: r.sku, description: r.description, quantity: r.quantity })),
    weights,
  };
}

// ---- writes (export managers) ----------------------------------------------------------------

async function shipmentFor(tx: RequestContext, globalId: string): Promise<Shipment> {
  const id = idOfType(globalId, "Shipment");
  const shipment = id ? await tenantQuery(tx, Shipment, "s").andWhere("s.id = :id", { id }).setLock("pessimistic_write").getOne() : null;
  if (!shipment) throw new Rejected(userError(["input", "shipmentId"], "No such shipment", UserErrorCode.NOT_FOUND));
  return shipment;
}

function checkPackages(errors: UserErrors, packages: CreateShipmentInput["packages"]): PackageRow[] {
  if (packages.length === 0) errors.add(["input", "packages"], "A shipment needs at least one package", UserErrorCode.REQUIRED);
  if (packages.length > MAX_PACKAGES) errors.add(["input", "packages"], `At most ${MAX_PACKAGES} package sizes`, UserErrorCode.TOO_LONG);
  return packages.slice(0, MAX_PACKAGES).map((p, i) => {
    const path = ["input", "packages", i];
    validate.integer(errors, [...path, "count"], p.count, { min: 1, max: 1000, label: "Package count" });
    const net = validate.decimal(errors, [...path, "netWeightKg"], p.netWeightKg, { scale: 3, min: 0, max: 10_000, exclusiveMin: true, label: "Net weight" });
    const gross = validate.decimal(errors, [...path, "grossWeightKg"], p.grossWeightKg, { scale: 3, min: 0, max: 10_000, exclusiveMin: true, label: "Gross weight" });
    if (net && gross && toScaled(gross) < toScaled(net)) errors.add([...path, "grossWeightKg"], "Gross weight cannot be below the net weight", UserErrorCode.INVALID);
    for (const dim of ["lengthCm", "widthCm", "heightCm"] as const) validate.integer(errors, [...path, dim], p[dim], { min: 1, max: 500, label: "Dimension" });
    return { count: p.count, netWeightKg: net ?? "0", grossWeightKg: gross ?? "0", lengthCm: p.lengthCm, widthCm: p.widthCm, heightCm: p.heightCm };
  });
}

/**
 * A charge of the shipment in the order's currency, with no more decimals than the currency has;
 * undefined (and a user error) when it is not one.
 */
function checkAmount(errors: UserErrors, path: string[], amount: MoneyInput, currency: CurrencyCode, { label, zero }: { label: string; zero: boolean }): string | undefined {
  if (amount.currency !== currency) return void errors.add([...path, "currency"], `${label} must be in the order's currency, ${currency}`, UserErrorCode.INVALID);
  return validate.decimal(errors, [...path, "amount"], amount.amount, { scale: minorUnits(currency), min: 0, max: 1e12, exclusiveMin: !zero, label });
}

const CHARGES = [
  { key: "freight", label: "Freight", zero: false, bears: "the main carriage" },
  { key: "insurance", label: "The insurance premium", zero: false, bears: "insurance" },
  { key: "duties", label: "Duties and taxes", zero: true, bears: "import duties and taxes" },
] as const;

/** The charges the order's rule puts on the seller: each required when it does, refused when it does not. */
function checkCharges(errors: UserErrors, input: CreateShipmentInput["charges"], order: Order): Record<(typeof CHARGES)[number]["key"], string | null> {
  const bears = SELLER_CHARGES[order.incoterm];
  const amounts = { freight: null, insurance: null, duties: null } as Record<(typeof CHARGES)[number]["key"], string | null>;
  for (const { key, label, zero, bears: what } of CHARGES) {
    const given = input?.[key];
    const path = ["input", "charges", key];
    if (bears[key] && !given) errors.add(path, `Under ${order.incoterm} the seller pays ${what}: give ${label.toLowerCase()} (the invoice shows it)`, UserErrorCode.REQUIRED);
    else if (!bears[key] && given) errors.add(path, `Under ${order.incoterm} the seller does not pay ${what}: the invoice carries no such charge`, UserErrorCode.INVALID);
    else if (given) amounts[key] = checkAmount(errors, path, given, order.currency, { label, zero }) ?? null;
  }
  return amounts;
}

export async function createShipment(ctx: RequestContext, input: CreateShipmentInput) {
  const errors = new UserErrors();
  const service = validate.text(errors, ["input", "service"], input.service, { max: 60, label: "Service" });
  const namedPlace = validate.text(errors, ["input", "namedPlace"], input.namedPlace, { min: 2, max: 100, label: "Named place" });
  const dispatchCountry = input.dispatchCountry ?? ctx.config.exporterCountry;
  if (!declarationSystemOf(dispatchCountry)) {
    errors.add(["input", "dispatchCountry"], `Facet knows the export declarations of ${SUPPORTED_DISPATCH}; a shipment cannot leave from ${dispatchCountry}`, UserErrorCode.INVALID);
  }
  const packages = checkPackages(errors, input.packages ?? []);
  const insurer = input.insurance ? validate.text(errors, ["input", "insurance", "insurer"], input.insurance.insurer, { max: 200, label: "Insurer" }) : null;
  const policy = input.insurance ? validate.text(errors, ["input", "insurance", "policyNumber"], input.insurance.policyNumber, { max: 60, label: "Policy number" }) : null;
  if (errors.any || !service || !namedPlace) return { userErrors: errors.list };

  return mutate(ctx, async (tx) => {
    const orderId = idOfType(input.orderId, "Order");
    const order = orderId ? await tenantQuery(tx, Order, "o").andWhere("o.id = :id", { id: orderId }).setLock("pessimistic_write").getOne() : null;
    if (!order) throw new Rejected(userError(["input", "orderId"], "No such order", UserErrorCode.NOT_FOUND));
    // A confirmed order ships what is ready, line by line, before the rest is (docs/domain.md, "Partial shipments").
    if (!canShip(order.status)) {
      const message =
        order.status === OrderStatus.PENDING ? "An order ships once it is confirmed; this one is PENDING" : `An order that is ${order.status} has nothing left to ship`;
      throw new Rejected(userError(["input", "orderId"], message, UserErrorCode.INVALID_STATE));
    }
    // Facet's shipments go by air (an air waybill, a courier): a rule for sea transport says
    // nothing true about where the goods are delivered or the risk passes.
    if (SEA_ONLY.includes(order.incoterm)) {
      throw new Rejected(
        userError(
          ["input", "orderId"],
          `The order's Incoterm ${order.incoterm} is for sea and inland waterway transport only; Facet ships by air, where Incoterms® 2020 use ${ANY_MODE_EQUIVALENT[order.incoterm]}: amend the order's rule before it ships`,
          UserErrorCode.INVALID,
        ),
      );
    }
    const lines = await tx.db.find(OrderLine, { where: { orderId: order.id }, order: { lineNumber: "ASC" } });
    // Units already in a shipment, whatever its status; the order lock keeps this true until commit.
    const inShipments = new Map(
      ((await tx.db.query(`SELECT order_line_id, sum(quantity)::int AS quantity FROM shipment_lines WHERE order_line_id = ANY($1) GROUP BY order_line_id`, [
        lines.map((l) => l.id),
      ])) as { order_line_id: string; quantity: number }[]).map((r) => [r.order_line_id, r.quantity]),
    );
    const unshipped = (line: OrderLine) => line.quantity - (inShipments.get(line.id) ?? 0);
    // A shipment takes only units that are ready; those already in a shipment were ready before.
    const ready = await readyUnits(tx, order, lines);
    const readyLeft = (line: OrderLine) => Math.max(0, Math.min(unshipped(line), (ready.get(line.id) ?? 0) - (inShipments.get(line.id) ?? 0)));
    const today = exporterToday(tx);
    const checks = new UserErrors();
    const chosen: { line: OrderLine; quantity: number }[] = [];
    if (input.lines == null) {
      for (const line of lines) if (readyLeft(line) > 0) chosen.push({ line, quantity: readyLeft(line) });
      const waiting = lines.filter((l) => unshipped(l) > 0);
      if (waiting.length === 0) checks.add(["input", "lines"], "Every unit of this order is already in a shipment", UserErrorCode.INVALID_STATE);
      else if (chosen.length === 0) {
        const when = waiting.map((l) => `line ${l.lineNumber}: ${unshipped(l)} unit(s) made to order and not made yet, ${expectedText(l, today)}`).join("; ");
        checks.add(["input", "lines"], `Nothing of this order that is not yet in a shipment is ready: ${when}`, UserErrorCode.INVALID_STATE);
      }
    } else if (input.lines.length === 0) {
      checks.add(["input", "lines"], "Name at least one line, or leave `lines` out to ship every ready unit not yet shipped", UserErrorCode.REQUIRED);
    } else {
      const named = new Set<number>();
      input.lines.forEach((wanted, i) => {
        const path = ["input", "lines", i];
        const line = lines.find((l) => l.lineNumber === wanted.lineNumber);
        if (!line) return void checks.add([...path, "lineNumber"], `The order has no line ${wanted.lineNumber}`, UserErrorCode.NOT_FOUND);
        if (named.has(line.lineNumber)) return void checks.add([...path, "lineNumber"], `Line ${line.lineNumber} is named twice`, UserErrorCode.INVALID);
        named.add(line.lineNumber);
        const left = unshipped(line);
        if (left === 0) return void checks.add([...path, "lineNumber"], `Every unit of line ${line.lineNumber} is already in a shipment`, UserErrorCode.INVALID_STATE);
        if (wanted.quantity != null && (!Number.isInteger(wanted.quantity) || wanted.quantity < 1 || wanted.quantity > left)) {
          return void checks.add([...path, "quantity"], `Line ${line.lineNumber} has ${left} unit(s) not yet in a shipment: ship 1 to ${left}`, UserErrorCode.OUT_OF_RANGE);
        }
        // Units not ready are made to order: stock is ready once the order is confirmed.
        const readyNow = readyLeft(line);
        if (readyNow === 0) {
          const message = `Line ${line.lineNumber} is not ready to ship: its ${left} unit(s) not yet in a shipment are made to order and not made yet, ${expectedText(line, today)}`;
          return void checks.add([...path, "lineNumber"], message, UserErrorCode.INVALID_STATE);
        }
        const quantity = wanted.quantity ?? readyNow;
        if (quantity > readyNow) {
          const message = `Line ${line.lineNumber} has ${readyNow} unit(s) ready to ship, not ${quantity}: the other ${left - readyNow} are made to order and not made yet, ${expectedText(line, today)}; ship 1 to ${readyNow}`;
          return void checks.add([...path, "quantity"], message, UserErrorCode.INVALID_STATE);
        }
        chosen.push({ line, quantity });
      });
    }

    const charges = checkCharges(checks, input.charges, order);
    // The invoice total under the rule: the goods, and what the seller pays on top of them.
    const value = sum([...chosen.map((c) => multiply(c.line.unitPrice, c.quantity)), ...Object.values(charges).filter((c): c is string => c !== null)]);
    let insuredAmount: string | null = null;
    if (input.insurance) {
      insuredAmount = checkAmount(checks, ["input", "insurance", "insuredAmount"], input.insurance.insuredAmount, order.currency, { label: "Insured amount", zero: false }) ?? null;
    }
    if (INSURED_RULES.includes(order.incoterm)) {
      if (!input.insurance) checks.add(["input", "insurance"], `Under ${order.incoterm} the seller insures the goods: give the insurance`, UserErrorCode.REQUIRED);
      else if (insuredAmount && toScaled(insuredAmount) < toScaled(minimumCover(value, order.currency))) {
        checks.add(
          ["input", "insurance", "insuredAmount", "amount"],
          `Under ${order.incoterm} cover must be at least 110% of the invoice total (goods, freight and insurance): ${money(minimumCover(value, order.currency), order.currency).amount} ${order.currency}`,
          UserErrorCode.OUT_OF_RANGE,
        );
      }
    }
    if (checks.any) throw new Rejected(checks.list);

    const { identifiers } = await tx.db.insert(Shipment, {
      orderId: order.id,
      distributorId: order.distributorId,
      carrier: input.carrier,
      service,
      status: ShipmentStatus.PENDING,
      packages,
      insurer: insurer ?? null,
      insurancePolicyNumber: policy ?? null,
      insuredAmount,
      currency: order.currency,
      namedPlace,
      dispatchCountry,
      freightCharge: charges.freight,
      insuranceCharge: charges.insurance,
      dutiesCharge: charges.duties,
    });
    const shipmentId = identifiers[0].id as string;
    await tx.db.insert(ShipmentLine, chosen.map((c) => ({ shipmentId, orderLineId: c.line.id, quantity: c.quantity })));
    // The packages' net weight is the goods' (customs' net mass: without any packaging), so it
    // must agree with what the lines are made of, read as the documents will read them.
    const weightProblem = netWeightProblem(packages, goodsWeight(await declarationRowsByShipment(tx, null).load(shipmentId)));
    if (weightProblem) throw new Rejected(userError(["input", "packages"], weightProblem, UserErrorCode.OUT_OF_RANGE));
    const created = await tx.db.findOneByOrFail(Shipment, { id: shipmentId });
    await recordEvents(tx, [shipmentEvent("shipment.created", created, { carrier: created.carrier, status: created.status })]);
    return { shipment: created, userErrors: [] as UserError[] };
  });
}

/** An event about a shipment: its ids (global) and what changed. */
function shipmentEvent(type: NewEvent["type"], shipment: Pick<Shipment, "id" | "orderId" | "distributorId">, changed: Record<string, unknown>): NewEvent {
  return {
    type,
    distributorId: shipment.distributorId,
    subjectId: shipment.id,
    data: { shipmentId: toGlobalId("Shipment", shipment.id), orderId: toGlobalId("Order", shipment.orderId), ...changed },
  };
}

/** The goods have left the exporter: an event put the shipment in the carrier's hands. */
const departed = (s: Shipment) => s.shippedAt !== null || HANDED_OVER.includes(s.status);

function departedMessage(s: Shipment, what: string): string {
  const since = s.shippedAt ? ` on ${s.shippedAt.toISOString().slice(0, 10)}` : "";
  return `The shipment departed${since} (it is ${s.status}): its ${what} can no longer change. Before departure a correction is kept in its carriage history`;
}

/** An air waybill as documents show it: `176-12345675`, or a house bill's own number. */
const awbText = (number: string, type: AirwayBillType) => (type === AirwayBillType.HOUSE ? number : formatIataAwb(number));
const awbHistoryText = (number: string, type: AirwayBillType, master: string | null) => (master ? `${number} (house, under ${formatIataAwb(master)})` : awbText(number, type));

/** Appends one change to the shipment's carriage history, naming the export manager who made it. */
async function recordCarriageChange(tx: RequestContext, shipment: Shipment, field: CarriageChangeRow["field"], from: string | null, to: string): Promise<void> {
  const principal = tx.principal!;
  const [user] = (await tx.db.query(`SELECT name FROM users WHERE id = $1`, [principal.id])) as { name: string }[];
  const change: CarriageChangeRow = { field, from, to, at: new Date().toISOString(), byUserId: principal.id, byName: user?.name ?? principal.id };
  await tx.db.query(`UPDATE shipments SET carriage_history = carriage_history || $2::jsonb, updated_at = now() WHERE id = $1`, [shipment.id, JSON.stringify([change])]);
}

// An air waybill in form whose prefix is 000, which no airline holds: the check digit cannot tell.
const NO_AIRLINE = /^\s*000[- ]?\d{8}\s*$/;

export async function setAirwayBill(ctx: RequestContext, input: SetAirwayBillInput) {
  const errors = new UserErrors();
  let number: string | null = null;
  let master: string | null = null;
  if (input.type === AirwayBillType.HOUSE) {
    number = parseHouseAwb(input.number ?? "");
    if (!number) errors.add(["input", "number"], "A house air waybill number is 1 to 12 letters and digits", UserErrorCode.INVALID);
    if (!input.masterAirwayBill) errors.add(["input", "masterAirwayBill"], "A house air waybill must name its master air waybill", UserErrorCode.REQUIRED);
    else {
      master = parseIataAwb(input.masterAirwayBill);
      if (!master) {
        const message = NO_AIRLINE.test(input.masterAirwayBill)
          ? "000 is no airline's prefix: IATA airline prefixes run from 001 to 999"
          : "The master air waybill must be 11 digits with a valid mod-7 check digit, e.g. 176-12345675";
        errors.add(["input", "masterAirwayBill"], message, UserErrorCode.INVALID);
      }
    }
  } else {
    number = parseIataAwb(input.number ?? "");
    if (!number) {
      const message = NO_AIRLINE.test(input.number ?? "")
        ? "000 is no airline's prefix: IATA airline prefixes run from 001 to 999"
        : "An air waybill is 11 digits: a 3-digit airline prefix, 7 digits and a mod-7 check digit, e.g. 176-12345675";
      errors.add(["input", "number"], message, UserErrorCode.INVALID);
    }
    if (input.masterAirwayBill) errors.add(["input", "masterAirwayBill"], "Only a house air waybill has a master", UserErrorCode.INVALID);
  }
  if (master && master === number) errors.add(["input", "number"], "A house air waybill cannot carry its master's number", UserErrorCode.INVALID);
  if (errors.any || !number) return { userErrors: errors.list };
  const awb = number;

  return mutate(
    ctx,
    async (tx) => {
      const shipment = await shipmentFor(tx, input.shipmentId);
      if (shipment.awbNumber === awb && shipment.awbType === input.type && shipment.masterAwbNumber === master) {
        return { shipment, userErrors: [] as UserError[] };
      }
      // The air waybill travels with the goods: once they have left, it is what they left under.
      if (shipment.awbNumber !== null && departed(shipment)) {
        throw new Rejected(userError(["input", "number"], departedMessage(shipment, `air waybill ${awbText(shipment.awbNumber, shipment.awbType!)}`), UserErrorCode.INVALID_STATE));
      }
      if (master) {
        // A house bill hangs under a master, never under another house bill (ONE Record).
        const [house] = (await tx.db.query(`SELECT 1 FROM shipments WHERE awb_number = $1 AND awb_type = 'HOUSE'`, [master])) as unknown[];
        if (house) throw new Rejected(userError(["input", "masterAirwayBill"], "This is a house air waybill; a house bill names its master", UserErrorCode.INVALID));
      }
      await tx.db.update(Shipment, { id: shipment.id }, { awbNumber: awb, awbType: input.type, masterAwbNumber: master, updatedAt: () => "now()" });
      const before = shipment.awbNumber === null ? null : awbHistoryText(shipment.awbNumber, shipment.awbType!, shipment.masterAwbNumber);
      await recordCarriageChange(tx, shipment, "AIRWAY_BILL", before, awbHistoryText(awb, input.type, master));
      if (shipment.awbNumber !== null) {
        // The air waybill document names the bill: it follows the correction.
        await tx.db.query(
          `UPDATE shipment_documents SET number = $3 WHERE shipment_id = $1 AND kind = 'AIRWAY_BILL' AND regexp_replace(number, '[- ]', '', 'g') = $2`,
          [shipment.id, shipment.awbNumber, awbText(awb, input.type)],
        );
      }
      await recordEvents(tx, [
        shipmentEvent("shipment.air_waybill_set", shipment, {
          airwayBill: awbText(awb, input.type),
          type: input.type,
          masterAirwayBill: master ? formatIataAwb(master) : null,
          previous: shipment.awbNumber === null ? null : awbText(shipment.awbNumber, shipment.awbType!),
        }),
      ]);
      return { shipment: await tx.db.findOneByOrFail(Shipment, { id: shipment.id }), userErrors: [] as UserError[] };
    },
    {
      unique: {
        shipments_awb_key: { field: ["input", "number"], message: "This air waybill is already on another shipment" },
        shipment_documents_kind_number_key: { field: ["input", "number"], message: "The shipment already holds an air waybill document with this number" },
      },
    },
  );
}

export async function setTrackingNumber(ctx: RequestContext, input: SetTrackingNumberInput) {
  return mutate(ctx, async (tx) => {
    const shipment = await shipmentFor(tx, input.shipmentId);
    const tracking = parseTrackingNumber(shipment.carrier, input.trackingNumber ?? "");
    if (!tracking) {
      throw new Rejected(userError(["input", "trackingNumber"], `Not a valid ${shipment.carrier} tracking number (format or check digit)`, UserErrorCode.INVALID));
    }
    if (shipment.trackingNumber === tracking.value) return { shipment, userErrors: [] as UserError[] };
    if (shipment.trackingNumber !== null && departed(shipment)) {
      throw new Rejected(userError(["input", "trackingNumber"], departedMessage(shipment, `tracking number ${shipment.trackingNumber}`), UserErrorCode.INVALID_STATE));
    }
    await tx.db.update(Shipment, { id: shipment.id }, { trackingNumber: tracking.value, trackingUrl: tracking.url, updatedAt: () => "now()" });
    await recordCarriageChange(tx, shipment, "TRACKING_NUMBER", shipment.trackingNumber, tracking.value);
    await recordEvents(tx, [
      shipmentEvent("shipment.tracking_number_set", shipment, { trackingNumber: tracking.value, trackingUrl: tracking.url, previous: shipment.trackingNumber }),
    ]);
    return { shipment: await tx.db.findOneByOrFail(Shipment, { id: shipment.id }), userErrors: [] as UserError[] };
  }, { unique: { shipments_tracking_key: { field: ["input", "trackingNumber"], message: "This tracking number is already on another shipment" } } });
}

/** The carriage history as it is shown, oldest first. */
export function carriageHistoryOf(shipment: Shipment): CarriageChange[] {
  return (shipment.carriageHistory ?? []).map((c) => ({
    field: c.field as CarriageField,
    from: c.from,
    to: c.to,
    changedAt: new Date(c.at),
    changedBy: c.byName,
  }));
}

/**
 * The shipment's status, ETA and dates follow from its events (the latest by time decides, so an
 * older event arriving late changes nothing); the order follows its shipments: PARTIALLY_SHIPPED
 * once some of its units have been handed over, SHIPPED once every unit has, DELIVERED once every
 * unit has shipped and every shipment is delivered. The order only moves forward.
 */
async function derive(tx: RequestContext, shipment: Shipment): Promise<void> {
  await tx.db.query(
    `UPDATE shipments s SET
       status = latest.status,
       estimated_delivery_at = eta.estimated_delivery_at,
       shipped_at = handed.first_at,
       delivered_at = CASE WHEN latest.status = 'DELIVERED' THEN latest.occurred_at END,
       promised_delivery_at = COALESCE(s.promised_delivery_at, CASE WHEN handed.first_at IS NOT NULL THEN eta.estimated_delivery_at END),
       updated_at = now()
     FROM
       (SELECT status, occurred_at FROM tracking_events WHERE shipment_id = $1 ORDER BY occurred_at DESC, seq DESC LIMIT 1) latest,
       (SELECT min(occurred_at) AS first_at FROM tracking_events WHERE shipment_id = $1 AND status = ANY($2)) handed,
       (SELECT (SELECT estimated_delivery_at FROM tracking_events WHERE shipment_id = $1 AND estimated_delivery_at IS NOT NULL
                ORDER BY occurred_at DESC, seq DESC LIMIT 1) AS estimated_delivery_at) eta
     WHERE s.id = $1`,
    [shipment.id, HANDED_OVER],
  );
  // The order is locked before its shipments are read: events for two shipments of one order
  // recorded at the same time then see each other's outcome, and the later one moves the order.
  const [order] = (await tx.db.query(`SELECT status FROM orders WHERE id = $1 FOR UPDATE`, [shipment.orderId])) as { status: OrderStatus }[];
  if (!order || !(canShip(order.status) || order.status === OrderStatus.SHIPPED)) return;
  const [progress] = (await tx.db.query(
    `SELECT
       (SELECT count(*) FROM order_lines ol WHERE ol.order_id = $1 AND ol.quantity >
          (SELECT COALESCE(sum(sl.quantity), 0) FROM shipment_lines sl JOIN shipments s ON s.id = sl.shipment_id
           WHERE sl.order_line_id = ol.id AND s.status = ANY($2)))::int AS lines_to_ship,
       (SELECT COALESCE(sum(quantity), 0) FROM order_lines WHERE order_id = $1)::int AS ordered,
       (SELECT COALESCE(sum(sl.quantity), 0) FROM shipment_lines sl JOIN shipments s ON s.id = sl.shipment_id
        WHERE s.order_id = $1 AND s.status = ANY($2))::int AS handed_over,
       (SELECT count(*) FROM shipments WHERE order_id = $1 AND status <> 'DELIVERED')::int AS undelivered`,
    [shipment.orderId, HANDED_OVER],
  )) as { lines_to_ship: number; ordered: number; handed_over: number; undelivered: number }[];
  if (progress.lines_to_ship > 0) {
    if (progress.handed_over > 0 && order.status !== OrderStatus.PARTIALLY_SHIPPED) {
      await followShipments(tx, shipment.orderId, OrderStatus.PARTIALLY_SHIPPED, `shipped ${progress.handed_over} of ${progress.ordered} units; the rest ships when ready`);
    }
    return;
  }
  if (order.status !== OrderStatus.SHIPPED) await followShipments(tx, shipment.orderId, OrderStatus.SHIPPED, "every line has shipped");
  if (progress.undelivered === 0) await followShipments(tx, shipment.orderId, OrderStatus.DELIVERED, "every shipment was delivered");
}

const timeOf = (at: Date | null) => (at ? at.toISOString() : null);

/** What a tracking event tells partners: the event itself, and a new ETA or the delivery when it made them. */
function trackingEvents(before: Shipment, after: Shipment, event: TrackingEvent): NewEvent[] {
  const events = [
    shipmentEvent("shipment.tracking_event_recorded", after, {
      trackingEventId: event.id,
      status: event.status,
      occurredAt: timeOf(event.occurredAt),
      location: event.location,
      shipmentStatus: after.status,
    }),
  ];
  if (timeOf(before.estimatedDeliveryAt) !== timeOf(after.estimatedDeliveryAt)) {
    events.push(shipmentEvent("shipment.eta_changed", after, { from: timeOf(before.estimatedDeliveryAt), to: timeOf(after.estimatedDeliveryAt) }));
  }
  if (after.status === ShipmentStatus.DELIVERED && before.status !== ShipmentStatus.DELIVERED) {
    events.push(shipmentEvent("shipment.delivered", after, { deliveredAt: timeOf(after.deliveredAt) }));
  }
  return events;
}

export async function recordTrackingEvent(ctx: RequestContext, input: RecordTrackingEventInput) {
  const errors = new UserErrors();
  const description = validate.text(errors, ["input", "description"], input.description, { max: 500, label: "Description" });
  const location = input.location ? validate.text(errors, ["input", "location"], input.location, { max: 200, label: "Location" }) : null;
  const carrierCode = input.carrierCode ? validate.text(errors, ["input", "carrierCode"], input.carrierCode, { max: 40, label: "Carrier code" }) : null;
  const carrierEventId = input.carrierEventId ? validate.text(errors, ["input", "carrierEventId"], input.carrierEventId, { max: 100, label: "Carrier event id" }) : null;
  if (input.status === ShipmentStatus.PENDING) errors.add(["input", "status"], "An event reports progress; PENDING is no event", UserErrorCode.INVALID);
  if (input.occurredAt.getTime() > Date.now() + 5 * 60_000) errors.add(["input", "occurredAt"], "An event cannot be in the future", UserErrorCode.OUT_OF_RANGE);
  if (errors.any || !description) return { userErrors: errors.list };

  return mutate(ctx, async (tx) => {
    const shipment = await shipmentFor(tx, input.shipmentId);
    if (carrierEventId) {
      const earlier = await tx.db.findOneBy(TrackingEvent, { shipmentId: shipment.id, carrierEventId });
      // Carriers resend events: the same event id is recorded once and answered as before.
      if (earlier) return { shipment, event: eventView(earlier), userErrors: [] as UserError[] };
    }
    const { identifiers } = await tx.db.insert(TrackingEvent, {
      shipmentId: shipment.id,
      occurredAt: input.occurredAt,
      status: input.status,
      location: location ?? null,
      description,
      carrierCode: carrierCode ?? null,
      carrierEventId: carrierEventId ?? null,
      estimatedDeliveryAt: input.estimatedDeliveryAt ?? null,
    });
    await derive(tx, shipment);
    const event = await tx.db.findOneByOrFail(TrackingEvent, { id: identifiers[0].id as string });
    const after = await tx.db.findOneByOrFail(Shipment, { id: shipment.id });
    await recordEvents(tx, trackingEvents(shipment, after, event));
    return { shipment: after, event: eventView(event), userErrors: [] as UserError[] };
  });
}

export async function addShipmentDocument(ctx: RequestContext, input: AddShipmentDocumentInput) {
  const errors = new UserErrors();
  const number = validate.text(errors, ["input", "number"], input.number, { max: 60, label: "Document number" })?.toUpperCase();
  const portCode = input.portCode == null ? null : (validate.text(errors, ["input", "portCode"], input.portCode, { max: 6, label: "Port code" })?.toUpperCase() ?? null);
  if (portCode !== null && input.kind !== DocumentKind.EXPORT_DECLARATION) errors.add(["input", "portCode"], "Only an Indian shipping bill names a port code", UserErrorCode.INVALID);
  // Documents are dated on the exporter's calendar: in India a day begins before UTC's does.
  if (input.issueDate > exporterToday(ctx)) errors.add(["input", "issueDate"], "The issue date cannot be in the future", UserErrorCode.OUT_OF_RANGE);
  const url = validate.httpsUrl(errors, ["input", "url"], input.url, "Document URL");
  const sha256 = (input.sha256 ?? "").trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(sha256)) errors.add(["input", "sha256"], "SHA-256 is 64 hexadecimal characters", UserErrorCode.INVALID);
  if (errors.any || !number || !url) return { userErrors: errors.list };

  return mutate(ctx, async (tx) => {
    const shipment = await shipmentFor(tx, input.shipmentId);
    const checks = new UserErrors();
    if (input.kind === DocumentKind.EXPORT_DECLARATION) {
      // The declaration is the one the customs of the dispatch country give (docs/domain.md, "Export declaration numbers").
      const problem = exportDeclarationProblem(dispatchCountryOf(tx, shipment), number, portCode);
      if (problem) checks.add(["input", problem.field], problem.message, problem.missing ? UserErrorCode.REQUIRED : UserErrorCode.INVALID);
    }
    const documents = await tx.db.findBy(ShipmentDocument, { shipmentId: shipment.id });
    // Goods are cleared for export (a shipping bill's "let export order") before the airline accepts them.
    const airwayBillDates = documents.filter((d) => d.kind === DocumentKind.AIRWAY_BILL).map((d) => d.issueDate);
    const shippingBillDates = documents.filter((d) => d.kind === DocumentKind.EXPORT_DECLARATION && d.portCode !== null).map((d) => d.issueDate);
    if (input.kind === DocumentKind.EXPORT_DECLARATION && portCode !== null && airwayBillDates.some((d) => input.issueDate > d)) {
      checks.add(["input", "issueDate"], `A shipping bill is dated no later than the air waybill (issued ${airwayBillDates.sort()[0]})`, UserErrorCode.OUT_OF_RANGE);
    }
    if (input.kind === DocumentKind.AIRWAY_BILL) {
      const awb = parseIataAwb(number) ?? parseHouseAwb(number);
      if (!awb) checks.add(["input", "number"], "An air waybill document is numbered by its air waybill, e.g. 176-12345675 (or a house bill's number)", UserErrorCode.INVALID);
      else if (shipment.awbNumber !== null && awb !== shipment.awbNumber) {
        checks.add(["input", "number"], `The shipment travels under air waybill ${awbText(shipment.awbNumber, shipment.awbType!)}: its air waybill document carries that number`, UserErrorCode.INVALID);
      }
      if (shippingBillDates.some((d) => input.issueDate < d)) {
        checks.add(["input", "issueDate"], `The air waybill is dated no earlier than the shipping bill (dated ${shippingBillDates.sort().at(-1)})`, UserErrorCode.OUT_OF_RANGE);
      }
    }
    if (input.kind === DocumentKind.KIMBERLEY_PROCESS_CERTIFICATE) {
      // The Kimberley Process certifies rough diamonds; polished stones and jewellery travel on the
      // System of Warranties statement of their invoice.
      const rows = await declarationRowsByShipment(tx, null).load(shipment.id);
      if (!rows.some((r) => ROUGH_DIAMOND_SUBHEADINGS.includes(hsCodeFor(r).slice(0, 6)))) {
        checks.add(
          ["input", "kind"],
          "A Kimberley Process certificate travels only with rough diamonds (HS 7102.10, 7102.21, 7102.31), and this shipment has none: finished jewellery carries the WDC System of Warranties statement on its invoice instead",
          UserErrorCode.INVALID,
        );
      }
    }
    if (checks.any) throw new Rejected(checks.list);
    await tx.db.insert(ShipmentDocument, { shipmentId: shipment.id, kind: input.kind, number, issueDate: input.issueDate, url, sha256, portCode });
    await tx.db.update(Shipment, { id: shipment.id }, { updatedAt: () => "now()" });
    return { shipment: await tx.db.findOneByOrFail(Shipment, { id: shipment.id }), userErrors: [] as UserError[] };
  }, { unique: { shipment_documents_kind_number_key: { field: ["input", "number"], message: "This document is already on the shipment" } } });
}
