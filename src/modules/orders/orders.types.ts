import { Field, Int, ObjectType } from "type-graphql";
import { Money } from "../../graphql/money";
import { DateTimeScalar, LocalDateScalar } from "../../graphql/scalars";
import { Plating, StoneType } from "../catalog/catalog.enums";
import { OrderStatus } from "./order-state";

@ObjectType({ description: "What the buyer asked to change on a line." })
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

@ObjectType({ description: "A line of an order, with the SKU, description and price as they were when it was placed." })
export class OrderLineView {
  @Field(() => Int, { description: "Position in the order, from 1." })
  lineNumber: number;

  @Field(() => String, { description: "SKU at placement." })
  sku: string;

  @Field(() => String, { description: "Description at placement." })
  description: string;

  @Field(() => Int, { description: "Units ordered." })
  quantity: number;

  @Field(() => Money, { description: "Unit price from the distributor's price list at placement." })
  unitPrice: Money;

  @Field(() => Money, { description: "Quantity × unit price, exact." })
  lineTotal: Money;

  @Field(() => Int, { description: "Units reserved from stock." })
  fromStock: number;

  @Field(() => Int, { description: "Units to be made (in a scheduled batch or a new run)." })
  madeToOrder: number;

  @Field(() => LocalDateScalar, { description: "When the line is expected to ship." })
  estimatedShipDate: string;

  @Field(() => LineCustomization, { description: "Requested changes; all fields null for the standard piece." })
  customization: LineCustomization;

  variantId: string | null;
}

@ObjectType({ description: "A change of an order's status." })
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
