import { Category, Metal, StoneType } from "./catalog.enums";
import { HS2022_CHAPTER_71, ROUGH_DIAMOND_SUBHEADINGS, defaultSubheading, hsCodeProblem, subheadingsFor, type HsPiece } from "./hs-codes";
import { normalizeHsCode } from "./jewelry";

const ring = (metal: Metal, stones: HsPiece["stones"] = []): HsPiece => ({ metal, category: Category.RING, stones });
const problem = (code: string, piece: HsPiece) => hsCodeProblem(normalizeHsCode(code)!, piece);

// docs/domain.md, "HS codes": the subheadings of HS 2022 chapter 71 (UN Comtrade HS 2022 list).
describe("HS2022_CHAPTER_71", () => {
  it("holds the jewellery subheadings and not the ones that do not exist", () => {
    for (const code of ["711311", "711319", "711320", "711711", "711719", "711790", "710239", "710491", "711610", "711620"]) expect(HS2022_CHAPTER_71[code]).toBeDefined();
    for (const code of ["711390", "711400", "711300", "710490", "711710"]) expect(HS2022_CHAPTER_71[code]).toBeUndefined();
    expect(Object.keys(HS2022_CHAPTER_71)).toHaveLength(55);
    expect(Object.keys(HS2022_CHAPTER_71).every((code) => /^71\d{4}$/.test(code))).toBe(true);
  });

  it("names the rough diamonds of the Kimberley Process", () => {
    expect(ROUGH_DIAMOND_SUBHEADINGS).toEqual(["710210", "710221", "710231"]);
  });
});

describe("hsCodeProblem", () => {
  it.each<[string, HsPiece]>([
    ["711319", ring(Metal.GOLD)],
    ["7113.19", ring(Metal.PLATINUM)],
    ["7113.19", ring(Metal.PALLADIUM)],
    ["7113.19.21.00", { metal: Metal.GOLD, category: Category.NECKLACE }],
    ["7113.11", ring(Metal.SILVER)],
    ["7113.11.50.00", { metal: Metal.SILVER, category: Category.BRACELET }],
    ["7117.19", { metal: Metal.BRASS, category: Category.EARRINGS }],
    ["7117.19", { metal: Metal.STAINLESS_STEEL, category: Category.BANGLE }],
    ["7117.11", { metal: Metal.BRASS, category: Category.CUFFLINKS }],
    ["7113.20", { metal: Metal.BRASS, category: Category.PENDANT }],
    ["7116.10", { metal: Metal.GOLD, category: Category.NECKLACE, stones: [{ type: StoneType.PEARL }] }],
    ["7116.20", { metal: Metal.SILVER, category: Category.BRACELET, stones: [{ type: StoneType.AMETHYST }] }],
  ])("accepts %s for %j", (code, piece) => {
    expect(problem(code, piece)).toBeNull();
  });

  it.each<[string, HsPiece, RegExp]>([
    ["7113.90", ring(Metal.GOLD), /^7113\.90 is not a subheading of HS 2022 chapter 71; a ring of gold is 7113\.19/],
    ["7114.00", ring(Metal.SILVER), /^7114\.00 is not a subheading/],
    ["7102.39", ring(Metal.GOLD, [{ type: StoneType.DIAMOND }]), /^7102\.39 \(non-industrial diamonds, worked, not mounted or set\) does not fit a ring of gold: declare it under 7113\.19/],
    ["7104.91", ring(Metal.GOLD, [{ type: StoneType.DIAMOND }]), /^7104\.91 .* does not fit a ring of gold/],
    ["7101.22", ring(Metal.SILVER), /does not fit a ring of silver: declare it under 7113\.11/],
    ["7113.19", ring(Metal.SILVER), /^7113\.19 .* does not fit a ring of silver/],
    ["7113.11", ring(Metal.GOLD), /does not fit a ring of gold/],
    ["7117.19", ring(Metal.GOLD), /does not fit a ring of gold/],
    ["7117.19", ring(Metal.SILVER), /does not fit a ring of silver/],
    ["7113.19", { metal: Metal.BRASS, category: Category.RING }, /declare it under 7117\.19 .* or 7113\.20/],
    ["7117.19", { metal: Metal.BRASS, category: Category.CUFFLINKS }, /declare it under 7117\.11/],
    ["7117.11", { metal: Metal.STAINLESS_STEEL, category: Category.EARRINGS }, /does not fit earrings of stainless steel: declare it under 7117\.19/],
    ["7117.90", { metal: Metal.BRASS, category: Category.RING }, /does not fit/],
    ["7116.10", ring(Metal.GOLD, [{ type: StoneType.DIAMOND }]), /does not fit/],
    ["7116.20", ring(Metal.GOLD, [{ type: StoneType.DIAMOND }]), /^7116\.20 .* does not fit a ring of gold: declare it under 7113\.19 \(jewellery of other precious metal \(gold, platinum, palladium\), whether or not plated or clad with precious metal\)$/],
    ["7116.10", { metal: Metal.GOLD, category: Category.PENDANT, stones: [{ type: StoneType.PEARL }] }, /does not fit a pendant of gold/],
    ["7114.19", ring(Metal.GOLD), /goldsmiths' wares .* does not fit/],
    ["6117.10", ring(Metal.GOLD), /^Jewelry HS codes are in chapter 71/],
  ])("refuses %s for %j", (code, piece, message) => {
    expect(problem(code, piece)).toMatch(message);
  });
});

describe("subheadingsFor and defaultSubheading", () => {
  it.each<[HsPiece, string]>([
    [{ metal: Metal.SILVER }, "711311"],
    [{ metal: Metal.GOLD }, "711319"],
    [{ metal: Metal.PLATINUM }, "711319"],
    [{ metal: Metal.PALLADIUM }, "711319"],
    [{ metal: Metal.BRASS }, "711719"],
    [{ metal: Metal.STAINLESS_STEEL }, "711719"],
    [{ metal: Metal.BRASS, category: Category.CUFFLINKS }, "711711"],
  ])("gives %j the subheading %s", (piece, code) => {
    expect(defaultSubheading(piece)).toBe(code);
  });

  it("lets a piece of base metal of unknown kind be any imitation jewellery of base metal, or clad", () => {
    expect(subheadingsFor({ metal: Metal.BRASS })).toEqual(["711719", "711711", "711320"]);
  });
});
