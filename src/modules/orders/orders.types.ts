import { Field, ID, Int, ObjectType } from "type-graphql";
import { toGlobalId } from "../../graphql/node";
import { Money, money } from "../../graphql/money";
import type { CurrencyCode } from "../../graphql/scalars";
import { DateTimeScalar, LocalDateScalar } from "../../graphql/scalars";
import { UserError } from "../../graphql/user-error";
import { Composition, compositionView, Plating, StoneType, StyleQuantityBreak } from "../catalog";
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
export abstract class OrderLineView {
  // Fields without resolvers: the executor reads each property of a line (see OrderLineOf).
  @Field(() => ID, { description: "Opaque id of the line, stable across requests." })
  abstract readonly id: string;

  @Field(() => Int, { description: "Position in the order, from 1." })
  abstract readonly lineNumber: number;

  @Field(() => String, { description: "SKU at placement." })
  abstract readonly sku: string;

  @Field(() => String, { description: "Description at placement." })
  abstract readonly description: string;

  @Field(() => Int, { description: "Units ordered." })
  abstract readonly quantity: number;

  @Field(() => Money, { description: "Unit price from the distributor's price list at placement." })
  abstract readonly unitPrice: Money;

  @Field(() => Money, { description: "Quantity × unit price, exact." })
  abstract readonly lineTotal: Money;

  @Field(() => Int, { description: "Units reserved from stock." })
  abstract readonly fromStock: number;

  @Field(() => Int, { description: "Units to be made (in a scheduled batch or a new run)." })
  abstract readonly madeToOrder: number;

  @Field(() => Int, {
    description:
      "Of the units made to order, how many staff have recorded as made and ready to ship (`markOrderLineReady`). Units of a production batch are also ready once its ready date has come; units from stock are ready once the order is confirmed.",
  })
  abstract readonly madeToOrderReady: number;

  @Field(() => LocalDateScalar, { description: "When the line is expected to ship." })
  abstract readonly estimatedShipDate: string;

  @Field(() => LineCustomization, { description: "Requested changes; all fields null for the standard piece." })
  abstract readonly customization: LineCustomization;

  @Field(() => Composition, {
    description: "What one piece of the line is made of, as placed (the style with its customization, or the accepted quote of a design brief): what its invoice and customs declaration declare.",
  })
  abstract readonly composition: Composition;

  /** The catalog variant ordered; null for a design brief's exclusive piece. */
  abstract readonly variantId: string | null;
}

/**
 * An order line as the API shows it: the row and its order's currency, each field read from the
 * row when the response asks for it, so a response pays only for the fields it reads (and the
 * row need hold only their columns: see LINE_ROWS).
 */
export class OrderLineOf extends OrderLineView {
  constructor(
    private readonly line: OrderLine,
    private readonly currency: CurrencyCode,
  ) {
    super();
  }

  get id(): string {
    return toGlobalId("OrderLine", this.line.id);
  }

  get lineNumber(): number {
    return this.line.lineNumber;
  }

  get sku(): string {
    return this.line.sku;
  }

  get description(): string {
    return this.line.description;
  }

  get quantity(): number {
    return this.line.quantity;
  }

  get unitPrice(): Money {
    return money(this.line.unitPrice, this.currency);
  }

  get lineTotal(): Money {
    return money(this.line.lineTotal, this.currency);
  }

  get fromStock(): number {
    return this.line.fromStock;
  }

  get madeToOrder(): number {
    return this.line.quantity - this.line.fromStock;
  }

  get madeToOrderReady(): number {
    return this.line.madeToOrderReady;
  }

  get estimatedShipDate(): string {
    return this.line.estimatedShipDate;
  }

  get customization(): LineCustomization {
    return this.line.customization;
  }

  get composition(): Composition {
    return compositionView(this.line.composition);
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

@ObjectType({ simpleResolvers: true, description: "A line of `previewOrder`: what `placeOrder` would make of it now, and every problem it would refuse it for." })
export class OrderPreviewLine {
  @Field(() => Int, { description: "Position in the order, from 1: the input's line at index `lineNumber - 1`." })
  lineNumber: number;

  @Field(() => String, { nullable: true, description: "The variant's SKU; for a SKU no variant has, the SKU as given (trimmed, upper case); null when the line names no variant that can be read." })
  sku: string | null;

  @Field(() => String, { nullable: true, description: "The line's description as it would be placed; null when the line cannot be placed as it is." })
  description: string | null;

  @Field(() => Int, { description: "Units asked for." })
  quantity: number;

  @Field(() => Money, { nullable: true, description: "Unit price from your price list, its style's quantity break applied; null when it has none for the variant (or the variant is unknown)." })
  unitPrice: Money | null;

  @Field(() => StyleQuantityBreak, {
    nullable: true,
    description: "The quantity break of your price list that set the unit price, reached by the style's units over all the order's lines; null when none did.",
  })
  quantityBreak: StyleQuantityBreak | null;

  @Field(() => Money, { nullable: true, description: "Quantity × unit price, exact; null without a unit price or a valid quantity." })
  lineTotal: Money | null;

  @Field(() => Int, { nullable: true, description: "Units stock would cover now (within the share one order may reserve); null when the line could not be allotted (see `problems`)." })
  fromStock: number | null;

  @Field(() => Int, { nullable: true, description: "Units that would be made (in a scheduled batch or a new run); null when the line could not be allotted." })
  madeToOrder: number | null;

  @Field(() => LocalDateScalar, { nullable: true, description: "When the line would be expected to ship if placed now; null when it could not be allotted." })
  estimatedShipDate: string | null;

  @Field(() => LineCustomization, { description: "The changes asked for, as the placement would keep them; all fields null for the standard piece." })
  customization: LineCustomization;

  @Field(() => [UserError], { description: "Every problem of this line, each naming its field as `placeOrder` would; empty when the line is fine." })
  problems: UserError[];

  /** The catalog variant, when the line names one that exists. */
  variantId: string | null;
}
