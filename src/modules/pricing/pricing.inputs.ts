import { Field, InputType, ObjectType } from "type-graphql";
import { Connection } from "../../graphql/connection";
import { CurrencyCode, DateTimeScalar, DecimalScalar } from "../../graphql/scalars";
import { Payload } from "../../graphql/user-error";
import { Metal } from "../catalog";
import { ExchangeRate } from "./exchange-rate.entity";
import { MetalPrice } from "./metal-price.entity";
import { MetalPriceSource } from "./pricing.enums";

@InputType({ description: "A metal fix to record. Fixes are kept: a new one never replaces an earlier one." })
export class SetMetalPriceInput {
  @Field(() => Metal, { description: "GOLD, SILVER, PLATINUM or PALLADIUM; brass and stainless steel have no fix." })
  metal: Metal;

  @Field(() => DecimalScalar, { description: 'US dollars per troy ounce of fine metal: more than 0, at most 1,000,000, up to 4 decimals, e.g. "4123.45".' })
  pricePerTroyOunce: string;

  @Field(() => MetalPriceSource, { description: "Where it comes from; a benchmark source must be the metal's own (LBMA_SILVER for silver)." })
  source: MetalPriceSource;

  @Field(() => DateTimeScalar, { description: "When it was set: not in the future (5 minutes' grace for clocks), not before 2000." })
  fixedAt: Date;
}

@ObjectType({ simpleResolvers: true, description: "The result of `setMetalPrice`." })
export class SetMetalPricePayload extends Payload {
  @Field(() => MetalPrice, { nullable: true, description: "The fix recorded; the same fix sent again answers the one recorded the first time." })
  metalPrice?: MetalPrice | null;
}

@InputType({ description: "An exchange rate to record. Rates are kept: a new one never replaces an earlier one." })
export class SetExchangeRateInput {
  @Field(() => CurrencyCode, { description: "The currency one unit of which is priced, e.g. USD." })
  base: CurrencyCode;

  @Field(() => CurrencyCode, { description: "The currency it is priced in, e.g. EUR; not `base`." })
  quote: CurrencyCode;

  @Field(() => String, {
    description: 'Units of `quote` per unit of `base` as an exact decimal string: more than 0, up to 10 digits before the point and 10 after it, e.g. "0.8612".',
  })
  rate: string;

  @Field(() => String, { description: 'Where it comes from, 1 to 60 characters, e.g. "WM/Reuters 16:00 London" or "manual".' })
  source: string;

  @Field(() => DateTimeScalar, { description: "The moment it holds for: not in the future (5 minutes' grace for clocks), not before 2000." })
  asOf: Date;
}

@ObjectType({ simpleResolvers: true, description: "The result of `setExchangeRate`." })
export class SetExchangeRatePayload extends Payload {
  @Field(() => ExchangeRate, { nullable: true, description: "The rate recorded; the same rate sent again answers the one recorded the first time." })
  exchangeRate?: ExchangeRate | null;
}

export const MetalPriceConnection = Connection(MetalPrice);
export const ExchangeRateConnection = Connection(ExchangeRate);
