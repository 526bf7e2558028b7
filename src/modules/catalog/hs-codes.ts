import { Category, Metal, StoneType } from "./catalog.enums";
import { formatHsCode } from "./jewelry";

// The subheadings of HS 2022 chapter 71 and which of them a piece of jewellery may be declared
// under (docs/domain.md, "HS codes"). Pure functions over digit strings.

/**
 * Every 6-digit subheading of chapter 71 in the 2022 edition of the Harmonized System, with its
 * text abridged. A code whose first six digits are not here (7113.90, 7114.00) does not exist.
 */
export const HS2022_CHAPTER_71: Readonly<Record<string, string>> = {
  "710110": "natural pearls, not strung, mounted or set",
  "710121": "cultured pearls, unworked, not strung, mounted or set",
  "710122": "cultured pearls, worked, not strung, mounted or set",
  "710210": "diamonds, unsorted, not mounted or set",
  "710221": "industrial diamonds, unworked or simply sawn, cleaved or bruted",
  "710229": "industrial diamonds, worked, not mounted or set",
  "710231": "non-industrial diamonds, unworked or simply sawn, cleaved or bruted (rough)",
  "710239": "non-industrial diamonds, worked, not mounted or set",
  "710310": "precious and semi-precious stones, unworked or simply sawn or roughly shaped",
  "710391": "rubies, sapphires and emeralds, worked, not strung, mounted or set",
  "710399": "other precious and semi-precious stones, worked, not strung, mounted or set",
  "710410": "piezo-electric quartz",
  "710421": "synthetic diamonds, unworked or simply sawn or roughly shaped",
  "710429": "other synthetic or reconstructed stones, unworked or simply sawn or roughly shaped",
  "710491": "synthetic diamonds, worked, not strung, mounted or set",
  "710499": "other synthetic or reconstructed stones, worked, not strung, mounted or set",
  "710510": "dust and powder of diamonds",
  "710590": "dust and powder of other precious or semi-precious stones",
  "710610": "silver powder",
  "710691": "silver, unwrought",
  "710692": "silver, semi-manufactured",
  "710700": "base metals clad with silver, semi-manufactured",
  "710811": "gold powder",
  "710812": "gold, unwrought",
  "710813": "gold, semi-manufactured",
  "710820": "monetary gold",
  "710900": "base metals or silver clad with gold, semi-manufactured",
  "711011": "platinum, unwrought or in powder form",
  "711019": "platinum, semi-manufactured",
  "711021": "palladium, unwrought or in powder form",
  "711029": "palladium, semi-manufactured",
  "711031": "rhodium, unwrought or in powder form",
  "711039": "rhodium, semi-manufactured",
  "711041": "iridium, osmium and ruthenium, unwrought or in powder form",
  "711049": "iridium, osmium and ruthenium, semi-manufactured",
  "711100": "base metals, silver or gold clad with platinum, semi-manufactured",
  "711230": "ash containing precious metal",
  "711291": "waste and scrap of gold",
  "711292": "waste and scrap of platinum",
  "711299": "waste and scrap of other precious metal",
  "711311": "jewellery of silver, whether or not plated or clad with other precious metal",
  "711319": "jewellery of other precious metal (gold, platinum, palladium), whether or not plated or clad with precious metal",
  "711320": "jewellery of base metal clad with precious metal",
  "711411": "silversmiths' wares of silver",
  "711419": "goldsmiths' wares of other precious metal",
  "711420": "goldsmiths' and silversmiths' wares of base metal clad with precious metal",
  "711510": "platinum catalysts in the form of wire cloth or grill",
  "711590": "other articles of precious metal or of metal clad with precious metal",
  "711610": "articles of natural or cultured pearls",
  "711620": "articles of precious or semi-precious stones (natural, synthetic or reconstructed)",
  "711711": "imitation jewellery of base metal, cuff links and studs, whether or not plated with precious metal",
  "711719": "other imitation jewellery of base metal, whether or not plated with precious metal",
  "711790": "imitation jewellery of other materials",
  "711810": "coin, not legal tender (other than gold coin)",
  "711890": "other coin",
};

/** Rough diamonds: what the Kimberley Process certifies (docs/domain.md, "The Kimberley Process"). */
export const ROUGH_DIAMOND_SUBHEADINGS: readonly string[] = ["710210", "710221", "710231"];

const PRECIOUS: readonly Metal[] = [Metal.GOLD, Metal.PLATINUM, Metal.PALLADIUM];
const BASE: readonly Metal[] = [Metal.BRASS, Metal.STAINLESS_STEEL];
// Kinds of piece that can be a strand: a necklace or a bracelet of pearls or beads.
const STRANDS: readonly Category[] = [Category.NECKLACE, Category.BRACELET];

/** What decides a finished piece's subheading: its principal metal, its kind and its stones. */
export interface HsPiece {
  metal: Metal;
  /** Unknown for a piece made from a design brief's lines. */
  category?: Category | null;
  stones?: readonly { type: StoneType }[];
}

/** The subheadings a finished piece may be declared under, most usual first. */
export function subheadingsFor(piece: HsPiece): string[] {
  const allowed: string[] = [];
  if (piece.metal === Metal.SILVER) allowed.push("711311");
  else if (PRECIOUS.includes(piece.metal)) allowed.push("711319");
  else if (BASE.includes(piece.metal)) {
    // Imitation jewellery of base metal, plated or not; cuff links and studs have their own
    // subheading. Clad (not plated) base metal is real jewellery.
    if (piece.category === Category.CUFFLINKS) allowed.push("711711");
    else if (piece.category === undefined || piece.category === null) allowed.push("711719", "711711");
    else allowed.push("711719");
    allowed.push("711320");
  }
  // A strand of pearls or of stones on a clasp is an article of pearls or stones (heading 7116);
  // a ring or a pendant set with stones stays jewellery of its metal.
  const stones = piece.stones ?? [];
  const strand = piece.category === undefined || piece.category === null || STRANDS.includes(piece.category);
  if (strand && stones.some((s) => s.type === StoneType.PEARL)) allowed.push("711610");
  if (strand && stones.some((s) => s.type !== StoneType.PEARL)) allowed.push("711620");
  return allowed;
}

/** The subheading of a piece with no tariff code of its own (an exclusive design-brief piece). */
export function defaultSubheading(piece: HsPiece): string {
  return subheadingsFor(piece)[0];
}

const labelOf = (subheading: string) => `${formatHsCode(subheading)} (${HS2022_CHAPTER_71[subheading]})`;
// "a ring of gold", "earrings of stainless steel".
function kindOf(piece: HsPiece): string {
  const kind = piece.category ? piece.category.toLowerCase() : "piece";
  return `${kind.endsWith("s") ? "" : "a "}${kind} of ${piece.metal.toLowerCase().replace(/_/g, " ")}`;
}

/**
 * Why a tariff code (6, 8 or 10 digits, already normalised) cannot be a finished piece's, or
 * null when it can: its first six digits must be an HS 2022 subheading of chapter 71 that fits
 * the piece's metal, kind and stones. The national digits beyond six are not checked.
 */
export function hsCodeProblem(digits: string, piece: HsPiece): string | null {
  if (!digits.startsWith("71")) return "Jewelry HS codes are in chapter 71 (e.g. 7113.19, 7117.19)";
  const subheading = digits.slice(0, 6);
  const allowed = subheadingsFor(piece);
  const expected = allowed.map(labelOf).join(" or ");
  if (!Object.hasOwn(HS2022_CHAPTER_71, subheading)) return `${formatHsCode(subheading)} is not a subheading of HS 2022 chapter 71; ${kindOf(piece)} is ${expected}`;
  if (!allowed.includes(subheading)) return `${labelOf(subheading)} does not fit ${kindOf(piece)}: declare it under ${expected}`;
  return null;
}
