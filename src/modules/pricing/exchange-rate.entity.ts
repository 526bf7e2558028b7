import { Field, ObjectType } from "type-graphql";
import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import { CurrencyCode, DateTimeScalar, DecimalScalar } from "../../graphql/scalars";

// One recorded exchange rate: how many units of `quote` one unit of `base` buys, as of a moment.
// Kept for ever, like the metal fixes: a new rate is a new row. Shared reference data.
@ObjectType({ simpleResolvers: true, description: "An exchange rate as recorded: units of `quote` that one unit of `base` buys, as of a moment." })
@Entity("exchange_rates")
export class ExchangeRate {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Field(() => CurrencyCode, { description: "The currency one unit of which is priced, e.g. USD." })
  @Column({ type: "char", length: 3 })
  base: CurrencyCode;

  @Field(() => CurrencyCode, { description: "The currency it is priced in, e.g. EUR." })
  @Column({ type: "char", length: 3 })
  quote: CurrencyCode;

  @Field(() => DecimalScalar, { description: 'Units of `quote` per unit of `base`, up to 10 decimals, e.g. "0.8612" for USD→EUR.' })
  @Column({ type: "numeric", precision: 20, scale: 10 })
  rate: string;

  @Field(() => String, { description: 'Where the rate comes from, e.g. "WM/Reuters 16:00 London" or "manual".' })
  @Column({ type: "varchar", length: 60 })
  source: string;

  @Field(() => DateTimeScalar, { description: "The moment the rate holds for." })
  @Column({ type: "timestamptz", precision: 3 })
  asOf: Date;

  @Column({ type: "uuid", nullable: true })
  recordedByUserId: string | null;

  @Field(() => DateTimeScalar, { description: "When it was recorded in Facet." })
  @Column({ type: "timestamptz", precision: 3, default: () => "now()" })
  createdAt: Date;
}
