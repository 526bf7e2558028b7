import { toScaled } from "../../graphql/money";

// The rule of quantity breaks (docs/api.md, "Quantity breaks"), shared by the catalog's reads
// and the orders' placement so that a preview, a placement and the price list agree.
//
// A break belongs to a style in one distributor's price list and applies to every variant of
// the style. What reaches a break is the style's units on the order, its sizes and lengths
// counted together (the trade prices "a dozen chains", whatever their lengths). The highest
// break reached sets the unit price of each of the style's lines, unless a variant's own price
// is lower: a break is a discount and never raises a price.

/** A break as the rule reads it: from `minQuantity` units on, `unitPrice` (a decimal string). */
export interface BreakRule {
  minQuantity: number;
  unitPrice: string;
}

/** The highest break the quantity reaches; none when it reaches no break. `breaks` may be in any order. */
export function reachedBreak<B extends BreakRule>(breaks: readonly B[], quantity: number): B | null {
  let reached: B | null = null;
  for (const b of breaks) if (b.minQuantity <= quantity && (!reached || b.minQuantity > reached.minQuantity)) reached = b;
  return reached;
}

/**
 * The unit price of a line: the break reached by the style's quantity when it is below the
 * variant's own price (then `applied` names it), else the variant's own price.
 */
export function unitPriceWithBreaks<B extends BreakRule>(ownPrice: string, breaks: readonly B[], styleQuantity: number): { unitPrice: string; applied: B | null } {
  const reached = reachedBreak(breaks, styleQuantity);
  return reached && toScaled(reached.unitPrice) < toScaled(ownPrice) ? { unitPrice: reached.unitPrice, applied: reached } : { unitPrice: ownPrice, applied: null };
}
