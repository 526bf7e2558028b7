import type { LoaderFactory } from "../../db/loaders";
import { groupLoader, keyedRows, rowLoader } from "../../db/loaders";
import { rowsOf } from "../../db/rows";
import { tenantQuery } from "../../db/tenancy";
import { Order, OrderLine, OrderStatusChange } from "./order.entity";

// Lines and history are reached only through an order the caller was allowed to see.

export const linesByOrder: LoaderFactory<string, OrderLine[]> = (ctx, projection) =>
  groupLoader(keyedRows(ctx, OrderLine, projection, { from: "order_lines", key: "order_id", orderBy: "order_id, line_number" }), (l) => l.orderId);

export const historyByOrder: LoaderFactory<string, OrderStatusChange[]> = (ctx) =>
  groupLoader(
    (ids) =>
      rowsOf(ctx.db, OrderStatusChange, 
        ctx.db
          .createQueryBuilder(OrderStatusChange, "h")
          .where("h.orderId = ANY(:ids)", { ids })
          .orderBy("h.seq"),
      ),
    (h) => h.orderId,
  );

export const orderById: LoaderFactory<string, Order | null> = (ctx) =>
  rowLoader((ids) => rowsOf(ctx.db, Order, tenantQuery(ctx, Order, "o").andWhere("o.id = ANY(:ids)", { ids })), (o) => o.id);
