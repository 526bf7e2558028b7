import type { LoaderFactory } from "../../db/loaders";
import { childPageLoader, groupLoader, keyedRows, rowLoader, type PageKey } from "../../db/loaders";
import { rowsOf } from "../../db/rows";
import { tenantQuery } from "../../db/tenancy";
import { multiply } from "../../graphql/money";
import type { Metal, Plating, StoneRow } from "../catalog";
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

/** What a shipped line is, for the declaration: the catalog's facts, or the brief's for an exclusive piece. */
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
  metalWeightGrams: string | null;
  stones: StoneRow[];
}

export const declarationRowsByShipment: LoaderFactory<string, DeclarationRow[]> = (ctx) =>
  groupLoader(
    async (ids) => {
      const rows = (await ctx.db.query(
        `SELECT sl.shipment_id, ol.line_number, ol.sku, ol.description, sl.quantity, ol.unit_price,
                p.hs_code, p.country_of_origin, COALESCE(p.metal, b.metal) AS metal, COALESCE(p.fineness, b.fineness) AS fineness,
                COALESCE(p.plating, b.plating) AS plating, v.metal_weight_grams, COALESCE(p.stones, b.stones, '[]'::jsonb) AS stones
         FROM shipment_lines sl
         JOIN order_lines ol ON ol.id = sl.order_line_id
         JOIN orders o ON o.id = ol.order_id
         LEFT JOIN variants v ON v.id = ol.variant_id
         LEFT JOIN products p ON p.id = v.product_id
         LEFT JOIN design_briefs b ON b.id = o.design_brief_id AND ol.variant_id IS NULL
         WHERE sl.shipment_id = ANY($1)
         ORDER BY sl.shipment_id, ol.line_number`,
        [ids],
      )) as Record<string, unknown>[];
      return rows.map(
        (r): DeclarationRow => ({
          shipmentId: r.shipment_id as string,
          lineNumber: r.line_number as number,
          sku: r.sku as string,
          description: r.description as string,
          quantity: r.quantity as number,
          unitPrice: r.unit_price as string,
          lineTotal: multiply(r.unit_price as string, r.quantity as number),
          hsCode: r.hs_code as string | null,
          countryOfOrigin: r.country_of_origin as string | null,
          metal: r.metal as Metal | null,
          fineness: r.fineness as number | null,
          plating: r.plating as Plating | null,
          metalWeightGrams: r.metal_weight_grams as string | null,
          stones: r.stones as StoneRow[],
        }),
      );
    },
    (r) => r.shipmentId,
  );
