import { fromScaled, toScaled, trimDecimal } from "../../graphql/money";
import type { DeclarationRow } from "./shipments.loaders";
import type { PackageRow } from "./shipment.entity";

// The net weight of a shipment's goods, computed from what they are made of, and how far the
// weight declared on its packages may stand from it (docs/domain.md, "Net and gross weights").
// Weights are exact decimals held as BigInt in ten-thousandths of a gram (money.ts's scale).

/** What a shipped line weighs by: its units, the metal of one unit and its stones. */
export type WeighedRow = Pick<DeclarationRow, "quantity" | "metalWeightGrams" | "stones">;

/** The tolerance on the declared net weight, in percent of the computed one (Facet's own choice). */
export const NET_WEIGHT_TOLERANCE_PERCENT = 10n;
/** Added per package: each package's net weight is stated to the gram, so half a gram of rounding each. */
export const ROUNDING_PER_PACKAGE = toScaled("0.5");

const GRAMS_PER_KG = 1000n;

/** One line's net weight: (metal + stones at 0.2 g per carat) per unit, times the units. */
export function rowGrams(row: WeighedRow): bigint {
  const metal = row.metalWeightGrams ? toScaled(row.metalWeightGrams) : 0n;
  const stones = row.stones.reduce((acc, s) => acc + (toScaled(s.totalCarat) * 2n) / 10n, 0n);
  return (metal + stones) * BigInt(row.quantity);
}

export interface GoodsWeight {
  grams: bigint;
  /** False when a line's metal weight is unknown: `grams` is then a floor, not the weight. */
  complete: boolean;
}

export function goodsWeight(rows: readonly WeighedRow[]): GoodsWeight {
  return { grams: rows.reduce((acc, r) => acc + rowGrams(r), 0n), complete: rows.every((r) => r.metalWeightGrams !== null) };
}

/** The packages' total net or gross weight in grams (kg × count, summed). */
export function packagesGrams(packages: readonly PackageRow[], pick: (p: PackageRow) => string): bigint {
  return packages.reduce((acc, p) => acc + toScaled(pick(p)) * GRAMS_PER_KG * BigInt(p.count), 0n);
}

export const packageCount = (packages: readonly PackageRow[]) => packages.reduce((n, p) => n + p.count, 0);

/**
 * The declared net weights that agree with the goods: within 10% of the computed weight, plus
 * half a gram per package for stating each package to the gram. Without an upper bound when the
 * computed weight is only a floor.
 */
export function netWeightRange(goods: GoodsWeight, packages: number): { min: bigint; max: bigint | null } {
  const tolerance = (goods.grams * NET_WEIGHT_TOLERANCE_PERCENT) / 100n + ROUNDING_PER_PACKAGE * BigInt(packages);
  return { min: goods.grams - tolerance, max: goods.complete ? goods.grams + tolerance : null };
}

export const gramsText = (grams: bigint) => trimDecimal(fromScaled(grams));
/** Grams (at money.ts's scale) as kilograms, exactly: 16.15 g is "0.01615". */
export function kgText(grams: bigint): string {
  const perKg = 10n ** 7n;
  const negative = grams < 0n;
  const abs = negative ? -grams : grams;
  return `${negative ? "-" : ""}${trimDecimal(`${abs / perKg}.${String(abs % perKg).padStart(7, "0")}`)}`;
}

/**
 * Why the packages' declared net weight cannot be the goods', or null when it agrees with them
 * (see netWeightRange).
 */
export function netWeightProblem(packages: readonly PackageRow[], goods: GoodsWeight): string | null {
  const declared = packagesGrams(packages, (p) => p.netWeightKg);
  const { min, max } = netWeightRange(goods, packageCount(packages));
  if (declared >= min && (max === null || declared <= max)) return null;
  const computed = `${gramsText(goods.grams)} g${goods.complete ? "" : " at least"}`;
  const range = max === null ? `at least ${gramsText(min > 0n ? min : 0n)} g` : `between ${gramsText(min > 0n ? min : 0n)} g and ${gramsText(max)} g`;
  return (
    `The packages' net weights add up to ${gramsText(declared)} g, but the goods themselves weigh ${computed} ` +
    `(metal plus stones at 0.2 g per carat): declare ${range} (10%, and 0.5 g per package for weighing to the gram)`
  );
}
