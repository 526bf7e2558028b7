import { Readers } from "../../core/access";
import { registerNode } from "../../graphql/node";
import { OrderLineResolver, OrderPreviewLineResolver, OrderResolver } from "./orders.resolver";
import { findOrderById } from "./orders.service";
import { IdempotencyKey, Order, OrderLine, OrderStatusChange } from "./order.entity";

registerNode(Order, "Order", Readers.ORDERS, findOrderById);

export const ordersEntities = [Order, OrderLine, OrderStatusChange, IdempotencyKey];
export const ordersResolvers = [OrderResolver, OrderLineResolver, OrderPreviewLineResolver] as const;

export { Order, OrderLine, OrderStatusChange };
export { canShip, OrderStatus } from "./order-state";
export { orderById } from "./orders.loaders";
export { followShipments, placeDesignBriefOrder } from "./orders.service";
export { expectedText, readyUnits } from "./readiness";
export { expirePendingOrders, startReservationSweeper } from "./expiry";
export { ANY_MODE_EQUIVALENT, INSURED_RULES, SEA_ONLY, SELLER_CHARGES, incotermsText } from "./incoterms";
