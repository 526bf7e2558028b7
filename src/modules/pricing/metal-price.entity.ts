import { Field, ObjectType } from "type-graphql";
import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import { CurrencyCode, DateTimeScalar, DecimalScalar } from "../../graphql/scalars";
import { Metal } from "../catalog";
import { MetalPriceSource } from "./pricing.enums";

// One fix of one precious metal, in US dollars per troy ounce of fine metal. Kept for ever: a
// new fix is a new row, never an update, so a price computed from a fix can always be traced
// back to it. Reference data every distributor sees alike, as the catalog: no row-level security.
@ObjectType({ simpleResolvers: true, description: "A fix of a precious metal: its price in US dollars per troy ounce of fine metal, where it came from and when it was set." })
@Entity("metal_prices")
export class MetalPrice {
  // The audit log names a row by its id; orders will name the fix they priced on.
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Field(() => Metal, { description: "The metal: GOLD, SILVER, PLATINUM or PALLADIUM." })
  @Column({ type: "varchar", length: 20 })
  metal: Metal;

  @Field(() => DecimalScalar, { description: 'US dollars per troy ounce (31.1034768 g) of fine metal, up to 4 decimals, e.g. "4123.45".' })
  @Column({ type: "numeric", precision: 14, scale: 4 })
  pricePerTroyOunce: string;

  @Field(() => CurrencyCode, { description: "The fix's currency: always USD, the currency of the London benchmarks." })
  get currency(): CurrencyCode {
    return "USD";
  }

  @Field(() => MetalPriceSource, { description: "Where the price comes from." })
  @Column({ type: "varchar", length: 24 })
  source: MetalPriceSource;

  @Field(() => DateTimeScalar, { description: "When the price was set (the auction's time for a benchmark)." })
  @Column({ type: "timestamptz", precision: 3 })
  fixedAt: Date;

  @Column({ type: "uuid", nullable: true })
  recordedByUserId: string | null;

  @Field(() => DateTimeScalar, { description: "When it was recorded in Facet." })
  @Column({ type: "timestamptz", precision: 3, default: () => "now()" })
  createdAt: Date;
}
