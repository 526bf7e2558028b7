import { registerEnumType } from "type-graphql";

export enum Category {
  RING = "RING",
  NECKLACE = "NECKLACE",
  PENDANT = "PENDANT",
  EARRINGS = "EARRINGS",
  BRACELET = "BRACELET",
  BANGLE = "BANGLE",
  CHAIN = "CHAIN",
  BROOCH = "BROOCH",
  CUFFLINKS = "CUFFLINKS",
  CHARM = "CHARM",
}
registerEnumType(Category, { name: "Category", description: "Kind of jewelry piece." });

export enum Metal {
  GOLD = "GOLD",
  SILVER = "SILVER",
  PLATINUM = "PLATINUM",
  PALLADIUM = "PALLADIUM",
  BRASS = "BRASS",
  STAINLESS_STEEL = "STAINLESS_STEEL",
}
registerEnumType(Metal, {
  name: "Metal",
  description: "Principal metal of a piece. Precious metals carry a fineness; brass and stainless steel do not.",
});

export enum Plating {
  NONE = "NONE",
  RHODIUM = "RHODIUM",
  YELLOW_GOLD = "YELLOW_GOLD",
  ROSE_GOLD = "ROSE_GOLD",
  BLACK_RHODIUM = "BLACK_RHODIUM",
}
registerEnumType(Plating, {
  name: "Plating",
  description: "Surface plating over the principal metal. A gold plating is named by its karat and thickness (see PlatingDesignation).",
  valuesConfig: {
    NONE: { description: "No plating." },
    RHODIUM: { description: "Rhodium." },
    YELLOW_GOLD: { description: "Yellow gold, of a stated karat." },
    ROSE_GOLD: { description: "Rose gold, of a stated karat." },
    BLACK_RHODIUM: { description: "Black rhodium." },
  },
});

// FTC Jewelry Guides, 16 CFR 23 (gold plating terms; vermeil): the name a plating may be sold
// under follows from its karat, its thickness as fine gold, and the metal under it.
export enum PlatingDesignation {
  GOLD_FLASHED = "GOLD_FLASHED",
  GOLD_ELECTROPLATE = "GOLD_ELECTROPLATE",
  HEAVY_GOLD_ELECTROPLATE = "HEAVY_GOLD_ELECTROPLATE",
  VERMEIL = "VERMEIL",
  RHODIUM_PLATED = "RHODIUM_PLATED",
}
registerEnumType(PlatingDesignation, {
  name: "PlatingDesignation",
  description:
    "What a plating may be called (FTC Jewelry Guides). Gold thresholds are measured as fine gold: a layer of K karat and thickness t counts as t × K / 24 µm.",
  valuesConfig: {
    GOLD_FLASHED: { description: '"Gold flashed" or "gold washed": gold of at least 10 karat, thinner than 0.175 µm of fine gold.' },
    GOLD_ELECTROPLATE: { description: '"Gold electroplate": gold of at least 10 karat, at least 0.175 µm of fine gold.' },
    HEAVY_GOLD_ELECTROPLATE: { description: '"Heavy gold electroplate": gold of at least 10 karat, at least 2.5 µm of fine gold.' },
    VERMEIL: { description: "Vermeil: sterling silver (925‰ or finer) under gold of at least 10 karat, at least 2.5 µm of fine gold." },
    RHODIUM_PLATED: { description: "Rhodium or black rhodium plate; no thickness threshold applies." },
  },
});

export enum StoneType {
  DIAMOND = "DIAMOND",
  RUBY = "RUBY",
  SAPPHIRE = "SAPPHIRE",
  EMERALD = "EMERALD",
  PEARL = "PEARL",
  AMETHYST = "AMETHYST",
  TOPAZ = "TOPAZ",
  CITRINE = "CITRINE",
  GARNET = "GARNET",
  PERIDOT = "PERIDOT",
  TANZANITE = "TANZANITE",
  OPAL = "OPAL",
  AQUAMARINE = "AQUAMARINE",
  MOISSANITE = "MOISSANITE",
  CUBIC_ZIRCONIA = "CUBIC_ZIRCONIA",
}
registerEnumType(StoneType, { name: "StoneType", description: "Gemstone species or material." });

export enum StoneShape {
  ROUND = "ROUND",
  PRINCESS = "PRINCESS",
  CUSHION = "CUSHION",
  EMERALD = "EMERALD",
  ASSCHER = "ASSCHER",
  OVAL = "OVAL",
  RADIANT = "RADIANT",
  PEAR = "PEAR",
  MARQUISE = "MARQUISE",
  HEART = "HEART",
  BAGUETTE = "BAGUETTE",
  TRILLION = "TRILLION",
  ROSE_CUT = "ROSE_CUT",
  CABOCHON = "CABOCHON",
  BEAD = "BEAD",
}
registerEnumType(StoneShape, { name: "StoneShape", description: "Cut or shape of a stone." });

export enum StoneOrigin {
  NATURAL = "NATURAL",
  LAB_GROWN = "LAB_GROWN",
  CULTURED = "CULTURED",
  SIMULANT = "SIMULANT",
}
registerEnumType(StoneOrigin, {
  name: "StoneOrigin",
  description: "Whether a stone was mined, grown in a laboratory, cultured, or imitates another stone (FTC Jewelry Guides).",
  valuesConfig: {
    NATURAL: { description: "Formed in nature. An unqualified stone name (\"diamond\", \"pearl\") means a natural one." },
    LAB_GROWN: { description: "Laboratory-grown: same material as the natural stone, made by people. Not for pearls." },
    CULTURED: { description: 'Pearls only: grown by a mollusc after human intervention, named "cultured pearl" (16 CFR 23.20).' },
    SIMULANT: {
      description:
        'Imitates another stone. A gem type (DIAMOND) reads "simulated diamond"; cubic zirconia and moissanite are simulants sold as themselves and read by their own name.',
    },
  },
});

export enum Treatment {
  NONE = "NONE",
  HEAT = "HEAT",
  FRACTURE_FILLED = "FRACTURE_FILLED",
  LASER_DRILLED = "LASER_DRILLED",
  IRRADIATED = "IRRADIATED",
  DIFFUSION = "DIFFUSION",
  OILED = "OILED",
  RESIN = "RESIN",
  COATED = "COATED",
  DYED = "DYED",
  BLEACHED = "BLEACHED",
  HPHT = "HPHT",
  CVD_POST_GROWTH = "CVD_POST_GROWTH",
}
registerEnumType(Treatment, { name: "Treatment", description: "A gemstone treatment that must be disclosed (FTC Jewelry Guides)." });

export enum AvailabilityStatus {
  IN_STOCK = "IN_STOCK",
  LOW_STOCK = "LOW_STOCK",
  MADE_TO_ORDER = "MADE_TO_ORDER",
  DISCONTINUED = "DISCONTINUED",
}
registerEnumType(AvailabilityStatus, {
  name: "AvailabilityStatus",
  description: "How a variant (or the best of a product's variants) can be had now.",
  valuesConfig: {
    IN_STOCK: { description: "More than the low-stock threshold available now." },
    LOW_STOCK: { description: "Some available now, at or below the low-stock threshold." },
    MADE_TO_ORDER: { description: "None available now: made in a production run within the lead time." },
    DISCONTINUED: { description: "No longer made; only what is in stock can be ordered." },
  },
});

export enum ProductOrderField {
  NAME = "NAME",
  STYLE_CODE = "STYLE_CODE",
  NEWEST = "NEWEST",
  AVAILABILITY = "AVAILABILITY",
  UPDATED = "UPDATED",
}
registerEnumType(ProductOrderField, {
  name: "ProductOrderField",
  description: "Orders for the product list.",
  valuesConfig: {
    NAME: { description: "By name, A to Z." },
    STYLE_CODE: { description: "By style code." },
    NEWEST: { description: "Most recently added first." },
    AVAILABILITY: { description: "In stock first, then low stock, made to order, discontinued; by name within each." },
    UPDATED: {
      description:
        "Least recently changed first (`changedAt`: what you see of the style, its variants' prices in your price list and their stock and production included), then by id: the order for incremental sync. A page holds only changes that are final, so paging to the end and resuming from the last `changedAt` misses nothing.",
    },
  },
});

export enum RjcCertificationType {
  COP = "COP",
  COC = "COC",
}
registerEnumType(RjcCertificationType, {
  name: "RjcCertificationType",
  description: "Responsible Jewellery Council certification.",
  valuesConfig: {
    COP: { description: "Code of Practices (mandatory for RJC members)." },
    COC: { description: "Chain of Custody (gold and platinum group metals)." },
  },
});

export enum ProductionSource {
  STOCK = "STOCK",
  BATCH = "BATCH",
  NEW_RUN = "NEW_RUN",
}
registerEnumType(ProductionSource, {
  name: "ProductionSource",
  description: "Where units of a lead-time quote come from.",
  valuesConfig: {
    STOCK: { description: "Available stock now." },
    BATCH: { description: "Free capacity of a scheduled production batch." },
    NEW_RUN: { description: "A new production run started for this quantity." },
  },
});
