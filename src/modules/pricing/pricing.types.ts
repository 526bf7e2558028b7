import { Field, ObjectType } from "type-graphql";
import { CurrencyCode, DateTimeScalar, DecimalScalar } from "../../graphql/scalars";

// A rate as Facet applies it: the recorded one, or its inverse when only the other direction was
// recorded (USD→EUR from EUR→USD). Reports show the ones they converted with.
@ObjectType({ simpleResolvers: true, description: "An exchange rate as Facet applied it: a recorded rate, or the inverse of one recorded the other way round." })
export class AppliedExchangeRate {
  @Field(() => CurrencyCode, { description: "The currency converted from." })
  base: CurrencyCode;

  @Field(() => CurrencyCode, { description: "The currency converted to." })
  quote: CurrencyCode;

  @Field(() => DecimalScalar, {
    description: "Units of `quote` per unit of `base`, without trailing zeros. An inverse is 1 ÷ the recorded rate to 10 significant digits, rounded half to even.",
  })
  rate: string;

  @Field(() => DateTimeScalar, { description: "The moment the recorded rate holds for." })
  asOf: Date;

  @Field(() => String, { description: "Where the recorded rate comes from." })
  source: string;

  @Field(() => Boolean, { description: "True when the rate is the inverse of one recorded from `quote` to `base`." })
  inverted: boolean;

  /** The recorded row it comes from: what an order names as the rate it used. */
  exchangeRateId: string;
}
