import { registerEnumType } from "type-graphql";
import { Metal } from "../catalog";

// Where a fix comes from. The LBMA administers the London gold and silver prices and the LPPM
// the platinum and palladium prices (auctions run by ICE Benchmark Administration and the LME;
// see docs/domain.md, "Metal fixes and exchange rates", and lbma.org.uk). Each source prices
// one metal; MANUAL is any other quote staff enter by hand, for any of the four.
export enum MetalPriceSource {
  LBMA_GOLD_AM = "LBMA_GOLD_AM",
  LBMA_GOLD_PM = "LBMA_GOLD_PM",
  LBMA_SILVER = "LBMA_SILVER",
  LPPM_PLATINUM_AM = "LPPM_PLATINUM_AM",
  LPPM_PLATINUM_PM = "LPPM_PLATINUM_PM",
  LPPM_PALLADIUM_AM = "LPPM_PALLADIUM_AM",
  LPPM_PALLADIUM_PM = "LPPM_PALLADIUM_PM",
  MANUAL = "MANUAL",
}
registerEnumType(MetalPriceSource, {
  name: "MetalPriceSource",
  description: "Where a metal fix comes from: one of the London benchmark prices, or a price entered by hand.",
  valuesConfig: {
    LBMA_GOLD_AM: { description: "LBMA Gold Price, morning auction (10:30 London), USD per troy ounce. Gold only." },
    LBMA_GOLD_PM: { description: "LBMA Gold Price, afternoon auction (15:00 London), USD per troy ounce. Gold only." },
    LBMA_SILVER: { description: "LBMA Silver Price (12:00 London), USD per troy ounce. Silver only." },
    LPPM_PLATINUM_AM: { description: "LBMA Platinum Price for the LPPM, morning (09:45 London), USD per troy ounce. Platinum only." },
    LPPM_PLATINUM_PM: { description: "LBMA Platinum Price for the LPPM, afternoon (14:00 London), USD per troy ounce. Platinum only." },
    LPPM_PALLADIUM_AM: { description: "LBMA Palladium Price for the LPPM, morning (09:45 London), USD per troy ounce. Palladium only." },
    LPPM_PALLADIUM_PM: { description: "LBMA Palladium Price for the LPPM, afternoon (14:00 London), USD per troy ounce. Palladium only." },
    MANUAL: { description: "A price entered by hand (a dealer's quote, a day without a fix), for any of the four precious metals." },
  },
});

/** The metals Facet records fixes of: the precious ones. Brass and stainless steel are priced by the piece. */
export const FIXED_METALS: readonly Metal[] = [Metal.GOLD, Metal.SILVER, Metal.PLATINUM, Metal.PALLADIUM];

/** The metal each benchmark source prices; MANUAL prices any fixed metal. */
export const SOURCE_METAL: Readonly<Record<Exclude<MetalPriceSource, MetalPriceSource.MANUAL>, Metal>> = {
  LBMA_GOLD_AM: Metal.GOLD,
  LBMA_GOLD_PM: Metal.GOLD,
  LBMA_SILVER: Metal.SILVER,
  LPPM_PLATINUM_AM: Metal.PLATINUM,
  LPPM_PLATINUM_PM: Metal.PLATINUM,
  LPPM_PALLADIUM_AM: Metal.PALLADIUM,
  LPPM_PALLADIUM_PM: Metal.PALLADIUM,
};

export function sourcePrices(source: MetalPriceSource, metal: Metal): boolean {
  return source === MetalPriceSource.MANUAL ? FIXED_METALS.includes(metal) : SOURCE_METAL[source] === metal;
}
