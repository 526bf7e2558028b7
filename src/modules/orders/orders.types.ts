import { Field, ID, Int, ObjectType } from "type-graphql";
import { toGlobalId } from "../../graphql/node";
import { Money, money } from "../../graphql/money";
import type { CurrencyCode } from "../../graphql/scalars";
import { DateTimeScalar, LocalDateScalar } from "../../graphql/scalars";
import { Plating, StoneType } from "../catalog";
import { OrderStatus } from "./order-state";
import type { OrderLine } from "./order.entity";

@ObjectType({ simpleResolvers: true, description: "What the buyer asked to change on a line." })
export class LineCustomization {
  @Field(() => String, { nullable: true, description: "Custom size." })
  size?: string | null;

  @Field(() => Plating, { nullable: true, description: "Plating instead of the standard one." })
  plating?: Plating | null;

  @Field(() => StoneType, { nullable: true, description: "Stone instead of the standard one." })
  stone?: StoneType | null;

  @Field(() => String, { nullable: true, description: "Branding to apply." })
  branding?: string | null;

  @Field(() => String, { nullable: true, description: "Engraving text." })
  engraving?: string | null;
}

@ObjectType({ simpleResolvers: true, description: "A line of an order, with the SKU, description and price as they were when it was placed." })
export class OrderLineView {
  // The row and its order's currency; amounts are made when read, so a response pays only for the
  // fields it asks (and the row need hold only their columns: see LINE_ROWS).
  constructor(
    private readonly line: OrderLine,
    private readonly currency: CurrencyCode,
  ) {}

  @Field(() => ID, { name: "id", description: "Opaque id of the line, stable across requests." })
  get globalId(): string {
    return toGlobalId("OrderLine", this.line.id);
  }

  @Field(() => Int, { description: "Position in the order, from 1." })
  get lineNumber(): number {
    return this.line.lineNumber;
  }

  @Field(() => String, { description: "SKU at placement." })
  get sku(): string {
    return this.line.sku;
  }

  @Field(() => String, { description: "Description at placement." })
  get description(): string {
    return this.line.description;
  }

  @Field(() => Int, { description: "Units ordered." })
  get quantity(): number {
    return this.line.quantity;
  }

  @Field(() => Money, { description: "Unit price from the distributor's price list at placement." })
  get unitPrice(): Money {
    return money(this.line.unitPrice, this.currency);
  }

  @Field(() => Money, { description: "Quantity × unit price, exact." })
  get lineTotal(): Money {
    return money(this.line.lineTotal, this.currency);
  }

  @Field(() => Int, { description: "Units reserved from stock." })
  get fromStock(): number {
    return this.line.fromStock;
  }

  @Field(() => Int, { description: "Units to be made (in a scheduled batch or a new run)." })
  get madeToOrder(): number {
    return this.line.quantity - this.line.fromStock;
  }

  @Field(() => LocalDateScalar, { description: "When the line is expected to ship." })
  get estimatedShipDate(): string {
    return this.line.estimatedShipDate;
  }

  @Field(() => LineCustomization, { description: "Requested changes; all fields null for the standard piece." })
  get customization(): LineCustomization {
    return this.line.customization;
  }

  get variantId(): string | null {
    return this.line.variantId;
  }
}

@ObjectType({ simpleResolvers: true, description: "A change of an order's status." })
export class OrderStatusChangeView {
  @Field(() => OrderStatus, { nullable: true, description: "Status before; null for the placement." })
  from: OrderStatus | null;

  @Field(() => OrderStatus, { description: "Status after." })
  to: OrderStatus;

  @Field(() => DateTimeScalar, { description: "When." })
  at: Date;

  @Field(() => String, { description: "Who: a person's name or an integration's name." })
  by: string;

  @Field(() => String, { nullable: true, description: "Note given with the change." })
  note: string | null;
}
