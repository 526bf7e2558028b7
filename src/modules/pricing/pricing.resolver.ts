import { Arg, Args, Ctx, Mutation, Query, Resolver } from "type-graphql";
import { Readers, UserRole } from "../../core/access";
import type { RequestContext } from "../../core/context";
import { Allow } from "../../graphql/access";
import { ConnectionArgs } from "../../graphql/connection";
import { CurrencyCode, DateTimeScalar, LocalDateScalar } from "../../graphql/scalars";
import { Metal } from "../catalog";
import { MetalPrice } from "./metal-price.entity";
import { ExchangeRateConnection, MetalPriceConnection, SetExchangeRateInput, SetExchangeRatePayload, SetMetalPriceInput, SetMetalPricePayload } from "./pricing.inputs";
import * as pricing from "./pricing.service";
import { AppliedExchangeRate } from "./pricing.types";

// Fixes and rates are reference data shown beside prices: whoever reads the catalog reads them.
// Export managers record them; support staff never write.
@Resolver()
export class PricingResolver {
  @Allow(...Readers.CATALOG)
  @Query(() => MetalPrice, { nullable: true, description: "The latest fix of a precious metal set at or before `at`; null when none is recorded." })
  metalPrice(
    @Ctx() ctx: RequestContext,
    @Arg("metal", () => Metal, { description: "GOLD, SILVER, PLATINUM or PALLADIUM." }) metal: Metal,
    @Arg("at", () => DateTimeScalar, { nullable: true, description: "The moment asked about; now when left out." }) at?: Date | null,
  ): Promise<MetalPrice | null> {
    return pricing.metalPrice(ctx, metal, at);
  }

  @Allow(...Readers.CATALOG)
  @Query(() => MetalPriceConnection, { nullable: true, description: "The fixes of a precious metal set from `from` to `to` (UTC days, both included), newest first: every source, nothing overwritten." })
  metalPrices(
    @Ctx() ctx: RequestContext,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg("metal", () => Metal, { description: "GOLD, SILVER, PLATINUM or PALLADIUM." }) metal: Metal,
    @Arg("from", () => LocalDateScalar, { description: "First UTC day, included." }) from: string,
    @Arg("to", () => LocalDateScalar, { description: `Last UTC day, included: fewer than ${pricing.MAX_HISTORY_DAYS} days after \`from\`.` }) to: string,
  ) {
    return pricing.metalPrices(ctx, metal, from, to, args);
  }

  @Allow(...Readers.CATALOG)
  @Query(() => AppliedExchangeRate, {
    nullable: true,
    description: "The rate from `base` to `quote` as of `at`: the latest recorded either way round (inverted when recorded from `quote` to `base`); null when none is recorded.",
  })
  exchangeRate(
    @Ctx() ctx: RequestContext,
    @Arg("base", () => CurrencyCode, { description: "The currency converted from." }) base: CurrencyCode,
    @Arg("quote", () => CurrencyCode, { description: "The currency converted to; not `base`." }) quote: CurrencyCode,
    @Arg("at", () => DateTimeScalar, { nullable: true, description: "The moment asked about; now when left out." }) at?: Date | null,
  ): Promise<AppliedExchangeRate | null> {
    return pricing.exchangeRate(ctx, base, quote, at);
  }

  @Allow(...Readers.CATALOG)
  @Query(() => ExchangeRateConnection, {
    nullable: true,
    description: "The rates recorded from `base` to `quote` (that direction only) as of `from` to `to` (UTC days, both included), newest first: nothing overwritten.",
  })
  exchangeRates(
    @Ctx() ctx: RequestContext,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg("base", () => CurrencyCode, { description: "The currency priced." }) base: CurrencyCode,
    @Arg("quote", () => CurrencyCode, { description: "The currency it is priced in; not `base`." }) quote: CurrencyCode,
    @Arg("from", () => LocalDateScalar, { description: "First UTC day, included." }) from: string,
    @Arg("to", () => LocalDateScalar, { description: `Last UTC day, included: fewer than ${pricing.MAX_HISTORY_DAYS} days after \`from\`.` }) to: string,
  ) {
    return pricing.exchangeRates(ctx, base, quote, from, to, args);
  }

  @Allow(UserRole.EXPORT_MANAGER)
  @Mutation(() => SetMetalPricePayload, { description: "Records a metal fix, kept beside every earlier one; the same fix sent again is recorded once. Export managers only." })
  setMetalPrice(@Ctx() ctx: RequestContext, @Arg("input", () => SetMetalPriceInput) input: SetMetalPriceInput): Promise<SetMetalPricePayload> {
    return pricing.setMetalPrice(ctx, input);
  }

  @Allow(UserRole.EXPORT_MANAGER)
  @Mutation(() => SetExchangeRatePayload, { description: "Records an exchange rate, kept beside every earlier one; the same rate sent again is recorded once. Export managers only." })
  setExchangeRate(@Ctx() ctx: RequestContext, @Arg("input", () => SetExchangeRateInput) input: SetExchangeRateInput): Promise<SetExchangeRatePayload> {
    return pricing.setExchangeRate(ctx, input);
  }
}
