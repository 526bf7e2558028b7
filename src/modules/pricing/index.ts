import { ExchangeRate } from "./exchange-rate.entity";
import { MetalPrice } from "./metal-price.entity";
import { PricingResolver } from "./pricing.resolver";

export const pricingEntities = [MetalPrice, ExchangeRate];
export const pricingResolvers = [PricingResolver] as const;

export { ExchangeRate, MetalPrice };
export { MetalPriceSource, FIXED_METALS, SOURCE_METAL } from "./pricing.enums";
export { AppliedExchangeRate } from "./pricing.types";
export { fixAt, freshFix, latestFix, rateAt, ratesTo, type FixWithAge } from "./pricing.service";
export { INVERSE_RATE_DIGITS, convert, convertSum, formatDecimal, invertRate, multiplyExact, parseDecimal } from "./decimal";
export { metalLinkedPrice, type PriceBreakdown } from "./metal-linked";
