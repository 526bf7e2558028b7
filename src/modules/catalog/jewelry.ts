import { toScaled } from "../../graphql/money";
import { Metal, Plating, PlatingDesignation, StoneOrigin, StoneType, Treatment } from "./catalog.enums";

/**
 * The legal standards of fineness, in parts per thousand, a piece may be made and sold in
 * (docs/domain.md, "Precious metals: fineness and karat"): the UK Hallmarking Act 1973 standards
 * for each metal, and the FTC's coin silver (900).
 */
export const ALLOWED_FINENESS: Record<Metal, readonly number[]> = {
  [Metal.GOLD]: [375, 585, 750, 916, 990, 999],
  [Metal.SILVER]: [800, 900, 925, 958, 999],
  [Metal.PLATINUM]: [850, 900, 950, 999],
  [Metal.PALLADIUM]: [500, 950, 999],
  [Metal.BRASS]: [],
  [Metal.STAINLESS_STEEL]: [],
};

// Trade karat marks, not the formula: 585 is 14K and 916 is 22K. 417 (10K) is no legal standard
// and can no longer be entered, but earlier records of it still read as 10K. 990 has no karat: 24K
// is 1000‰, and a mark may fall short of it by at most 3‰ (15 USC 295).
const KARAT_BY_FINENESS: Record<number, number> = { 375: 9, 417: 10, 585: 14, 750: 18, 916: 22, 999: 24 };

export function karat(metal: Metal, fineness: number | null): number | null {
  return metal === Metal.GOLD && fineness !== null ? (KARAT_BY_FINENESS[fineness] ?? null) : null;
}

/** GS1 mod-10 check for GTIN-8, -12, -13 and -14 (GS1 General Specifications §7.9.1). */
export function isValidGtin(gtin: string): boolean {
  if (!/^(\d{8}|\d{12}|\d{13}|\d{14})$/.test(gtin)) return false;
  const digits = [...gtin].map(Number);
  const check = digits.pop()!;
  // From the right, data digits weigh 3, 1, 3, 1…
  const sum = digits.reverse().reduce((acc, d, i) => acc + d * (i % 2 === 0 ? 3 : 1), 0);
  return (10 - (sum % 10)) % 10 === check;
}

/** HS code digits (6, 8 or 10) from input that may contain dots, or null when malformed. */
export function normalizeHsCode(input: string): string | null {
  const digits = input.trim().replace(/\./g, "");
  return /^\d{6}(\d{2}){0,2}$/.test(digits) ? digits : null;
}

/** "7113.19" or "7113.19.21.00" for display. */
export function formatHsCode(digits: string): string {
  return [digits.slice(0, 4), digits.slice(4, 6), digits.slice(6, 8), digits.slice(8, 10)].filter(Boolean).join(".");
}

// Treatments that do not last or need special care; they must be disclosed as such.
const NON_PERMANENT = new Set<Treatment>([Treatment.FRACTURE_FILLED, Treatment.OILED, Treatment.RESIN, Treatment.COATED, Treatment.DYED]);

export function isPermanentTreatment(treatment: Treatment): boolean {
  return !NON_PERMANENT.has(treatment);
}

const STONE_NAMES: Record<StoneType, string> = {
  DIAMOND: "diamond",
  RUBY: "ruby",
  SAPPHIRE: "sapphire",
  EMERALD: "emerald",
  PEARL: "pearl",
  AMETHYST: "amethyst",
  TOPAZ: "topaz",
  CITRINE: "citrine",
  GARNET: "garnet",
  PERIDOT: "peridot",
  TANZANITE: "tanzanite",
  OPAL: "opal",
  AQUAMARINE: "aquamarine",
  MOISSANITE: "moissanite",
  CUBIC_ZIRCONIA: "cubic zirconia",
};

// Materials that are simulants in their own right, sold under their own name: "simulated" would
// wrongly say they imitate themselves (a cubic zirconia sold as a diamond look-alike is recorded
// as a simulated DIAMOND instead).
const SIMULANT_MATERIALS = new Set<StoneType>([StoneType.CUBIC_ZIRCONIA, StoneType.MOISSANITE]);

/**
 * FTC Jewelry Guides: the qualifier stands immediately before the stone name, equally conspicuous
 * ("lab-grown diamond", "cultured pearl", "simulated diamond"); a stone named alone is natural.
 */
export function stoneDisplayName(type: StoneType, origin: StoneOrigin): string {
  const name = STONE_NAMES[type];
  if (origin === StoneOrigin.LAB_GROWN) return `lab-grown ${name}`;
  if (origin === StoneOrigin.CULTURED) return `cultured ${name}`;
  if (origin === StoneOrigin.SIMULANT) return SIMULANT_MATERIALS.has(type) ? name : `simulated ${name}`;
  return name;
}

/**
 * Why a stone's origin cannot be so, or null. Only pearls are cultured, and a pearl grown with
 * human help is cultured, never "lab-grown" (16 CFR 23.20); cubic zirconia is made, never mined,
 * and is itself a simulant.
 */
export function stoneOriginProblem(type: StoneType, origin: StoneOrigin): string | null {
  if (origin === StoneOrigin.CULTURED && type !== StoneType.PEARL) return "Only pearls are CULTURED";
  if (type === StoneType.PEARL && origin === StoneOrigin.LAB_GROWN) return "A pearl grown with human help is CULTURED, not LAB_GROWN";
  if (type === StoneType.CUBIC_ZIRCONIA && origin !== StoneOrigin.SIMULANT) return "Cubic zirconia is a man-made simulant: its origin is SIMULANT";
  return null;
}

// How a treatment is told in a stone's name: "heated sapphire", "oiled emerald".
const TREATMENT_WORDS: Record<Treatment, string> = {
  NONE: "",
  HEAT: "heated",
  FRACTURE_FILLED: "fracture-filled",
  LASER_DRILLED: "laser-drilled",
  IRRADIATED: "irradiated",
  DIFFUSION: "diffusion-treated",
  OILED: "oiled",
  RESIN: "resin-treated",
  COATED: "coated",
  DYED: "dyed",
  BLEACHED: "bleached",
  HPHT: "HPHT-treated",
  CVD_POST_GROWTH: "post-growth-treated",
};
const TREATMENT_ORDER = Object.values(Treatment);

export interface StoneSpec {
  type: StoneType;
  origin: StoneOrigin;
  treatments?: readonly Treatment[];
  count?: number;
}

/**
 * The stone's name with its treatments disclosed before it, as a line description and an invoice
 * carry it (FTC Jewelry Guides: a remote sale discloses treatments in the description): "heated
 * sapphire", "HPHT-treated diamond", "post-growth-treated lab-grown diamond".
 */
export function disclosedStoneName(stone: StoneSpec): string {
  const words = [...new Set(stone.treatments ?? [])]
    .filter((t) => t !== Treatment.NONE)
    .sort((a, b) => TREATMENT_ORDER.indexOf(a) - TREATMENT_ORDER.indexOf(b))
    .map((t) => TREATMENT_WORDS[t]);
  const name = stoneDisplayName(stone.type, stone.origin);
  return words.length ? `${listOf(words)} ${name}` : name;
}

const METAL_NAMES: Record<Metal, string> = {
  GOLD: "gold",
  SILVER: "silver",
  PLATINUM: "platinum",
  PALLADIUM: "palladium",
  BRASS: "brass",
  STAINLESS_STEEL: "stainless steel",
};

// The names of the silver standards: the FTC's sterling (925) and coin (900) silver, and the UK
// Hallmarking Act's Britannia (958) and fine (999) silver.
const SILVER_NAMES: Record<number, string> = { 999: "fine silver", 958: "Britannia silver", 925: "sterling silver", 900: "coin silver" };

/**
 * The metal as it may be named (FTC 16 CFR 23): gold by its karat immediately before "gold" ("14K
 * gold"), silver by the name of its standard ("sterling silver"), otherwise the fineness before
 * the metal ("800 silver", "950 platinum", "990 gold"); a base metal by its name.
 */
export function metalDisplayName(metal: Metal, fineness: number | null): string {
  const k = karat(metal, fineness);
  if (k !== null) return `${k}K gold`;
  if (metal === Metal.SILVER && fineness !== null && SILVER_NAMES[fineness]) return SILVER_NAMES[fineness];
  return fineness !== null ? `${fineness} ${METAL_NAMES[metal]}` : METAL_NAMES[metal];
}

export interface PlatingSpecOf {
  type: Plating;
  karat: number | null;
  thicknessMicrons: string | null;
}

const GOLD_PLATINGS: readonly Plating[] = [Plating.YELLOW_GOLD, Plating.ROSE_GOLD];

export const isGoldPlating = (type: Plating): boolean => GOLD_PLATINGS.includes(type);

/** The least and greatest karat of a gold plating: below 10 karat it may not be called gold at all. */
export const PLATING_KARAT = { min: 10, max: 24 } as const;

// FTC thresholds, in microns of fine gold.
const ELECTROPLATE_MICRONS = "0.175";
const HEAVY_MICRONS = "2.5";

/** Whether a layer of `karat` and `thickness` holds at least `microns` of fine gold: thickness × karat / 24 ≥ microns, exactly. */
const holdsFineGold = (thickness: string, karats: number, microns: string) => toScaled(thickness) * BigInt(karats) >= toScaled(microns) * 24n;

/**
 * What a plating may be called over this metal (FTC Jewelry Guides; docs/domain.md, "Plating and its names"):
 * gold of 10 karat or more is "gold flashed" under 0.175 µm of fine gold, "gold electroplate" from
 * 0.175 µm, "heavy gold electroplate" from 2.5 µm, and vermeil from 2.5 µm over sterling silver.
 * Null without plating, and for a gold plating whose karat or thickness is not known.
 */
export function platingDesignation(metal: Metal, fineness: number | null, plating: PlatingSpecOf): PlatingDesignation | null {
  if (plating.type === Plating.NONE) return null;
  if (!isGoldPlating(plating.type)) return PlatingDesignation.RHODIUM_PLATED;
  const { karat: k, thicknessMicrons: t } = plating;
  if (k === null || t === null || k < PLATING_KARAT.min) return null;
  if (!holdsFineGold(t, k, ELECTROPLATE_MICRONS)) return PlatingDesignation.GOLD_FLASHED;
  if (!holdsFineGold(t, k, HEAVY_MICRONS)) return PlatingDesignation.GOLD_ELECTROPLATE;
  const sterling = metal === Metal.SILVER && fineness !== null && fineness >= 925;
  return sterling ? PlatingDesignation.VERMEIL : PlatingDesignation.HEAVY_GOLD_ELECTROPLATE;
}

/**
 * The metal of a piece with its plating disclosed: "rhodium-plated sterling silver", "14K gold
 * electroplated brass", "heavy 14K gold electroplated brass", "14K gold-flashed brass", "18K gold
 * vermeil". A gold plating's karat stands immediately before "gold" (16 CFR 23.3(b)(2)), and the
 * word says the gold is only on the surface (23.3(b)(3)).
 */
export function pieceMetalName(metal: Metal, fineness: number | null, plating: PlatingSpecOf | null | undefined): string {
  const base = metalDisplayName(metal, fineness);
  if (!plating || plating.type === Plating.NONE) return base;
  if (plating.type === Plating.RHODIUM) return `rhodium-plated ${base}`;
  if (plating.type === Plating.BLACK_RHODIUM) return `black rhodium-plated ${base}`;
  const gold = `${plating.karat}K gold`;
  switch (platingDesignation(metal, fineness, plating)) {
    case PlatingDesignation.GOLD_FLASHED:
      return `${gold}-flashed ${base}`;
    case PlatingDesignation.GOLD_ELECTROPLATE:
      return `${gold} electroplated ${base}`;
    case PlatingDesignation.HEAVY_GOLD_ELECTROPLATE:
      return `heavy ${gold} electroplated ${base}`;
    case PlatingDesignation.VERMEIL:
      return `${gold} vermeil`;
    default:
      // A plating recorded without its karat or thickness: only that it is surface gold can be said.
      return `gold-plated ${base}`;
  }
}

/** "a", "a and b", "a, b and c". */
function listOf(names: readonly string[]): string {
  return names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names.at(-1)}` : (names[0] ?? "");
}

/** What a piece is made of, as far as its name tells. */
export interface PieceSpec {
  metal: Metal;
  fineness: number | null;
  plating?: PlatingSpecOf | null;
  stones: readonly StoneSpec[];
}

/** e.g. "Solitaire, 18K gold with lab-grown diamond", "Halo, rhodium-plated sterling silver with heated sapphire". */
export function displayName(name: string, piece: PieceSpec): string {
  const stoneNames = [...new Set(piece.stones.map(disclosedStoneName))];
  return `${name}, ${pieceMetalName(piece.metal, piece.fineness, piece.plating)}${stoneNames.length ? ` with ${listOf(stoneNames)}` : ""}`;
}

export function containsNaturalDiamond(stones: readonly StoneSpec[]): boolean {
  return stones.some((s) => s.type === StoneType.DIAMOND && s.origin === StoneOrigin.NATURAL);
}

/** A decimal of at most 3 places written with exactly 3 ("4.2" → "4.200"), as the weight columns write theirs. */
export function threeDecimals(value: string): string {
  const [whole, fraction = ""] = value.split(".");
  return `${whole}.${fraction.padEnd(3, "0")}`;
}

// The updated WDC System of Warranties statement, required on B2B invoices for natural diamonds.
export const WDC_SOW_STATEMENT =
  "The diamonds herein invoiced have been purchased from legitimate sources not involved in funding conflict, in compliance with United Nations Resolutions and corresponding national laws. The seller hereby guarantees that these diamonds are conflict free and confirms adherence to the WDC SoW Guidelines.";

/**
 * A ring's ISO 8653 / EU size (the inner circumference in whole millimetres) and its nearest
 * US/Canada size: circumference ≈ 36.5 + 2.55 × size (docs/domain.md, "Ring sizes and chain lengths"), to the nearest quarter.
 */
export function ringSizeFromCircumference(mm: number): { iso: string; us: string } {
  const us = Math.max(0, Math.round(((mm - 36.5) / 2.55) * 4) / 4);
  return { iso: String(Math.round(mm)), us: String(us) };
}
