import { Metal, StoneOrigin, StoneType, Treatment } from "./catalog.enums";

// Finenesses in parts per thousand that Facet accepts per metal (docs/domain.md, "Precious metals: fineness and karat").
export const ALLOWED_FINENESS: Record<Metal, readonly number[]> = {
  [Metal.GOLD]: [375, 417, 585, 750, 916, 999],
  [Metal.SILVER]: [800, 925, 950, 999],
  [Metal.PLATINUM]: [850, 900, 950],
  [Metal.PALLADIUM]: [500, 950],
  [Metal.BRASS]: [],
  [Metal.STAINLESS_STEEL]: [],
};

// Trade karat marks, not the formula: 585 is 14K and 916 is 22K.
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

// FTC Jewelry Guides: the qualifier stands immediately before the stone name, equally conspicuous.
export function stoneDisplayName(type: StoneType, origin: StoneOrigin): string {
  const name = STONE_NAMES[type];
  if (origin === StoneOrigin.LAB_GROWN) return `lab-grown ${name}`;
  if (origin === StoneOrigin.SIMULANT) return `simulated ${name}`;
  return name;
}

export interface StoneSpec {
  type: StoneType;
  origin: StoneOrigin;
  count: number;
}

const METAL_NAMES: Record<Metal, string> = {
  GOLD: "gold",
  SILVER: "silver",
  PLATINUM: "platinum",
  PALLADIUM: "palladium",
  BRASS: "brass",
  STAINLESS_STEEL: "stainless steel",
};

/** e.g. "18K gold ring with lab-grown diamond": the karat immediately precedes "gold" (FTC 16 CFR 23). */
export function metalDisplayName(metal: Metal, fineness: number | null): string {
  const k = karat(metal, fineness);
  if (k !== null) return `${k}K gold`;
  if (metal === Metal.SILVER && fineness !== null && fineness >= 925) return "sterling silver";
  return fineness !== null ? `${fineness} ${METAL_NAMES[metal]}` : METAL_NAMES[metal];
}

/** "a", "a and b", "a, b and c". */
function listOf(names: readonly string[]): string {
  return names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names.at(-1)}` : (names[0] ?? "");
}

export function displayName(name: string, metal: Metal, fineness: number | null, stones: readonly StoneSpec[]): string {
  const stoneNames = [...new Set(stones.map((s) => stoneDisplayName(s.type, s.origin)))];
  return `${name}, ${metalDisplayName(metal, fineness)}${stoneNames.length ? ` with ${listOf(stoneNames)}` : ""}`;
}

export function containsNaturalDiamond(stones: readonly StoneSpec[]): boolean {
  return stones.some((s) => s.type === StoneType.DIAMOND && s.origin === StoneOrigin.NATURAL);
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
