import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import { Allow } from "../../graphql/access";
import { ApiScope, Readers, UserRole } from "../../core/access";
import { ConnectionArgs } from "../../graphql/connection";
import { loader } from "../../db/loaders";
import type { RequestContext } from "../../core/context";
import { Money } from "../../graphql/money";
import { CONNECTION_NODES, projectionOf, rowFields } from "../../graphql/projection";
import { CurrencyCode } from "../../graphql/scalars";
import { Distributor, distributorById } from "../accounts";
import { Variant, variantById } from "../catalog";
import { liveEvents, type PublishedEvent } from "../events";
import { BadUserInputError } from "../../graphql/errors";
import {
  AdvanceOrderStatusInput,
  AdvanceOrderStatusPayload,
  CancelOrderInput,
  CancelOrderPayload,
  ConfirmOrderInput,
  ConfirmOrderPayload,
  ImportedOrderLines,
  ImportOrderLinesInput,
  MarkOrderLineReadyInput,
  MarkOrderLineReadyPayload,
  OrderConnection,
  OrderFilter,
  OrderOrderField,
  OrderPreview,
  PlaceOrderInput,
  PlaceOrderPayload,
  ReorderInput,
  ReorderPayload,
} from "./orders.inputs";
import * as orders from "./orders.service";
import { importOrderLines } from "./order-import";
import { markOrderLineReady } from "./readiness";
import { OrderLineView, OrderPreviewLine, OrderStatusChangeView } from "./orders.types";
import { Order, OrderLine } from "./order.entity";

// What each field of an order and of a line reads of its row, beyond a column of its own name
// (see graphql/projection.ts). `shipments` and `designBrief` are resolved by their own modules.
export const ORDER_ROWS = rowFields(Order, {
  always: ["id"],
  fields: {
    total: ["total", "currency"],
    lines: ["id", "currency"],
    statusHistory: ["id"],
    distributor: ["distributorId"],
    shipments: ["id"],
    designBrief: ["designBriefId"],
  },
});

export const LINE_ROWS = rowFields(OrderLine, {
  always: ["orderId", "lineNumber"],
  fields: { madeToOrder: ["quantity", "fromStock"], variant: ["variantId"] },
});

const ORDER_WRITERS = [UserRole.BUYER, UserRole.DISTRIBUTOR_ADMIN, ApiScope.ORDERS_WRITE] as const;

@Resolver(() => Order)
export class OrderResolver {
  @Allow(...Readers.ORDERS)
  @Query(() => OrderConnection, { nullable: true, description: "Your distributor's orders (staff: every distributor's), newest first unless asked otherwise." })
  orders(
    @Ctx() ctx: RequestContext,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg("filter", () => OrderFilter, { nullable: true, description: "Narrows the list." }) filter?: OrderFilter,
    @Arg("orderBy", () => OrderOrderField, { nullable: true, description: "NEWEST by default; UPDATED when `filter.updatedSince` is given." }) orderBy?: OrderOrderField,
    @Info() info?: GraphQLResolveInfo,
  ) {
    return orders.listOrders(ctx, args, filter, orderBy, info ? projectionOf(info, ORDER_ROWS, CONNECTION_NODES) : null);
  }

  @Allow(...Readers.ORDERS)
  @Query(() => Order, { nullable: true, description: "One order by id or number (give exactly one); null when there is none you may see." })
  order(
    @Ctx() ctx: RequestContext,
    @Arg("id", () => ID, { nullable: true, description: "Global id." }) id?: string,
    @Arg("number", () => String, { nullable: true, description: "Order number, e.g. EXP-2026-000123." }) number?: string,
  ): Promise<Order | null> {
    return orders.findOrder(ctx, { id, number });
  }

  @Allow(...Readers.ORDERS)
  @Subscription(() => Order, {
    description:
      "The order, read afresh, each time something happens to it (placed, confirmed, any status change, cancelled). Over WebSocket only (graphql-ws at /graphql); an order you may not see is refused as an unknown one.",
    subscribe: ({ args, context }) => watchOrder(context as RequestContext, (args as { id: string }).id),
  })
  orderUpdated(
    @Root() event: PublishedEvent,
    @Ctx() ctx: RequestContext,
    @Arg("id", () => ID, { description: "Global id of the order." }) _id: string,
  ): Promise<Order> {
    return orderOfEvent(ctx, event);
  }

  @Allow(...Readers.ORDERS)
  @Subscription(() => Order, {
    description:
      "Each order of your distributor (staff: of every distributor), read afresh, each time something happens to it, new orders included. Over WebSocket only (graphql-ws at /graphql).",
    subscribe: ({ context }) => liveEvents(context as RequestContext, { prefix: "order." }),
  })
  myOrdersUpdated(@Root() event: PublishedEvent, @Ctx() ctx: RequestContext): Promise<Order> {
    return orderOfEvent(ctx, event);
  }

  @FieldResolver(() => CurrencyCode, { description: "Currency of every amount on the order: the contract currency." })
  currency(@Root() order: Order): CurrencyCode {
    return order.currency;
  }

  @FieldResolver(() => Money, { description: "Sum of the line totals, exact." })
  total(@Root() order: Order): Money {
    return orders.totalOf(order);
  }

  @FieldResolver(() => [OrderLineView], { description: "The lines, in order." })
  lines(@Ctx() ctx: RequestContext, @Root() order: Order, @Info() info: GraphQLResolveInfo): Promise<OrderLineView[]> {
    return orders.linesOf(ctx, order, projectionOf(info, LINE_ROWS));
  }

  @FieldResolver(() => [OrderStatusChangeView], { description: "Every status change, oldest first, from placement on." })
  statusHistory(@Ctx() ctx: RequestContext, @Root() order: Order): Promise<OrderStatusChangeView[]> {
    return orders.historyOf(ctx, order);
  }

  @FieldResolver(() => Distributor, { description: "The distributor that placed it." })
  async distributor(@Ctx() ctx: RequestContext, @Root() order: Order): Promise<Distributor> {
    return (await loader(ctx, distributorById).load(order.distributorId))!;
  }

  @Allow(...ORDER_WRITERS)
  @Mutation(() => PlaceOrderPayload, { description: "Places an order for your distributor at your contract prices, reserving stock. Safe to retry with the same idempotency key." })
  placeOrder(@Ctx() ctx: RequestContext, @Arg("input", () => PlaceOrderInput) input: PlaceOrderInput): Promise<PlaceOrderPayload> {
    return orders.placeOrder(ctx, input);
  }

  // Queries, not mutations: they write nothing, so a cart page or an ERP's pre-check may call
  // them as often as it likes (and a read replica may answer them).
  @Allow(...ORDER_WRITERS)
  @Query(() => OrderPreview, {
    nullable: true,
    description:
      "What `placeOrder` would answer for this input now, with nothing written or reserved: each line priced from your price list, with what stock would cover, what would be made and when it would ship, the total, and every problem `placeOrder` would refuse, each naming its field as `placeOrder` does. The idempotency key is not read. Stock and prices may change before you place the order.",
  })
  previewOrder(@Ctx() ctx: RequestContext, @Arg("input", () => PlaceOrderInput, { description: "The input `placeOrder` would take." }) input: PlaceOrderInput): Promise<OrderPreview> {
    return orders.previewOrder(ctx, input);
  }

  @Allow(...ORDER_WRITERS)
  @Query(() => ImportedOrderLines, {
    nullable: true,
    description:
      "Reads order lines from CSV text (a spreadsheet's export, an ERP's file), for `previewOrder` and `placeOrder`: the lines it understood and, per bad row, why. A query because it writes nothing and reads nothing of yours: SKUs, prices and availability are `previewOrder`'s to check.",
  })
  importOrderLines(@Arg("input", () => ImportOrderLinesInput, { description: "The CSV." }) input: ImportOrderLinesInput): ImportedOrderLines {
    return importOrderLines(input);
  }

  @Allow(...ORDER_WRITERS)
  @Mutation(() => ReorderPayload, { description: "Places a new order with the lines of an earlier one, at today's prices and availability." })
  reorder(@Ctx() ctx: RequestContext, @Arg("input", () => ReorderInput) input: ReorderInput): Promise<ReorderPayload> {
    return orders.reorder(ctx, input);
  }

  @Allow(...ORDER_WRITERS, UserRole.EXPORT_MANAGER)
  @Mutation(() => CancelOrderPayload, { description: "Cancels a PENDING or CONFIRMED order that has no shipment yet and releases what it reserved." })
  cancelOrder(@Ctx() ctx: RequestContext, @Arg("input", () => CancelOrderInput) input: CancelOrderInput): Promise<CancelOrderPayload> {
    return orders.cancelOrder(ctx, input);
  }

  @Allow(UserRole.EXPORT_MANAGER)
  @Mutation(() => ConfirmOrderPayload, { description: "Accepts a PENDING order. Export managers only." })
  confirmOrder(@Ctx() ctx: RequestContext, @Arg("input", () => ConfirmOrderInput) input: ConfirmOrderInput): Promise<ConfirmOrderPayload> {
    return orders.confirmOrder(ctx, input);
  }

  @Allow(UserRole.EXPORT_MANAGER)
  @Mutation(() => AdvanceOrderStatusPayload, { description: "Moves an order one step: CONFIRMED → IN_PRODUCTION → QUALITY_CHECK → PACKED. Export managers only." })
  advanceOrderStatus(@Ctx() ctx: RequestContext, @Arg("input", () => AdvanceOrderStatusInput) input: AdvanceOrderStatusInput): Promise<AdvanceOrderStatusPayload> {
    return orders.advanceOrderStatus(ctx, input);
  }

  @Allow(UserRole.EXPORT_MANAGER)
  @Mutation(() => MarkOrderLineReadyPayload, {
    description:
      "Records how many made-to-order units of a line are made and ready to ship, so they can ship before the rest of the order. Export managers only.",
  })
  markOrderLineReady(@Ctx() ctx: RequestContext, @Arg("input", () => MarkOrderLineReadyInput) input: MarkOrderLineReadyInput): Promise<MarkOrderLineReadyPayload> {
    return markOrderLineReady(ctx, input);
  }
}

@Resolver(() => OrderLineView)
export class OrderLineResolver {
  // The variant is catalog data (its price list, its availability): an ERP client reading orders
  // reads it only with catalog:read, as at the root.
  @Allow(...Readers.CATALOG)
  @FieldResolver(() => Variant, {
    nullable: true,
    description:
      "The variant ordered, as it is in the catalog now; null for a design brief's exclusive piece. API clients need `catalog:read`: without it this is null, with a FORBIDDEN error.",
  })
  variant(@Ctx() ctx: RequestContext, @Root() line: OrderLineView): Promise<Variant | null> | null {
    return line.variantId ? loader(ctx, variantById).load(line.variantId) : null;
  }
}

@Resolver(() => OrderPreviewLine)
export class OrderPreviewLineResolver {
  // Catalog data, as on an order's line: an ERP client reads it only with catalog:read.
  @Allow(...Readers.CATALOG)
  @FieldResolver(() => Variant, {
    nullable: true,
    description: "The variant the line names, as it is in the catalog; null when there is none. API clients need `catalog:read`: without it this is null, with a FORBIDDEN error.",
  })
  variant(@Ctx() ctx: RequestContext, @Root() line: OrderPreviewLine): Promise<Variant | null> | null {
    return line.variantId ? loader(ctx, variantById).load(line.variantId) : null;
  }
}

/** The events of one order, once the caller may see it: another distributor's is refused exactly as an unknown one. */
async function watchOrder(ctx: RequestContext, id: string): Promise<AsyncIterableIterator<PublishedEvent>> {
  const order = await orders.findOrder(ctx, { id });
  if (!order) throw new BadUserInputError("id", "No order with this id");
  return liveEvents(ctx, { prefix: "order.", subjectId: order.id });
}

/** The order an event is about, as the subscriber may read it now. */
async function orderOfEvent(ctx: RequestContext, event: PublishedEvent): Promise<Order> {
  const order = event.subjectId ? await orders.findOrderById(ctx, event.subjectId) : null;
  if (!order) throw new BadUserInputError("id", "The order is no longer one you may see");
  return order;
}
