import type { LoaderFactory } from "../../db/loaders";
import { childPageLoader, groupLoader, keyedRows, rowLoader, type PageKey } from "../../db/loaders";
import { rowsOf } from "../../db/rows";
import { tenantQuery } from "../../db/tenancy";
import { multiply } from "../../graphql/money";
import type { CompositionRow, Metal, Plating, StoneRow } from "../catalog";
import { Shipment, ShipmentDocument, TrackingEvent } from "./shipment.entity";

export const shipmentById: LoaderFactory<string, Shipment | null> = (ctx) =>
  rowLoader((ids) => rowsOf(ctx.db, Shipment, tenantQuery(ctx, Shipment, "s").andWhere("s.id = ANY(:ids)", { ids })), (s) => s.id);

export const shipmentsByOrder: LoaderFactory<string, Shipment[]> = (ctx, projection) =>
  groupLoader(
    keyedRows(ctx, Shipment, projection, { from: "shipments", key: "order_id", tenant: "distributor_id", orderBy: "created_at, id" }),
    (s) => s.orderId,
  );

// Events and documents are reached only through a shipment the caller may see.

/**
 * A page of events per shipment, newest first by when they happened (carriers send events late
 * and out of order; the recording order only breaks ties): one query for every shipment asking
 * for the same page.
 */
export const eventPages: LoaderFactory<PageKey, TrackingEvent[]> = (ctx, projection) =>
  childPageLoader(ctx.db, TrackingEvent, projection, {
    table: "tracking_events",
    parentColumn: "shipment_id",
    parentKey: (e) => e.shipmentId,
    order: [
      { column: "occurred_at", type: "timestamptz" },
      { column: "seq", type: "bigint" },
    ],
    direction: "DESC",
  });


export const documentsByShipment: LoaderFactory<string, ShipmentDocument[]> = (ctx) =>
  groupLoader(
    (ids) => rowsOf(ctx.db, ShipmentDocument, ctx.db.createQueryBuilder(ShipmentDocument, "d").where("d.shipmentId = ANY(:ids)", { ids }).orderBy("d.seq")),
    (d) => d.shipmentId,
  );

/**
 * What a shipped line is, for the declaration, the invoice and the packing list: its tariff facts
 * from the catalog (none for a design brief's exclusive piece), and what one piece is made of as
 * the line was placed (order_lines.composition: the style with the buyer's customization, or the
 * brief's accepted quote), never the catalog as it is now.
 */
export interface DeclarationRow {
  shipmentId: string;
  lineNumber: number;
  sku: string;
  description: string;
  quantity: number;
  unitPrice: string;
  /** The shipped units at the order's unit price: the part of the order line this shipment invoices. */
  lineTotal: string;
  hsCode: string | null;
  countryOfOrigin: string | null;
  metal: Metal | null;
  fineness: number | null;
  plating: Plating | null;
  /** Karat of a gold plating; null for other platings. */
  platingKarat: number | null;
  /** Plating thickness in microns; null without plating. */
  platingThicknessMicrons: string | null;
  /** Metal weight of one piece in grams; null only for lines placed before it was recorded. */
  metalWeightGrams: string | null;
  /** The stones of one piece. */
  stones: StoneRow[];
}

export const declarationRowsByShipment: LoaderFactory<string, DeclarationRow[]> = (ctx) =>
  groupLoader(
    async (ids) => {
      const rows = (await ctx.db.query(
        `SELECT sl.shipment_id, ol.line_number, ol.sku, ol.description, sl.quantity, ol.unit_price, ol.composition, p.hs_code, p.country_of_origin
         FROM shipment_lines sl
         JOIN order_lines ol ON ol.id = sl.order_line_id
         LEFT JOIN variants v ON v.id = ol.variant_id
         LEFT JOIN products p ON p.id = v.product_id
         WHERE sl.shipment_id = ANY($1)
         ORDER BY sl.shipment_id, ol.line_number`,
        [ids],
      )) as Record<string, unknown>[];
      return rows.map((r): DeclarationRow => {
        const piece = r.composition as CompositionRow;
        return {
          shipmentId: r.shipment_id as string,
          lineNumber: r.line_number as number,
          sku: r.sku as string,
          description: r.description as string,
          quantity: r.quantity as number,
          unitPrice: r.unit_price as string,
          lineTotal: multiply(r.unit_price as string, r.quantity as number),
          hsCode: r.hs_code as string | null,
          countryOfOrigin: r.country_of_origin as string | null,
          metal: piece.metal,
          fineness: piece.fineness,
          plating: piece.plating.type,
          platingKarat: piece.plating.karat,
          platingThicknessMicrons: piece.plating.thicknessMicrons,
          metalWeightGrams: piece.metalWeightGrams,
          stones: piece.stones,
        };
      });
    },
    (r) => r.shipmentId,
  );
