import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { Connection } from "../../graphql/connection";
import { Money } from "../../graphql/money";
import { CurrencyCode, DateTimeScalar, Incoterm, LocalDateScalar } from "../../graphql/scalars";
import { Payload, UserErrorCode } from "../../graphql/user-error";
import { Plating, StoneType } from "../catalog";
import { Order } from "./order.entity";
import { OrderStatus } from "./order-state";
import { LineCustomization, OrderPreviewLine } from "./orders.types";

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

@InputType({ description: "One line of a new order. Name its variant by `variantId` or by `sku`: exactly one of them." })
export class OrderLineInput {
  @Field(() => ID, { nullable: true, description: "The variant's global id; leave it out when giving `sku`." })
  variantId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The variant's SKU instead of its id, any case, surrounding spaces ignored; refused as an unknown variant id is when no variant has it. Leave it out when giving `variantId`.",
  })
  sku?: string | null;

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

@ObjectType({ simpleResolvers: true, description: "The result of `previewOrder`: the order `placeOrder` would place for the same input now, with nothing written." })
export class OrderPreview extends Payload {
  @Field(() => [OrderPreviewLine], { description: "One per line of the input, in order (none when the input has more lines than an order may)." })
  lines: OrderPreviewLine[];

  @Field(() => Money, { description: "Sum of the line totals of the lines that have one, exact." })
  total: Money;

  @Field(() => CurrencyCode, { description: "Your contract currency, in which the order would be placed." })
  currency: CurrencyCode;

  @Field(() => Incoterm, { description: "The Incoterms® 2020 rule the order would have: the one asked for, or your distributor's default." })
  incoterm: Incoterm;

  @Field(() => LocalDateScalar, { nullable: true, description: "When the whole order would be expected to ship: the latest of the lines' dates; null when no line could be allotted." })
  estimatedShipDate: string | null;

  @Field(() => Boolean, { description: "True when `placeOrder` would accept this input now: `userErrors` is empty." })
  valid: boolean;
}

@InputType({ description: "Order lines as CSV text, to read into `OrderLineInput`s." })
export class ImportOrderLinesInput {
  @Field(() => String, {
    description:
      "CSV (RFC 4180: comma, semicolon or tab separated, quoted fields may hold separators, quotes and line breaks; a UTF-8 BOM is ignored) with a header row naming the columns `sku` and `quantity` and, optionally, `size`, `plating`, `stone`, `branding` and `engraving` (any case, any order). At most 500 rows below the header and 256 KB (and no more than the request body limit allows).",
  })
  csv: string;
}

@ObjectType({ simpleResolvers: true, description: "A line read from a CSV row, in the shape of `OrderLineInput`." })
export class ImportedOrderLine {
  @Field(() => String, { description: "The SKU, trimmed and in upper case; not checked against the catalog here (`previewOrder` does)." })
  sku: string;

  @Field(() => Int, { description: "Units, 1 to 100000." })
  quantity: number;

  @Field(() => LineCustomization, { nullable: true, description: "The customization columns of the row; null when it has none." })
  customization: LineCustomization | null;

  @Field(() => Int, { description: "The row of the CSV it was read from (the header is row 1). Not a field of `OrderLineInput`: leave it out when passing the line on." })
  row: number;
}

@ObjectType({ simpleResolvers: true, description: "Why a CSV row (or the header) could not be read into a line." })
export class OrderLineRowError {
  @Field(() => Int, { description: "The row: the header is row 1, the first line below it row 2; a quoted field spanning several lines is one row, and blank rows are counted." })
  row: number;

  @Field(() => String, { nullable: true, description: "The column at fault, as the header names it in lower case; null when the whole row (or several columns of the header) is at fault." })
  column: string | null;

  @Field(() => String, { description: "A sentence a person can read." })
  message: string;

  @Field(() => UserErrorCode, { description: "A stable code to branch on." })
  code: UserErrorCode;
}

@ObjectType({ simpleResolvers: true, description: "The result of `importOrderLines`: the lines read, and why each other row was not." })
export class ImportedOrderLines extends Payload {
  @Field(() => [ImportedOrderLine], {
    description: "The rows read, in order: select `sku quantity customization { size plating stone branding engraving }` and pass them as `lines` to `previewOrder` or `placeOrder`. Empty when the header is at fault.",
  })
  lines: ImportedOrderLine[];

  @Field(() => [OrderLineRowError], { description: "One per problem of a row or of the header, in row order; its rows are not in `lines`." })
  rowErrors: OrderLineRowError[];
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
