import { randomUUID } from "node:crypto";
import { ApolloServer } from "@apollo/server";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { getNamedType, isInterfaceType, Kind, parse, print, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from "graphql";
import type { RequestContext } from "../src/core/context";
import { formatError } from "../src/graphql/errors";
import { registeredNodeTypes, toGlobalId } from "../src/graphql/node";
import { buildFacetSchema } from "../src/server/schema";
import { createRequestContext, endRequest } from "../src/server/context";
import { systemScope } from "../src/db/request-scope";
import * as Op from "./generated/graphql";
import { createProduct, createVariant, dateFromToday, setPrice } from "./support/catalog-factories";
import { twoTenants, unique } from "./support/factories";
import { ok, startFacet, type GraphQLResult, type TestFacet } from "./support/harness";
import {
  buildTenantData,
  newAirwayBill,
  newDhlWaybill,
  newFedexTracking,
  newHouseAirwayBill,
  QUOTED_RING,
  snapshotOf,
  type TenantData,
} from "./support/tenancy-factories";

// The tenancy matrix. Distributor A's buyer, admin and API client (every scope) call every root
// query and mutation, and `node`/`nodes` for every registered type, with distributor B's
// identifiers: ids, order numbers, brief references, air waybills with and without the hyphen,
// house bills, tracking numbers, SKUs and search terms only B's data holds. A read must answer
// exactly as it does for an identifier nobody has (the same data and the same errors); a
// mutation must change nothing of B's and give the user errors an unknown identifier gets.
// Staff-only fields answer FORBIDDEN to A whatever is asked. The cases are keyed by field and
// checked against the built schema, so a new root field or node type without a case fails.
//
// It runs twice: through Facet as it serves requests (the services' tenant filter with
// row-level security underneath), and with row-level security out of the way, so that the
// services' own filter is shown to hold by itself.

type Principal = "buyer" | "admin" | "client";
const PRINCIPALS: Principal[] = ["buyer", "admin", "client"];

interface Call {
  doc: TypedDocumentNode<any, any>;
  vars: Record<string, unknown>;
}
const call = <TData, TVars extends Record<string, unknown>>(doc: TypedDocumentNode<TData, TVars>, vars: TVars): Call => ({ doc, vars });
/** An operation written out here rather than generated. */
const plain = (source: string) => parse(source) as TypedDocumentNode<Record<string, unknown>, Record<string, unknown>>;

interface Probe {
  name: string;
  /** The field asked with B's identifier. */
  b: Call;
  /**
   * The same question with an identifier (or term) nobody has. Left out for a broad question
   * with no identifier in it (every status, since B's data was written): then the answer must hold
   * nothing of B's, which the marker check sees.
   */
  unknown?: Call;
  /**
   * How the probe shows it is live: staff asking `b` see something of B's (a marker), or get a
   * different answer than for `unknown` (figures carry no marker); for a field staff may not read
   * (bulk exports), B's own buyer asking `b` sees something of B's ("owner").
   */
  control?: "marker" | "differs" | "owner" | "none";
}

type Case =
  | { kind: "read"; probes: (w: World) => Probe[] }
  | { kind: "write"; probes: (w: World) => Probe[] }
  /** Exporter staff only: FORBIDDEN to every principal of a distributor. */
  | { kind: "staff"; call: (w: World) => Call }
  /** Takes no identifier at all (it acts on the caller's own distributor): nothing of B's may show or change. */
  | { kind: "own"; calls: (w: World) => Call[] };

interface World {
  b: TenantData;
  /** A's own ids, for the probes that need one. */
  a: { buyerEmail: string };
  /**
   * An email nobody has, asked as often as B's: failed sign-ins lock any email alike, so the
   * two are compared at the same count.
   */
  unknownEmail: string;
  /** A moment just before B's data was written. */
  builtFrom: string;
  /** A cursor of `events` pointing at B's first event, as B's own buyer was given it. */
  bEventsCursor: string;
  /** The SKU of a variant in the catalog that no price list prices. */
  unpricedSku: string;
}

const unknownId = (type: string) => toGlobalId(type, randomUUID());
// Without the lines' descriptions: they name the shared catalog's style, which B's data names after B's marker.
const PREVIEW_ORDER = plain(
  `query TenancyPreviewOrder($input: PlaceOrderInput!) { previewOrder(input: $input) { valid total { amount currency } estimatedShipDate userErrors { field code } lines { lineNumber quantity unitPrice { amount } lineTotal { amount } fromStock madeToOrder estimatedShipDate problems { field code } } } }`,
);
const previewInput = (sku: string) => ({ idempotencyKey: unique("key"), buyerReference: "PO-PREVIEW", lines: [{ sku, quantity: 1 }] });
const unknownTerm = () => unique("nothing-here");
const withHyphen = (awb: string) => `${awb.slice(0, 3)}-${awb.slice(3)}`;
const spaced = (s: string) => s.replace(/(.{3})/g, "$1 ").trim();
const range = { from: dateFromToday(-700), to: dateFromToday(1) };
const password = "correct horse battery staple 2026";

const CASES: Record<string, Case> = {
  // ---- queries ---------------------------------------------------------------------------------
  viewer: { kind: "own", calls: () => [call(Op.TenancyViewerDocument, {}), call(Op.TenancyViewerMembersDocument, {})] },
  node: {
    kind: "read",
    probes: (w) => Object.entries(NODE_CASES).map(([type, of]) => {
      const { b, unknown, control } = of(w);
      return { name: `a ${type}`, b: call(Op.TenancyNodeDocument, b), unknown: call(Op.TenancyNodeDocument, unknown), control };
    }),
  },
  nodes: {
    kind: "read",
    probes: (w) => {
      const all = Object.values(NODE_CASES).map((of) => of(w));
      return [
        {
          name: "one of each type",
          b: call(Op.TenancyNodesDocument, { ids: all.map((c) => c.b.id), distributorId: toGlobalId("Distributor", w.b.distributor.id) }),
          unknown: call(Op.TenancyNodesDocument, { ids: all.map((c) => c.unknown.id), distributorId: unknownId("Distributor") }),
        },
      ];
    },
  },
  distributors: { kind: "staff", call: (w) => call(Op.TenancyDistributorsDocument, { filter: { search: w.b.distributor.code } }) },
  auditLog: { kind: "staff", call: (w) => call(Op.TenancyAuditLogDocument, { filter: { table: "orders", rowKey: w.b.pendingOrder.id } }) },
  order: {
    kind: "read",
    probes: (w) => [
      { name: "by id", b: call(Op.TenancyOrderByIdDocument, { id: w.b.shippedOrder.id }), unknown: call(Op.TenancyOrderByIdDocument, { id: unknownId("Order") }) },
      { name: "by number", b: call(Op.TenancyOrderByNumberDocument, { number: w.b.shippedOrder.number }), unknown: call(Op.TenancyOrderByNumberDocument, { number: unknownOrderNumber() }) },
      {
        name: "by number, lower case and padded",
        b: call(Op.TenancyOrderByNumberDocument, { number: ` ${w.b.pendingOrder.number.toLowerCase()} ` }),
        unknown: call(Op.TenancyOrderByNumberDocument, { number: ` ${unknownOrderNumber().toLowerCase()} ` }),
      },
      {
        name: "by B's shipment id taken for an order id",
        b: call(Op.TenancyOrderByIdDocument, { id: retyped(w.b.delivered.id, "Order") }),
        unknown: call(Op.TenancyOrderByIdDocument, { id: unknownId("Order") }),
        control: "none",
      },
    ],
  },
  orders: {
    kind: "read",
    probes: (w) => [
      ...[
        ["B's order number", w.b.shippedOrder.number],
        ["B's purchase-order reference", w.b.shippedOrder.buyerReference],
        ["a SKU only B has ordered", w.b.variants.own.sku],
        ["B's marker", w.b.marker],
      ].map(([name, search]) => ({
        name: `searching ${name}`,
        b: call(Op.TenancyOrdersDocument, { filter: { search } }),
        unknown: call(Op.TenancyOrdersDocument, { filter: { search: unknownTerm() } }),
      })),
      {
        name: "every status, since B's data was written, in sync order",
        b: call(Op.TenancyOrdersDocument, { filter: { status: ["PENDING", "SHIPPED"], updatedSince: w.builtFrom }, orderBy: "UPDATED" }),
      },
      {
        name: "after a cursor pointing at B's order",
        b: call(Op.TenancyOrdersDocument, { after: cursor("newest", ["2999-01-01T00:00:00.000Z", w.b.ids.pendingOrder]) }),
        unknown: call(Op.TenancyOrdersDocument, { after: cursor("newest", ["2999-01-01T00:00:00.000Z", randomUUID()]) }),
        control: "none",
      },
    ],
  },
  designBrief: {
    kind: "read",
    probes: (w) => [
      { name: "by id", b: call(Op.TenancyBriefByIdDocument, { id: w.b.briefs.quoted.id }), unknown: call(Op.TenancyBriefByIdDocument, { id: unknownId("DesignBrief") }) },
      { name: "by reference", b: call(Op.TenancyBriefByReferenceDocument, { reference: w.b.briefs.quoted.reference }), unknown: call(Op.TenancyBriefByReferenceDocument, { reference: unknownBriefReference() }) },
      {
        name: "by reference, lower case and padded",
        b: call(Op.TenancyBriefByReferenceDocument, { reference: ` ${w.b.briefs.draft.reference.toLowerCase()} ` }),
        unknown: call(Op.TenancyBriefByReferenceDocument, { reference: ` ${unknownBriefReference().toLowerCase()} ` }),
      },
    ],
  },
  designBriefs: {
    kind: "read",
    probes: (w) => [
      ...[
        ["B's brief reference", w.b.briefs.declined.reference],
        ["B's brief title", w.b.briefs.quoted.title],
        ["B's marker", w.b.marker],
      ].map(([name, search]) => ({
        name: `searching ${name}`,
        b: call(Op.TenancyBriefsDocument, { filter: { search } }),
        unknown: call(Op.TenancyBriefsDocument, { filter: { search: unknownTerm() } }),
      })),
      {
        name: "every status, since B's data was written",
        b: call(Op.TenancyBriefsDocument, { filter: { status: ["DRAFT", "QUOTED", "DECLINED"], updatedSince: w.builtFrom } }),
      },
    ],
  },
  shipment: {
    kind: "read",
    probes: (w) => {
      const { delivered, inTransit } = w.b;
      const byAwb = (name: string, b: string, unknown: string): Probe => ({
        name: `by air waybill ${name}`,
        b: call(Op.TenancyShipmentByAirwayBillDocument, { airwayBill: b }),
        unknown: call(Op.TenancyShipmentByAirwayBillDocument, { airwayBill: unknown }),
      });
      const byTracking = (name: string, b: string, unknown: string): Probe => ({
        name: `by tracking number ${name}`,
        b: call(Op.TenancyShipmentByTrackingDocument, { trackingNumber: b }),
        unknown: call(Op.TenancyShipmentByTrackingDocument, { trackingNumber: unknown }),
      });
      const otherAwb = newAirwayBill("176");
      const otherDhl = newDhlWaybill();
      return [
        { name: "by id", b: call(Op.TenancyShipmentByIdDocument, { id: delivered.id }), unknown: call(Op.TenancyShipmentByIdDocument, { id: unknownId("Shipment") }) },
        byAwb("with the hyphen", withHyphen(delivered.airwayBill), withHyphen(otherAwb)),
        byAwb("without the hyphen", delivered.airwayBill, otherAwb),
        byAwb("with a space", `${delivered.airwayBill.slice(0, 3)} ${delivered.airwayBill.slice(3)}`, `${otherAwb.slice(0, 3)} ${otherAwb.slice(3)}`),
        byAwb("of a house bill, lower case", inTransit.houseAirwayBill.toLowerCase(), newHouseAirwayBill().toLowerCase()),
        byAwb("of the master of a house bill", withHyphen(inTransit.masterAirwayBill), withHyphen(newAirwayBill("020"))),
        byTracking("(DHL)", delivered.trackingNumber, otherDhl),
        byTracking("(DHL) with spaces", spaced(delivered.trackingNumber), spaced(otherDhl)),
        byTracking("(FedEx)", inTransit.trackingNumber, newFedexTracking()),
      ].map((p) => (p.name.includes("master of a house bill") ? { ...p, control: "none" as const } : p));
    },
  },
  shipments: {
    kind: "read",
    probes: (w) => [
      {
        name: "every status, since B's data was written",
        b: call(Op.TenancyShipmentsDocument, { filter: { status: ["DELIVERED", "IN_TRANSIT"], updatedSince: w.builtFrom } }),
      },
      { name: "unfiltered", b: call(Op.TenancyShipmentsDocument, {}) },
    ],
  },
  shipmentFeedback: {
    kind: "read",
    probes: () => [
      {
        name: "answered, in B's condition",
        b: call(Op.TenancyShipmentFeedbackDocument, { filter: { unanswered: false, condition: ["MINOR_ISSUES"] } }),
      },
      { name: "unfiltered", b: call(Op.TenancyShipmentFeedbackDocument, {}) },
    ],
  },
  exportKpis: {
    kind: "read",
    probes: (w) => [
      {
        name: "for B's distributor id",
        b: call(Op.TenancyExportKpisDocument, { ...range, distributorId: toGlobalId("Distributor", w.b.distributor.id) }),
        unknown: call(Op.TenancyExportKpisDocument, { ...range, distributorId: unknownId("Distributor") }),
        control: "differs",
      },
      {
        name: "A's own figures over the days B shipped",
        b: call(Op.TenancyExportKpisDocument, range),
        unknown: call(Op.TenancyExportKpisDocument, { from: "2001-01-01", to: "2001-12-31" }),
        control: "differs",
      },
    ],
  },
  product: {
    kind: "read",
    probes: (w) => [
      {
        name: "with B's price list asked for",
        b: call(Op.TenancyProductDocument, { styleCode: w.b.variants.styleCode, distributorId: toGlobalId("Distributor", w.b.distributor.id) }),
        unknown: call(Op.TenancyProductDocument, { styleCode: w.b.variants.styleCode, distributorId: unknownId("Distributor") }),
      },
    ],
  },
  products: {
    kind: "read",
    probes: (w) => [
      {
        name: "searching a SKU priced for B alone, with B's price list asked for",
        b: call(Op.TenancyProductsDocument, { filter: { search: w.b.variants.own.sku }, distributorId: toGlobalId("Distributor", w.b.distributor.id) }),
        unknown: call(Op.TenancyProductsDocument, { filter: { search: w.b.variants.own.sku }, distributorId: unknownId("Distributor") }),
      },
    ],
  },
  variant: {
    kind: "read",
    probes: (w) =>
      (["shared", "own"] as const).map((which) => ({
        name: `${which === "own" ? "priced for B alone" : "priced for A and B"}, with B's price list asked for`,
        b: call(Op.TenancyVariantDocument, { sku: w.b.variants[which].sku.toLowerCase(), distributorId: toGlobalId("Distributor", w.b.distributor.id) }),
        unknown: call(Op.TenancyVariantDocument, { sku: w.b.variants[which].sku.toLowerCase(), distributorId: unknownId("Distributor") }),
      })),
  },
  leadTimeQuote: {
    kind: "read",
    probes: (w) => [
      {
        name: "for a variant priced for B alone, with B's price list asked for",
        b: call(Op.TenancyLeadTimeQuoteDocument, { variantId: w.b.variants.own.globalId, quantity: 3, distributorId: toGlobalId("Distributor", w.b.distributor.id) }),
        unknown: call(Op.TenancyLeadTimeQuoteDocument, { variantId: w.b.variants.own.globalId, quantity: 3, distributorId: unknownId("Distributor") }),
      },
    ],
  },

  variants: {
    kind: "read",
    probes: (w) => [
      {
        name: "the SKUs priced for B alone and for A and B, with B's price list asked for",
        b: call(Op.TenancyVariantsDocument, { filter: { skus: [w.b.variants.own.sku.toLowerCase(), w.b.variants.shared.sku] }, distributorId: bPriceList(w) }),
        unknown: call(Op.TenancyVariantsDocument, { filter: { skus: [w.b.variants.own.sku.toLowerCase(), w.b.variants.shared.sku] }, distributorId: unknownId("Distributor") }),
      },
      {
        // B's prices changed then too: A's page holds none of them, nor a change time they moved.
        // Staff's first page need not reach B's variants among those other files changed meanwhile.
        name: "changed since B's data was written, with B's price list asked for",
        b: call(Op.TenancyVariantsDocument, { filter: { updatedSince: w.builtFrom }, distributorId: bPriceList(w) }),
        control: "none",
      },
    ],
  },

  // ---- events: no identifier to ask by; A reads its own and the shared catalog's ------------------
  events: {
    kind: "own",
    calls: (w) => [
      call(Op.TenancyEventsDocument, { first: 100 }),
      call(Op.TenancyEventsDocument, { first: 100, types: B_EVENT_TYPES }),
      call(Op.TenancyEventsDocument, { first: 100, types: B_EVENT_TYPES, after: w.bEventsCursor }),
    ],
  },

  // ---- webhooks: a distributor's admins and API clients manage them, staff read them --------------
  webhookEndpoints: { kind: "own", calls: () => [call(Op.TenancyWebhookEndpointsDocument, {})] },
  webhookDeliveries: {
    kind: "read",
    probes: (w) => [
      { name: "of B's endpoint", b: call(Op.TenancyWebhookDeliveriesDocument, { endpointId: w.b.webhook.endpointId }), unknown: call(Op.TenancyWebhookDeliveriesDocument, { endpointId: unknownId("WebhookEndpoint") }) },
      {
        name: "of B's endpoint, failed",
        b: call(Op.TenancyWebhookDeliveriesDocument, { endpointId: w.b.webhook.endpointId, status: "FAILED" }),
        unknown: call(Op.TenancyWebhookDeliveriesDocument, { endpointId: unknownId("WebhookEndpoint"), status: "FAILED" }),
      },
      {
        name: "B's delivery id taken for an endpoint id",
        b: call(Op.TenancyWebhookDeliveriesDocument, { endpointId: retyped(w.b.webhook.deliveryId, "WebhookEndpoint") }),
        unknown: call(Op.TenancyWebhookDeliveriesDocument, { endpointId: unknownId("WebhookEndpoint") }),
        control: "none",
      },
      // Staff's newest failed deliveries need not reach B's among those other files wrote meanwhile.
      { name: "every failed one", b: call(Op.TenancyWebhookDeliveriesDocument, { status: "FAILED" }), control: "none" },
    ],
  },
  createWebhookEndpoint: {
    kind: "own",
    // A type none of A's requests here writes, to a port nobody listens on: nothing is delivered.
    calls: () => [call(Op.TenancyCreateWebhookEndpointDocument, { input: { url: "http://127.0.0.1:65000/hooks/own", eventTypes: ["design_brief.quoted"], description: "Own ERP" } })],
  },
  updateWebhookEndpoint: {
    kind: "write",
    probes: (w) => [
      {
        name: "B's endpoint, disabled and described anew",
        b: call(Op.TenancyUpdateWebhookEndpointDocument, { input: { id: w.b.webhook.endpointId, description: "Taken over", enabled: false } }),
        unknown: call(Op.TenancyUpdateWebhookEndpointDocument, { input: { id: unknownId("WebhookEndpoint"), description: "Taken over", enabled: false } }),
      },
      {
        name: "B's endpoint, sent elsewhere",
        b: call(Op.TenancyUpdateWebhookEndpointDocument, { input: { id: w.b.webhook.endpointId, url: "http://127.0.0.1:65001/stolen", eventTypes: ["order.placed"] } }),
        unknown: call(Op.TenancyUpdateWebhookEndpointDocument, { input: { id: unknownId("WebhookEndpoint"), url: "http://127.0.0.1:65001/stolen", eventTypes: ["order.placed"] } }),
      },
    ],
  },
  deleteWebhookEndpoint: {
    kind: "write",
    probes: (w) => [
      { name: "B's endpoint", b: call(Op.TenancyDeleteWebhookEndpointDocument, { input: { id: w.b.webhook.endpointId } }), unknown: call(Op.TenancyDeleteWebhookEndpointDocument, { input: { id: unknownId("WebhookEndpoint") } }) },
    ],
  },
  rotateWebhookSecret: {
    kind: "write",
    probes: (w) => [
      { name: "B's endpoint", b: call(Op.TenancyRotateWebhookSecretDocument, { input: { id: w.b.webhook.endpointId } }), unknown: call(Op.TenancyRotateWebhookSecretDocument, { input: { id: unknownId("WebhookEndpoint") } }) },
    ],
  },
  resendWebhookDelivery: {
    kind: "write",
    probes: (w) => [
      {
        name: "B's failed delivery",
        b: call(Op.TenancyResendWebhookDeliveryDocument, { input: { id: w.b.webhook.deliveryId } }),
        unknown: call(Op.TenancyResendWebhookDeliveryDocument, { input: { id: unknownId("WebhookDelivery") } }),
      },
    ],
  },

  // ---- bulk exports: a distributor's own files; staff may not read them ---------------------------
  bulkExport: {
    kind: "read",
    probes: (w) => [
      {
        name: "by id",
        b: call(Op.TenancyBulkExportDocument, { id: w.b.bulkExport.id }),
        unknown: call(Op.TenancyBulkExportDocument, { id: unknownId("BulkExport") }),
        control: "owner",
      },
      {
        name: "by B's order id taken for an export id",
        b: call(Op.TenancyBulkExportDocument, { id: retyped(w.b.shippedOrder.id, "BulkExport") }),
        unknown: call(Op.TenancyBulkExportDocument, { id: unknownId("BulkExport") }),
        control: "none",
      },
    ],
  },
  bulkExports: { kind: "own", calls: () => [call(Op.TenancyBulkExportsDocument, {})] },
  startBulkExport: {
    kind: "own",
    // Each start queues an export of A's own; past A's limit of exports under way, a user error.
    calls: (w) => [
      call(Op.TenancyStartBulkExportDocument, { input: { kind: "ORDERS" } }),
      call(Op.TenancyStartBulkExportDocument, { input: { kind: "SHIPMENTS", updatedSince: w.builtFrom } }),
    ],
  },

  // ---- the working calendar: the exporter's own, the same for every caller ----------------------
  workingCalendar: { kind: "own", calls: () => [call(plain(`query TenancyWorkingCalendar { workingCalendar { timeZone today weekendDays } }`), {})] },
  holidays: { kind: "own", calls: () => [call(plain(`query TenancyHolidays($from: Date!, $to: Date!) { holidays(from: $from, to: $to) { date name } }`), range)] },
  addHoliday: {
    kind: "staff",
    call: () => call(plain(`mutation TenancyAddHoliday($input: AddHolidayInput!) { addHoliday(input: $input) { holiday { date } userErrors { code } } }`), { input: { date: dateFromToday(500), name: "Tenancy" } }),
  },
  removeHoliday: {
    kind: "staff",
    call: () => call(plain(`mutation TenancyRemoveHoliday($input: RemoveHolidayInput!) { removeHoliday(input: $input) { holiday { date } userErrors { code } } }`), { input: { date: dateFromToday(500) } }),
  },

  // ---- metal fixes and exchange rates: reference data, the same for every caller ---------------
  metalPrice: { kind: "own", calls: () => [call(plain(`query TenancyMetalPrice { metalPrice(metal: GOLD) { metal pricePerTroyOunce source fixedAt } }`), {})] },
  metalPrices: {
    kind: "own",
    calls: () => [call(plain(`query TenancyMetalPrices($from: Date!, $to: Date!) { metalPrices(metal: GOLD, from: $from, to: $to, first: 5) { nodes { pricePerTroyOunce fixedAt } } }`), { from: dateFromToday(-30), to: dateFromToday(1) })],
  },
  exchangeRate: { kind: "own", calls: () => [call(plain(`query TenancyExchangeRate { exchangeRate(base: EUR, quote: USD) { base quote rate asOf inverted } }`), {})] },
  exchangeRates: {
    kind: "own",
    calls: () => [call(plain(`query TenancyExchangeRates($from: Date!, $to: Date!) { exchangeRates(base: USD, quote: EUR, from: $from, to: $to, first: 5) { nodes { rate asOf } } }`), { from: dateFromToday(-30), to: dateFromToday(1) })],
  },
  setMetalPrice: {
    kind: "staff",
    call: () =>
      call(plain(`mutation TenancySetMetalPrice($input: SetMetalPriceInput!) { setMetalPrice(input: $input) { metalPrice { fixedAt } userErrors { code } } }`), {
        input: { metal: "GOLD", pricePerTroyOunce: "4100", source: "MANUAL", fixedAt: "2020-01-01T00:00:00Z" },
      }),
  },
  setExchangeRate: {
    kind: "staff",
    call: () =>
      call(plain(`mutation TenancySetExchangeRate($input: SetExchangeRateInput!) { setExchangeRate(input: $input) { exchangeRate { asOf } userErrors { code } } }`), {
        input: { base: "USD", quote: "EUR", rate: "0.9", source: "tenancy", asOf: "2020-01-01T00:00:00Z" },
      }),
  },

  // ---- accounts --------------------------------------------------------------------------------
  login: {
    kind: "write",
    probes: (w) => [
      {
        name: "with B's admin's email and a wrong password",
        b: call(Op.TenancyLoginDocument, { input: { email: w.b.admin.email, password: "not the password" } }),
        unknown: call(Op.TenancyLoginDocument, { input: { email: w.unknownEmail, password: "not the password" } }),
      },
    ],
  },
  createUser: {
    kind: "write",
    // Emails sign people in, so they are unique across distributors: B's is as taken as one of
    // A's own, and the answer must not tell them apart.
    probes: (w) => [
      {
        name: "with the email of B's buyer",
        b: call(Op.TenancyCreateUserDocument, { input: { email: w.b.buyer.email, name: "Intruder", role: "DISTRIBUTOR_ADMIN", password } }),
        unknown: call(Op.TenancyCreateUserDocument, { input: { email: w.a.buyerEmail, name: "Intruder", role: "DISTRIBUTOR_ADMIN", password } }),
      },
    ],
  },
  deactivateUser: {
    kind: "write",
    probes: (w) => [
      { name: "B's buyer", b: call(Op.TenancyDeactivateUserDocument, { input: { id: toGlobalId("User", w.b.buyer.id) } }), unknown: call(Op.TenancyDeactivateUserDocument, { input: { id: unknownId("User") } }) },
    ],
  },
  reactivateUser: {
    kind: "write",
    probes: (w) => [
      { name: "B's deactivated user", b: call(Op.TenancyReactivateUserDocument, { input: { id: toGlobalId("User", w.b.inactive.id) } }), unknown: call(Op.TenancyReactivateUserDocument, { input: { id: unknownId("User") } }) },
    ],
  },
  createApiClient: { kind: "own", calls: () => [call(Op.TenancyCreateApiClientDocument, { input: { name: "Own ERP", scopes: ["ORDERS_READ"] } })] },
  revokeApiClient: {
    kind: "write",
    probes: (w) => [
      { name: "B's API client", b: call(Op.TenancyRevokeApiClientDocument, { input: { id: toGlobalId("ApiClient", w.b.ids.client) } }), unknown: call(Op.TenancyRevokeApiClientDocument, { input: { id: unknownId("ApiClient") } }) },
    ],
  },
  rotateApiClientSecret: {
    kind: "write",
    probes: (w) => [
      {
        name: "B's API client",
        b: call(Op.TenancyRotateApiClientSecretDocument, { input: { id: toGlobalId("ApiClient", w.b.ids.client) } }),
        unknown: call(Op.TenancyRotateApiClientSecretDocument, { input: { id: unknownId("ApiClient") } }),
      },
    ],
  },

  // ---- catalog (staff) -------------------------------------------------------------------------
  upsertProduct: {
    kind: "staff",
    call: (w) => call(Op.TenancyUpsertProductDocument, { input: { styleCode: w.b.variants.styleCode, name: "Taken over", category: "RING", metal: "GOLD", fineness: 750, hsCode: "7113.19", countryOfOrigin: "IN", standardLeadTimeDays: 5 } }),
  },
  upsertVariant: {
    kind: "staff",
    call: (w) => call(Op.TenancyUpsertVariantDocument, { input: { productId: unknownId("Product"), sku: w.b.variants.own.sku, metalWeightGrams: "1.000" } }),
  },
  adjustStock: { kind: "staff", call: (w) => call(Op.TenancyAdjustStockDocument, { input: { variantId: w.b.variants.own.globalId, delta: -1, reason: "taken" } }) },
  scheduleProductionBatch: {
    kind: "staff",
    call: (w) => call(Op.TenancyScheduleProductionBatchDocument, { input: { variantId: w.b.variants.own.globalId, quantity: 1, readyDate: dateFromToday(30) } }),
  },
  setPrice: {
    kind: "staff",
    call: (w) => call(Op.TenancySetPriceDocument, { input: { distributorId: toGlobalId("Distributor", w.b.distributor.id), variantId: w.b.variants.own.globalId, amount: "1.00", currency: w.b.distributor.currency } }),
  },
  setQuantityBreaks: {
    kind: "staff",
    call: (w) =>
      call(plain(`mutation TenancySetQuantityBreaks($input: SetQuantityBreaksInput!) { setQuantityBreaks(input: $input) { quantityBreaks { minQuantity } userErrors { code } } }`), {
        input: { distributorId: toGlobalId("Distributor", w.b.distributor.id), productId: unknownId("Product"), breaks: [{ minQuantity: 2, unitPrice: "1.00" }] },
      }),
  },

  // ---- orders ----------------------------------------------------------------------------------
  placeOrder: {
    kind: "write",
    // Idempotency keys are per distributor: B's key must not replay B's order to A.
    probes: (w) => [
      {
        name: "with B's idempotency key and B's very input",
        b: call(Op.TenancyPlaceOrderDocument, { input: w.b.placed.input }),
        unknown: call(Op.TenancyPlaceOrderDocument, { input: { ...w.b.placed.input, idempotencyKey: unique("key") } }),
      },
    ],
  },
  // Queries that take an order's input and write nothing. Which SKUs exist is the shared
  // catalog's (as `variant(sku:)` shows); B's price is B's: a SKU priced for B alone reads exactly
  // as a SKU A's price list lacks, and a SKU priced for both shows A's price alone.
  previewOrder: {
    kind: "read",
    probes: (w) => [
      {
        name: "a SKU priced for B alone, lower case",
        b: call(PREVIEW_ORDER, { input: previewInput(w.b.variants.own.sku.toLowerCase()) }),
        unknown: call(PREVIEW_ORDER, { input: previewInput(w.unpricedSku.toLowerCase()) }),
        control: "owner",
      },
      { name: "a SKU priced for A and B", b: call(PREVIEW_ORDER, { input: previewInput(w.b.variants.shared.sku) }), control: "owner" },
      {
        name: "with B's idempotency key and B's very input",
        b: call(PREVIEW_ORDER, { input: w.b.placed.input }),
        unknown: call(PREVIEW_ORDER, { input: { ...w.b.placed.input, idempotencyKey: unique("key") } }),
        control: "owner",
      },
    ],
  },
  importOrderLines: { kind: "own", calls: (w) => [call(plain(`query TenancyImportOrderLines($csv: String!) { importOrderLines(input: { csv: $csv }) { lines { sku quantity } rowErrors { row } } }`), { csv: `sku,quantity\n${w.b.variants.own.sku},1\n` })] },
  reorder: {
    kind: "write",
    probes: (w) => [
      {
        name: "B's order",
        b: call(Op.TenancyReorderDocument, { input: { orderId: w.b.shippedOrder.id, idempotencyKey: unique("key") } }),
        unknown: call(Op.TenancyReorderDocument, { input: { orderId: unknownId("Order"), idempotencyKey: unique("key") } }),
      },
    ],
  },
  cancelOrder: {
    kind: "write",
    probes: (w) => [
      { name: "B's pending order", b: call(Op.TenancyCancelOrderDocument, { input: { id: w.b.pendingOrder.id, reason: "taken" } }), unknown: call(Op.TenancyCancelOrderDocument, { input: { id: unknownId("Order"), reason: "taken" } }) },
    ],
  },
  confirmOrder: { kind: "staff", call: (w) => call(Op.TenancyConfirmOrderDocument, { input: { id: w.b.pendingOrder.id } }) },
  advanceOrderStatus: { kind: "staff", call: (w) => call(Op.TenancyAdvanceOrderStatusDocument, { input: { id: w.b.pendingOrder.id, status: "IN_PRODUCTION" } }) },
  markOrderLineReady: {
    kind: "staff",
    // Written out: test/generated predates the mutation.
    call: (w) =>
      call(parse(`mutation ($input: MarkOrderLineReadyInput!) { markOrderLineReady(input: $input) { order { id } userErrors { field code } } }`) as TypedDocumentNode<any, any>, {
        input: { orderId: w.b.shippedOrder.id, lineNumber: 1, quantity: 1 },
      }),
  },

  // ---- design briefs ---------------------------------------------------------------------------
  createDesignBrief: { kind: "own", calls: () => [call(Op.TenancyCreateDesignBriefDocument, { input: { title: "Own idea", category: "PENDANT", metal: "SILVER", fineness: 925, quantity: 10 } })] },
  updateDesignBrief: {
    kind: "write",
    probes: (w) => {
      const { id, version } = w.b.briefs.draft;
      return [
        {
          name: "B's draft, at its version",
          b: call(Op.TenancyUpdateDesignBriefDocument, { input: { id, expectedVersion: version, title: "Taken over" } }),
          unknown: call(Op.TenancyUpdateDesignBriefDocument, { input: { id: unknownId("DesignBrief"), expectedVersion: version, title: "Taken over" } }),
        },
        {
          name: "B's draft, at a stale version",
          b: call(Op.TenancyUpdateDesignBriefDocument, { input: { id, expectedVersion: version + 7, title: "Taken over" } }),
          unknown: call(Op.TenancyUpdateDesignBriefDocument, { input: { id: unknownId("DesignBrief"), expectedVersion: version + 7, title: "Taken over" } }),
        },
      ];
    },
  },
  submitDesignBrief: { kind: "write", probes: (w) => briefAction(Op.TenancySubmitDesignBriefDocument, w.b.briefs.draft) },
  withdrawDesignBrief: { kind: "write", probes: (w) => briefAction(Op.TenancyWithdrawDesignBriefDocument, w.b.briefs.quoted) },
  acceptDesignBriefQuote: { kind: "write", probes: (w) => briefAction(Op.TenancyAcceptDesignBriefQuoteDocument, w.b.briefs.quoted) },
  declineDesignBriefQuote: { kind: "write", probes: (w) => briefAction(Op.TenancyDeclineDesignBriefQuoteDocument, w.b.briefs.quoted) },
  requestDesignBriefRevision: {
    kind: "write",
    probes: (w) => [
      {
        name: "B's declined brief",
        b: call(Op.TenancyRequestDesignBriefRevisionDocument, { input: { id: w.b.briefs.declined.id, expectedVersion: w.b.briefs.declined.version, comment: "Another round" } }),
        unknown: call(Op.TenancyRequestDesignBriefRevisionDocument, { input: { id: unknownId("DesignBrief"), expectedVersion: w.b.briefs.declined.version, comment: "Another round" } }),
      },
    ],
  },
  addDesignBriefComment: {
    kind: "write",
    probes: (w) => [
      {
        name: "on B's brief",
        b: call(Op.TenancyAddDesignBriefCommentDocument, { input: { briefId: w.b.briefs.quoted.id, body: "Hello from A" } }),
        unknown: call(Op.TenancyAddDesignBriefCommentDocument, { input: { briefId: unknownId("DesignBrief"), body: "Hello from A" } }),
      },
      {
        name: "an internal note on B's brief",
        b: call(Op.TenancyAddDesignBriefCommentDocument, { input: { briefId: w.b.briefs.quoted.id, body: "Hello from A", internal: true } }),
        unknown: call(Op.TenancyAddDesignBriefCommentDocument, { input: { briefId: unknownId("DesignBrief"), body: "Hello from A", internal: true } }),
      },
    ],
  },
  startDesignBriefReview: { kind: "staff", call: (w) => call(Op.TenancyStartDesignBriefReviewDocument, { input: { id: w.b.briefs.draft.id, expectedVersion: w.b.briefs.draft.version } }) },
  quoteDesignBrief: {
    kind: "staff",
    call: (w) =>
      call(Op.TenancyQuoteDesignBriefDocument, {
        input: {
          id: w.b.briefs.quoted.id,
          expectedVersion: w.b.briefs.quoted.version,
          leadTimeDays: 1,
          unitPrice: { amount: "1.00", currency: w.b.distributor.currency },
          validUntil: dateFromToday(5),
          ...QUOTED_RING,
        },
      }),
  },

  // ---- shipments (staff) -----------------------------------------------------------------------
  createShipment: {
    kind: "staff",
    call: (w) =>
      call(Op.TenancyCreateShipmentDocument, {
        // namedPlace is required since the export terms were recorded (cast until test/generated catches up).
        input: { orderId: w.b.shippedOrder.id, carrier: "UPS", service: "x", namedPlace: "Paris", packages: [{ netWeightKg: "1", grossWeightKg: "1", lengthCm: 1, widthCm: 1, heightCm: 1 }] } as Op.CreateShipmentInput,
      }),
  },
  setAirwayBill: { kind: "staff", call: (w) => call(Op.TenancySetAirwayBillDocument, { input: { shipmentId: w.b.delivered.id, number: newAirwayBill(), type: "MASTER" } }) },
  setTrackingNumber: { kind: "staff", call: (w) => call(Op.TenancySetTrackingNumberDocument, { input: { shipmentId: w.b.delivered.id, trackingNumber: newDhlWaybill() } }) },
  recordTrackingEvent: {
    kind: "staff",
    call: (w) => call(Op.TenancyRecordTrackingEventDocument, { input: { shipmentId: w.b.inTransit.id, occurredAt: new Date().toISOString(), status: "EXCEPTION", description: "Lost" } }),
  },
  addShipmentDocument: {
    kind: "staff",
    call: (w) =>
      call(Op.TenancyAddShipmentDocumentDocument, {
        input: { shipmentId: w.b.delivered.id, kind: "PACKING_LIST", number: "PL-1", issueDate: dateFromToday(0), url: "https://docs.example/pl.pdf", sha256: "cd".repeat(32) },
      }),
  },

  // ---- feedback --------------------------------------------------------------------------------
  submitShipmentFeedback: {
    kind: "write",
    probes: (w) => [
      {
        name: "on B's delivered shipment",
        b: call(Op.TenancySubmitShipmentFeedbackDocument, { input: { shipmentId: w.b.delivered.id, rating: 1, condition: "DAMAGED", issues: ["DAMAGED_ITEM"], comment: "Smashed" } }),
        unknown: call(Op.TenancySubmitShipmentFeedbackDocument, { input: { shipmentId: unknownId("Shipment"), rating: 1, condition: "DAMAGED", issues: ["DAMAGED_ITEM"], comment: "Smashed" } }),
      },
    ],
  },
  updateShipmentFeedback: {
    kind: "write",
    probes: (w) => [
      {
        name: "B's report",
        b: call(Op.TenancyUpdateShipmentFeedbackDocument, { input: { id: w.b.feedback.id, rating: 1, condition: "PRISTINE" } }),
        unknown: call(Op.TenancyUpdateShipmentFeedbackDocument, { input: { id: unknownId("ShipmentFeedback"), rating: 1, condition: "PRISTINE" } }),
      },
    ],
  },
  respondToFeedback: { kind: "staff", call: (w) => call(Op.TenancyRespondToFeedbackDocument, { input: { id: w.b.feedback.id, response: "Taken over" } }) },
};

/**
 * `node(id:)` for every registered type. For a distributor's objects, B's id against an unknown
 * id of the same type; the catalog is shared, so for its styles and variants the question is B's
 * price list against an unknown one.
 */
type NodeVars = { id: string; distributorId: string };
type NodeCase = (w: World) => { b: NodeVars; unknown: NodeVars; control?: Probe["control"] };
const bPriceList = (w: World) => toGlobalId("Distributor", w.b.distributor.id);
const owned = (type: string, id: (w: World) => string, control?: Probe["control"]): NodeCase => (w) => ({
  b: { id: id(w), distributorId: bPriceList(w) },
  unknown: { id: unknownId(type), distributorId: unknownId("Distributor") },
  control,
});
const catalog = (id: (w: World) => string): NodeCase => (w) => ({
  b: { id: id(w), distributorId: bPriceList(w) },
  unknown: { id: id(w), distributorId: unknownId("Distributor") },
});
const NODE_CASES: Record<string, NodeCase> = {
  Distributor: owned("Distributor", (w) => toGlobalId("Distributor", w.b.distributor.id)),
  User: owned("User", (w) => toGlobalId("User", w.b.admin.id)),
  ApiClient: owned("ApiClient", (w) => toGlobalId("ApiClient", w.b.ids.client)),
  Order: owned("Order", (w) => w.b.shippedOrder.id),
  DesignBrief: owned("DesignBrief", (w) => w.b.briefs.quoted.id),
  Shipment: owned("Shipment", (w) => w.b.delivered.id),
  ShipmentFeedback: owned("ShipmentFeedback", (w) => w.b.feedback.id),
  Product: catalog((w) => w.b.ids.product),
  Variant: catalog((w) => w.b.variants.own.globalId),
  WebhookEndpoint: owned("WebhookEndpoint", (w) => w.b.webhook.endpointId),
  WebhookDelivery: owned("WebhookDelivery", (w) => w.b.webhook.deliveryId),
  // Staff may not read exports: B's own buyer shows the probe is live.
  BulkExport: owned("BulkExport", (w) => w.b.bulkExport.id, "owner"),
};

function briefAction(doc: TypedDocumentNode<any, { input: { id: string; expectedVersion: number } }>, brief: { id: string; version: number }): Probe[] {
  return [{ name: "B's brief, at its version", b: call(doc, { input: { id: brief.id, expectedVersion: brief.version } }), unknown: call(doc, { input: { id: unknownId("DesignBrief"), expectedVersion: brief.version } }) }];
}

/** The types of event B's data wrote: a distributor's own, none of the shared catalog's. */
const B_EVENT_TYPES = ["order.placed", "order.confirmed", "order.status_changed", "shipment.created", "shipment.tracking_event_recorded", "shipment.delivered", "design_brief.status_changed", "design_brief.quoted", "design_brief.commented", "feedback.submitted", "feedback.answered"];

const unknownOrderNumber = () => `EXP-1999-${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;
const unknownBriefReference = () => `DB-1999-${String(Math.floor(Math.random() * 1e4)).padStart(4, "0")}`;
const cursor = (ordering: string, keys: string[]) => Buffer.from(JSON.stringify({ o: ordering, k: keys }), "utf8").toString("base64url");
/** A global id of one type re-labelled as another. */
const retyped = (globalId: string, type: string) => toGlobalId(type, Buffer.from(globalId, "base64url").toString("utf8").split(":")[1]);

// ---- running it --------------------------------------------------------------------------------

let facet: TestFacet;
let schema: GraphQLSchema;
let world: World;
let tokens: Record<Principal, string>;
let staffToken: string;
let supportToken: string;
/** Strings that belong to B alone: ids (raw and global), numbers, bills, emails, prices, texts. */
let markers: string[];
let withoutRls: ApolloServer<RequestContext>;

beforeAll(async () => {
  // The matrix sends many requests per principal; the budget is not what is tested here.
  facet = await startFacet({
    RATE_LIMIT_POINTS: "10000000",
    RATE_LIMIT_RESTORE_PER_SECOND: "1000000",
    RATE_LIMIT_DISTRIBUTOR_POINTS: "10000000",
    RATE_LIMIT_DISTRIBUTOR_RESTORE_PER_SECOND: "1000000",
  });
  schema = await buildFacetSchema();
  // Other test files share the database: a broad question asked from this moment on sees B's
  // rows on its first page, however many rows those files wrote before.
  const builtFrom = new Date(Date.now() - 1000).toISOString();
  const tenants = await twoTenants(facet.dataSource, facet.config);
  const b = await buildTenantData(facet, tenants.b, tenants.staff);
  // A has a contract price of its own on the variant both may buy, and none on B's other one.
  await setPrice(facet.dataSource, tenants.a.distributor, { id: b.variants.shared.id } as never, "123.45");
  // Made as B's own variant is, with no price at all.
  const unpriced = await createVariant(facet.dataSource, await createProduct(facet.dataSource), { onHand: 50 });
  world = { b, a: { buyerEmail: tenants.a.buyer.email }, unknownEmail: `${unique("nobody")}@test.example`, builtFrom, bEventsCursor: await cursorAtEventsOf(b), unpricedSku: unpriced.sku };
  tokens = tenants.a.tokens;
  staffToken = tenants.staff.manager;
  supportToken = tenants.staff.support;
  markers = await markersOf(b);

  // Facet's own schema, resolvers and error masking, without Facet's plugins.
  withoutRls = new ApolloServer<RequestContext>({ schema, formatError, includeStacktraceInErrorResponses: false });
  await withoutRls.start();
}, 120_000);

afterAll(async () => {
  await withoutRls?.stop();
  await facet.stop();
});

/**
 * A cursor of `events` at B's first event, from B's own buyer. `events` stops at the sync horizon,
 * which another test file's open transaction can hold before B's events for seconds: ask again
 * until it has passed them (up to 30 s).
 */
async function cursorAtEventsOf(b: TenantData): Promise<string> {
  for (let attempt = 0; attempt < 60; attempt++) {
    const page = ok(await facet.gql(Op.TenancyEventsDocument, { first: 100, types: B_EVENT_TYPES }, { token: b.tokens.buyer })).events;
    if (page?.pageInfo.startCursor) return page.pageInfo.startCursor;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error("B's buyer never saw B's events");
}

async function markersOf(b: TenantData): Promise<string[]> {
  const snapshot = await snapshotOf(facet, b.distributor.id);
  const ids = new Set<string>();
  for (const rows of Object.values(snapshot)) for (const row of rows as { id?: string }[]) if (row.id) ids.add(row.id);
  const types = registeredNodeTypes();
  return [
    ...ids,
    ...[...ids].flatMap((id) => types.map((type) => toGlobalId(type, id))),
    b.marker,
    b.distributor.code,
    b.distributor.name,
    b.shippedOrder.number,
    b.pendingOrder.number,
    ...Object.values(b.briefs).map((r) => r.reference),
    b.delivered.airwayBill,
    withHyphen(b.delivered.airwayBill),
    b.delivered.trackingNumber,
    b.delivered.documentNumber,
    b.inTransit.houseAirwayBill,
    b.inTransit.masterAirwayBill,
    withHyphen(b.inTransit.masterAirwayBill),
    b.inTransit.trackingNumber,
    b.buyer.email,
    b.admin.email,
    b.inactive.email,
    b.clientId,
    b.prices.shared,
    b.prices.own,
    b.bulkExport.sha256,
  ];
}

/** Every B marker found in an answer: long ones anywhere in a string, short ones (prices) as a whole value. */
function leaksIn(answer: unknown): string[] {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === "string") {
      for (const m of markers) if (m.length >= 12 ? value.includes(m) : value === m) found.add(m);
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === "object") Object.values(value).forEach(visit);
  };
  visit(answer);
  return [...found];
}

type Mode = "through Facet" | "tenant filter alone";

async function run(mode: Mode, { doc, vars }: Call, token: string): Promise<GraphQLResult<unknown>> {
  if (mode === "through Facet") return facet.gql(doc, vars, { token });
  const contextValue = await createRequestContext({ config: facet.config, dataSource: facet.dataSource }, { authorization: `Bearer ${token}`, requestId: "tenancy", ip: "127.0.0.1" });
  // Back in the system's scope, which row-level security lets see everything: only the services'
  // tenant filter stands. Without Facet's plugin nobody else gives the request's connection back.
  await systemScope(contextValue.db);
  const response = await withoutRls.executeOperation({ query: print(doc), variables: vars }, { contextValue }).finally(() => endRequest(contextValue));
  if (response.body.kind !== "single") throw new Error("unexpected incremental response");
  return response.body.singleResult as GraphQLResult<unknown>;
}

/** What a client learns from an answer: its data and errors (the rate-limit report aside). */
const answer = (result: GraphQLResult<unknown>) => ({ data: result.data ?? null, errors: result.errors ?? [] });

function rootField(doc: DocumentNode): string {
  const operation = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const first = operation.selectionSet.selections[0];
  return first.kind === Kind.FIELD ? first.name.value : "?";
}

function callsOf(c: Case): Call[] {
  if (c.kind === "staff") return [c.call(world)];
  if (c.kind === "own") return c.calls(world);
  return c.probes(world).flatMap((p) => (p.unknown ? [p.b, p.unknown] : [p.b]));
}

describe("the tenancy matrix covers the schema", () => {
  it("has a case for every root query and mutation, and none for a field that is gone", () => {
    const fields = [...Object.keys(schema.getQueryType()!.getFields()), ...Object.keys(schema.getMutationType()!.getFields())].sort();
    expect({ withoutCase: fields.filter((f) => !(f in CASES)) }).toEqual({ withoutCase: [] });
    expect({ stale: Object.keys(CASES).filter((f) => !fields.includes(f)) }).toEqual({ stale: [] });
  });

  it("has a node case for every registered node type, and every type implementing Node is registered", () => {
    const registered = registeredNodeTypes().sort();
    expect({ withoutCase: registered.filter((t) => !(t in NODE_CASES)) }).toEqual({ withoutCase: [] });
    expect({ stale: Object.keys(NODE_CASES).filter((t) => !registered.includes(t)) }).toEqual({ stale: [] });
    const node = schema.getType("Node");
    if (!node || !isInterfaceType(node)) throw new Error("no Node interface");
    expect(schema.getPossibleTypes(node).map((t) => t.name).sort()).toEqual(registered);
  });

  it("asks each field what its case says: every call's operation selects that field", () => {
    const misfiled = Object.entries(CASES).flatMap(([field, c]) => callsOf(c).map((one) => rootField(one.doc)).filter((f) => f !== field).map((f) => `${field} case calls ${f}`));
    expect(misfiled).toEqual([]);
  });

  it("calls staff-only fields the fields that are for staff alone", () => {
    // A case of kind "staff" is right only if the field's access rule names no distributor role or scope.
    const access = (name: string) => {
      const field = schema.getQueryType()!.getFields()[name] ?? schema.getMutationType()!.getFields()[name];
      return (field.extensions as { access?: string[] }).access ?? [];
    };
    const staffOnly = Object.keys(CASES)
      .filter((f) => access(f).every((rule) => rule === "EXPORT_MANAGER" || rule === "SUPPORT"))
      .sort();
    expect(Object.entries(CASES).filter(([, c]) => c.kind === "staff").map(([f]) => f).sort()).toEqual(staffOnly);
    expect(getNamedType(schema.getQueryType()!.getFields().node.type).name).toBe("Node");
  });

  it("asks live questions: staff (or, where staff may not read, B's own buyer) asking with B's identifiers do find B's things", async () => {
    // Lists in update order stop at the sync horizon, which another test file's open transaction
    // can hold before B's rows for seconds: ask again until it has passed them (up to 15 s).
    let dead = await deadProbes();
    for (let attempt = 0; dead.length > 0 && attempt < 30; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      dead = await deadProbes();
    }
    expect(dead).toEqual([]);
  }, 120_000);
});

/** The read probes that staff (or B's own buyer, for "owner"), asking with B's identifiers, find nothing of B's with. */
async function deadProbes(): Promise<string[]> {
  const dead: string[] = [];
  for (const [field, c] of Object.entries(CASES)) {
    if (c.kind !== "read") continue;
    for (const probe of c.probes(world)) {
      if (probe.control === "none") continue;
      const seen = answer(await run("through Facet", probe.b, probe.control === "owner" ? world.b.tokens.buyer : staffToken));
      if (seen.errors.length) dead.push(`${field} ${probe.name}: ${JSON.stringify(seen.errors)}`);
      else if (probe.control === "differs") {
        if (!probe.unknown || JSON.stringify(seen) === JSON.stringify(answer(await run("through Facet", probe.unknown, staffToken)))) dead.push(`${field} ${probe.name}: same answer as unknown`);
      } else if (leaksIn(seen).length === 0) dead.push(`${field} ${probe.name}: nothing of B's`);
    }
  }
  return dead;
}

describe("support staff", () => {
  it("read every distributor but may call no mutation except login: each answers FORBIDDEN and B is unchanged", async () => {
    const mutations = Object.keys(schema.getMutationType()!.getFields()).filter((f) => f !== "login");
    const before = await snapshotOf(facet, world.b.distributor.id);
    const allowed: string[] = [];
    for (const field of mutations) {
      const got = answer(await run("through Facet", callsOf(CASES[field])[0], supportToken));
      if (JSON.stringify(got.errors.map((e) => e.extensions?.code)) !== '["FORBIDDEN"]') allowed.push(`${field}: ${JSON.stringify(got)}`);
    }
    expect(allowed).toEqual([]);
    expect(await snapshotOf(facet, world.b.distributor.id)).toEqual(before);
  }, 60_000);
});

for (const mode of ["through Facet", "tenant filter alone"] as const) {
  describe(`tenancy matrix, ${mode}`, () => {
    for (const [field, c] of Object.entries(CASES)) {
      it(`${field} (${c.kind})`, async () => {
        const before = c.kind === "read" ? undefined : await snapshotOf(facet, world.b.distributor.id);
        const failures: string[] = [];
        for (const who of PRINCIPALS) {
          const token = tokens[who];
          if (c.kind === "staff") {
            const got = answer(await run(mode, c.call(world), token));
            const codes = got.errors.map((e) => e.extensions?.code);
            const empty = got.data === null || Object.values(got.data as object).every((value) => value === null);
            if (JSON.stringify(codes) !== '["FORBIDDEN"]' || !empty) failures.push(`${who}: expected FORBIDDEN and no data, got ${JSON.stringify(got)}`);
          } else if (c.kind === "own") {
            for (const one of c.calls(world)) {
              const leaks = leaksIn(answer(await run(mode, one, token)));
              if (leaks.length) failures.push(`${who}: B's ${leaks.join(", ")} in the answer`);
            }
          } else {
            for (const probe of c.probes(world)) {
              const theirs = answer(await run(mode, probe.b, token));
              if (probe.unknown) {
                const nobodys = answer(await run(mode, probe.unknown, token));
                if (JSON.stringify(theirs) !== JSON.stringify(nobodys)) {
                  failures.push(`${who}, ${probe.name}: answers ${JSON.stringify(theirs)} but for an unknown one ${JSON.stringify(nobodys)}`);
                }
              }
              const leaks = leaksIn(theirs);
              if (leaks.length) failures.push(`${who}, ${probe.name}: B's ${leaks.join(", ")} in the answer`);
            }
          }
        }
        if (before) expect(await snapshotOf(facet, world.b.distributor.id)).toEqual(before);
        expect(failures).toEqual([]);
      }, 60_000);
    }
  });
}
