import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { Connection } from "../../graphql/connection";
import { CurrencyCode, DateTimeScalar, Incoterm, LocalDateScalar } from "../../graphql/scalars";
import { Payload } from "../../graphql/user-error";
import { Plating, StoneType } from "../catalog";
import { Order } from "./order.entity";
import { OrderStatus } from "./order-state";

export const OrderConnection = Connection(Order);

export enum OrderOrderField {
  NEWEST = "NEWEST",
  UPDATED = "UPDATED",
}
registerEnumType(OrderOrderField, {
  name: "OrderOrderField",
  description: "Orders for the order list.",
  valuesConfig: {
    NEWEST: { description: "Most recently placed first." },
    UPDATED: {
      description:
        "Least recently updated first, then by id: the order for incremental sync. A page holds only changes that are final, so paging to the end and resuming from the last `updatedAt` misses nothing.",
    },
  },
});

@InputType({ description: "Filters for the order list; every given filter must match." })
export class OrderFilter {
  @Field(() => [OrderStatus], { nullable: true, description: "Only orders in one of these statuses." })
  status?: OrderStatus[] | null;

  @Field(() => DateTimeScalar, { nullable: true, description: "Only orders placed at or after this time." })
  placedAfter?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: "Only orders placed before this time." })
  placedBefore?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: "Only orders changed at or after this time. Implies `orderBy: UPDATED` unless another order is given." })
  updatedSince?: Date | null;

  @Field(() => String, { nullable: true, description: "Text contained in the order number, the buyer reference or a line's SKU, ignoring case." })
  search?: string | null;
}

@InputType({ description: "What the buyer wants changed on a line; each must be offered by the style (`Product.customizationOptions`)." })
export class LineCustomizationInput {
  @Field(() => String, { nullable: true, description: "A size outside the standard variants, e.g. `EU 55.5`; up to 20 characters." })
  size?: string | null;

  @Field(() => Plating, { nullable: true, description: "A plating the style offers (`customizationOptions.platingOffers`), made as offered, instead of the standard one." })
  plating?: Plating | null;

  @Field(() => StoneType, {
    nullable: true,
    description: "A stone the style offers (`customizationOptions.stoneOffers`), set as offered instead of the style's principal stones (or added, on a style without stones).",
  })
  stone?: StoneType | null;

  @Field(() => String, { nullable: true, description: "Branding to apply (e.g. the distributor's mark), up to 60 characters." })
  branding?: string | null;

  @Field(() => String, { nullable: true, description: "Engraving text, up to the style's engraving length." })
  engraving?: string | null;
}

@InputType({ description: "One line of a new order." })
export class OrderLineInput {
  @Field(() => ID, { description: "The variant." })
  variantId: string;

  @Field(() => Int, { description: "Units: at least the style's minimum order quantity, at most 100000." })
  quantity: number;

  @Field(() => LineCustomizationInput, { nullable: true, description: "Changes to the standard piece. Size, plating or stone changes are always made to order." })
  customization?: LineCustomizationInput | null;
}

@InputType({ description: "A new order for the caller's distributor." })
export class PlaceOrderInput {
  @Field(() => String, {
    description:
      "Unique per distributor, up to 255 characters (a UUID is ideal). Retrying with the same key and input returns the first result; the same key with another input is refused. Keys are kept for at least 24 hours.",
  })
  idempotencyKey: string;

  @Field(() => String, { description: "The buyer's purchase order reference, up to 35 characters." })
  buyerReference: string;

  @Field(() => CurrencyCode, { nullable: true, description: "Must be the distributor's contract currency when given." })
  currency?: CurrencyCode | null;

  @Field(() => Incoterm, { nullable: true, description: "Incoterms® 2020 rule; the distributor's default when omitted." })
  incoterm?: Incoterm | null;

  @Field(() => LocalDateScalar, { nullable: true, description: "When the buyer would like it shipped: today or later." })
  requestedShipDate?: string | null;

  @Field(() => [OrderLineInput], { description: "1 to 500 lines." })
  lines: OrderLineInput[];
}

@ObjectType({ simpleResolvers: true, description: "The result of `placeOrder`." })
export class PlaceOrderPayload extends Payload {
  @Field(() => Order, { nullable: true, description: "The new order (or, on a retry, the order the key first placed)." })
  order?: Order | null;
}

@InputType({ description: "Cancels an order." })
export class CancelOrderInput {
  @Field(() => ID, { description: "The order." })
  id: string;

  @Field(() => String, { nullable: true, description: "Why, up to 1000 characters; recorded in the status history." })
  reason?: string | null;
}

@ObjectType({ simpleResolvers: true, description: "The result of `cancelOrder`." })
export class CancelOrderPayload extends Payload {
  @Field(() => Order, { nullable: true, description: "The cancelled order." })
  order?: Order | null;
}

@InputType({ description: "Places a new order with the lines of an earlier one." })
export class ReorderInput {
  @Field(() => ID, { description: "The earlier order." })
  orderId: string;

  @Field(() => String, { description: "Idempotency key of the new order, as in `placeOrder`." })
  idempotencyKey: string;

  @Field(() => String, { nullable: true, description: "Purchase order reference of the new order; the earlier one's when omitted." })
  buyerReference?: string | null;
}

@ObjectType({ simpleResolvers: true, description: "The result of `reorder`." })
export class ReorderPayload extends Payload {
  @Field(() => Order, { nullable: true, description: "The new order, at today's prices." })
  order?: Order | null;
}

@InputType({ description: "Confirms a pending order." })
export class ConfirmOrderInput {
  @Field(() => ID, { description: "The order." })
  id: string;

  @Field(() => String, { nullable: true, description: "Note for the status history, up to 1000 characters." })
  note?: string | null;
}

@ObjectType({ simpleResolvers: true, description: "The result of `confirmOrder`." })
export class ConfirmOrderPayload extends Payload {
  @Field(() => Order, { nullable: true, description: "The confirmed order." })
  order?: Order | null;
}

@InputType({ description: "Moves an order one step on: CONFIRMED → IN_PRODUCTION → QUALITY_CHECK → PACKED." })
export class AdvanceOrderStatusInput {
  @Field(() => ID, { description: "The order." })
  id: string;

  @Field(() => OrderStatus, { description: "The next status." })
  status: OrderStatus;

  @Field(() => String, { nullable: true, description: "Note for the status history, up to 1000 characters." })
  note?: string | null;
}

@ObjectType({ simpleResolvers: true, description: "The result of `advanceOrderStatus`." })
export class AdvanceOrderStatusPayload extends Payload {
  @Field(() => Order, { nullable: true, description: "The order in its new status." })
  order?: Order | null;
}

@InputType({ description: "Records how many made-to-order units of an order line are made and ready to ship." })
export class MarkOrderLineReadyInput {
  @Field(() => ID, { description: "The order." })
  orderId: string;

  @Field(() => Int, { description: "The line's number in the order." })
  lineNumber: number;

  @Field(() => Int, {
    description:
      "How many of the line's made-to-order units (`madeToOrder`) are made and ready, in all: from 0 to `madeToOrder`, and not fewer than are already in a shipment. Setting the same number again changes nothing.",
  })
  quantity: number;
}

@ObjectType({ simpleResolvers: true, description: "The result of `markOrderLineReady`." })
export class MarkOrderLineReadyPayload extends Payload {
  @Field(() => Order, { nullable: true, description: "The order, with the line's `madeToOrderReady` as recorded." })
  order?: Order | null;
}
