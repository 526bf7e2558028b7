import { Metal, Plating, PlatingDesignation, StoneOrigin, StoneType, Treatment } from "./catalog.enums";
import {
  ALLOWED_FINENESS,
  containsNaturalDiamond,
  disclosedStoneName,
  displayName,
  formatHsCode,
  isPermanentTreatment,
  isValidGtin,
  karat,
  metalDisplayName,
  normalizeHsCode,
  pieceMetalName,
  platingDesignation,
  stoneDisplayName,
  stoneOriginProblem,
  threeDecimals,
  type PlatingSpecOf,
  type StoneSpec,
} from "./jewelry";

// docs/domain.md, "GTINs"
const VALID_GTINS = ["4006381333931", "6291041500213", "1234567890128", "036000291452", "12345670", "14006381333938"];
const withWrongCheckDigit = (gtin: string) => gtin.slice(0, -1) + String((Number(gtin.at(-1)) + 1) % 10);

describe("isValidGtin", () => {
  it.each(VALID_GTINS)("accepts %s", (gtin) => {
    expect(isValidGtin(gtin)).toBe(true);
  });

  it.each(VALID_GTINS.map(withWrongCheckDigit))("refuses %s (wrong check digit)", (gtin) => {
    expect(isValidGtin(gtin)).toBe(false);
  });

  it.each([
    ["11 digits", "40063813339"],
    ["9 digits", "123456705"],
    ["15 digits", "014006381333938"],
    ["a letter", "400638133393A"],
    ["spaces", "4006381 333931"],
    ["empty", ""],
  ])("refuses %s", (_why, gtin) => {
    expect(isValidGtin(gtin)).toBe(false);
  });
});

describe("normalizeHsCode", () => {
  it.each([
    ["711319", "711319"],
    ["7113.19", "711319"],
    ["710491", "710491"],
    [" 7113.19 ", "711319"],
    ["7113.19.21", "71131921"],
    ["7113.19.21.00", "7113192100"],
  ])("reads %j as %s", (input, digits) => {
    expect(normalizeHsCode(input)).toBe(digits);
  });

  it.each([
    ["heading only", "7113"],
    ["a letter", "71A319"],
    ["7 digits", "7113192"],
    ["9 digits", "711319210"],
    ["12 digits", "711319210000"],
    ["a dash", "7113-19"],
    ["empty", ""],
  ])("refuses %s", (_why, input) => {
    expect(normalizeHsCode(input)).toBeNull();
  });
});

describe("formatHsCode", () => {
  it("dots the heading, subheading and national digits", () => {
    expect(formatHsCode("711319")).toBe("7113.19");
    expect(formatHsCode("71131921")).toBe("7113.19.21");
    expect(formatHsCode("7113192100")).toBe("7113.19.21.00");
  });
});

// docs/domain.md, "Precious metals: fineness and karat"
describe("karat", () => {
  it("follows the trade table, not the formula", () => {
    expect(karat(Metal.GOLD, 585)).toBe(14);
    expect(karat(Metal.GOLD, 916)).toBe(22);
    expect(karat(Metal.GOLD, 750)).toBe(18);
    expect(karat(Metal.GOLD, 375)).toBe(9);
    expect(karat(Metal.GOLD, 999)).toBe(24);
  });

  it("still reads 417 as 10K, for records made before it was refused", () => {
    expect(karat(Metal.GOLD, 417)).toBe(10);
  });

  it("is null for other metals, no fineness, gold 990 (24K is 1000‰, 3‰ tolerance) or a fineness outside the table", () => {
    expect(karat(Metal.SILVER, 925)).toBeNull();
    expect(karat(Metal.PLATINUM, 950)).toBeNull();
    expect(karat(Metal.BRASS, null)).toBeNull();
    expect(karat(Metal.GOLD, null)).toBeNull();
    expect(karat(Metal.GOLD, 990)).toBeNull();
    expect(karat(Metal.GOLD, 583)).toBeNull();
  });
});

describe("ALLOWED_FINENESS", () => {
  it("lists the legal standards per metal: the UK Hallmarking Act's, and the FTC's coin silver", () => {
    expect(ALLOWED_FINENESS).toEqual({
      GOLD: [375, 585, 750, 916, 990, 999],
      SILVER: [800, 900, 925, 958, 999],
      PLATINUM: [850, 900, 950, 999],
      PALLADIUM: [500, 950, 999],
      BRASS: [],
      STAINLESS_STEEL: [],
    });
  });

  it("refuses what is no standard of the metal", () => {
    expect(ALLOWED_FINENESS[Metal.GOLD]).not.toContain(800);
    expect(ALLOWED_FINENESS[Metal.GOLD]).not.toContain(417);
    expect(ALLOWED_FINENESS[Metal.SILVER]).not.toContain(750);
    expect(ALLOWED_FINENESS[Metal.SILVER]).not.toContain(950);
    expect(ALLOWED_FINENESS[Metal.PLATINUM]).not.toContain(500);
  });
});

const stone = (type: StoneType, origin: StoneOrigin, count = 1, treatments: Treatment[] = []): StoneSpec => ({ type, origin, count, treatments });

// docs/domain.md, "Stones: disclosure (FTC Jewelry Guides)"
describe("stoneDisplayName", () => {
  it("puts the qualifier immediately before the stone name", () => {
    expect(stoneDisplayName(StoneType.DIAMOND, StoneOrigin.LAB_GROWN)).toBe("lab-grown diamond");
    expect(stoneDisplayName(StoneType.SAPPHIRE, StoneOrigin.LAB_GROWN)).toBe("lab-grown sapphire");
    expect(stoneDisplayName(StoneType.DIAMOND, StoneOrigin.SIMULANT)).toBe("simulated diamond");
    expect(stoneDisplayName(StoneType.PEARL, StoneOrigin.CULTURED)).toBe("cultured pearl");
  });

  it("names a simulant material by its own name, never as a simulation of itself", () => {
    expect(stoneDisplayName(StoneType.CUBIC_ZIRCONIA, StoneOrigin.SIMULANT)).toBe("cubic zirconia");
    expect(stoneDisplayName(StoneType.MOISSANITE, StoneOrigin.SIMULANT)).toBe("moissanite");
    expect(stoneDisplayName(StoneType.MOISSANITE, StoneOrigin.LAB_GROWN)).toBe("lab-grown moissanite");
  });

  it("leaves natural stones unqualified: an unqualified name is a natural stone", () => {
    expect(stoneDisplayName(StoneType.DIAMOND, StoneOrigin.NATURAL)).toBe("diamond");
    expect(stoneDisplayName(StoneType.PEARL, StoneOrigin.NATURAL)).toBe("pearl");
  });
});

describe("stoneOriginProblem", () => {
  it.each([
    [StoneType.RUBY, StoneOrigin.CULTURED],
    [StoneType.DIAMOND, StoneOrigin.CULTURED],
    [StoneType.PEARL, StoneOrigin.LAB_GROWN],
    [StoneType.CUBIC_ZIRCONIA, StoneOrigin.NATURAL],
    [StoneType.CUBIC_ZIRCONIA, StoneOrigin.LAB_GROWN],
  ])("refuses %s %s", (type, origin) => {
    expect(stoneOriginProblem(type, origin)).toEqual(expect.any(String));
  });

  it.each([
    [StoneType.PEARL, StoneOrigin.CULTURED],
    [StoneType.PEARL, StoneOrigin.NATURAL],
    [StoneType.PEARL, StoneOrigin.SIMULANT],
    [StoneType.CUBIC_ZIRCONIA, StoneOrigin.SIMULANT],
    [StoneType.DIAMOND, StoneOrigin.LAB_GROWN],
    [StoneType.MOISSANITE, StoneOrigin.LAB_GROWN],
  ])("accepts %s %s", (type, origin) => {
    expect(stoneOriginProblem(type, origin)).toBeNull();
  });
});

describe("disclosedStoneName", () => {
  it("names the treatments before the stone", () => {
    expect(disclosedStoneName(stone(StoneType.SAPPHIRE, StoneOrigin.NATURAL, 1, [Treatment.HEAT]))).toBe("heated sapphire");
    expect(disclosedStoneName(stone(StoneType.EMERALD, StoneOrigin.NATURAL, 1, [Treatment.OILED]))).toBe("oiled emerald");
    expect(disclosedStoneName(stone(StoneType.DIAMOND, StoneOrigin.NATURAL, 1, [Treatment.HPHT]))).toBe("HPHT-treated diamond");
    expect(disclosedStoneName(stone(StoneType.PEARL, StoneOrigin.CULTURED, 1, [Treatment.BLEACHED]))).toBe("bleached cultured pearl");
  });

  it("keeps the origin's qualifier immediately before the stone name", () => {
    expect(disclosedStoneName(stone(StoneType.DIAMOND, StoneOrigin.LAB_GROWN, 1, [Treatment.CVD_POST_GROWTH]))).toBe("post-growth-treated lab-grown diamond");
  });

  it("lists several treatments in a fixed order, whatever order they were given in", () => {
    const name = "heated and diffusion-treated sapphire";
    expect(disclosedStoneName(stone(StoneType.SAPPHIRE, StoneOrigin.NATURAL, 1, [Treatment.DIFFUSION, Treatment.HEAT]))).toBe(name);
    expect(disclosedStoneName(stone(StoneType.SAPPHIRE, StoneOrigin.NATURAL, 1, [Treatment.HEAT, Treatment.DIFFUSION]))).toBe(name);
    expect(disclosedStoneName(stone(StoneType.RUBY, StoneOrigin.NATURAL, 1, [Treatment.DYED, Treatment.HEAT, Treatment.FRACTURE_FILLED]))).toBe(
      "heated, fracture-filled and dyed ruby",
    );
  });

  it("is the plain name for an untreated stone", () => {
    expect(disclosedStoneName(stone(StoneType.DIAMOND, StoneOrigin.NATURAL))).toBe("diamond");
    expect(disclosedStoneName(stone(StoneType.DIAMOND, StoneOrigin.NATURAL, 1, [Treatment.NONE]))).toBe("diamond");
  });
});

describe("metalDisplayName", () => {
  it("names gold by its karat, silver by its standard, other metals by their fineness", () => {
    expect(metalDisplayName(Metal.GOLD, 585)).toBe("14K gold");
    expect(metalDisplayName(Metal.GOLD, 990)).toBe("990 gold");
    expect(metalDisplayName(Metal.SILVER, 999)).toBe("fine silver");
    expect(metalDisplayName(Metal.SILVER, 958)).toBe("Britannia silver");
    expect(metalDisplayName(Metal.SILVER, 925)).toBe("sterling silver");
    expect(metalDisplayName(Metal.SILVER, 900)).toBe("coin silver");
    expect(metalDisplayName(Metal.SILVER, 800)).toBe("800 silver");
    expect(metalDisplayName(Metal.PLATINUM, 950)).toBe("950 platinum");
    expect(metalDisplayName(Metal.PLATINUM, 999)).toBe("999 platinum");
    expect(metalDisplayName(Metal.PALLADIUM, 500)).toBe("500 palladium");
    expect(metalDisplayName(Metal.STAINLESS_STEEL, null)).toBe("stainless steel");
  });
});

// docs/domain.md, "Plating and its names": thresholds as fine gold, thickness × karat / 24.
const gold = (karats: number | null, thicknessMicrons: string | null, type = Plating.YELLOW_GOLD): PlatingSpecOf => ({ type, karat: karats, thicknessMicrons });

describe("platingDesignation", () => {
  it.each([
    ["14K 0.100 µm (0.058 fine)", Metal.BRASS, null, gold(14, "0.100"), PlatingDesignation.GOLD_FLASHED],
    ["24K 0.174 µm", Metal.BRASS, null, gold(24, "0.174"), PlatingDesignation.GOLD_FLASHED],
    ["24K 0.175 µm", Metal.BRASS, null, gold(24, "0.175"), PlatingDesignation.GOLD_ELECTROPLATE],
    ["14K 0.299 µm (0.1744 fine)", Metal.BRASS, null, gold(14, "0.299"), PlatingDesignation.GOLD_FLASHED],
    ["14K 0.300 µm (0.175 fine)", Metal.BRASS, null, gold(14, "0.300"), PlatingDesignation.GOLD_ELECTROPLATE],
    ["rose 14K 1.000 µm", Metal.BRASS, null, gold(14, "1.000", Plating.ROSE_GOLD), PlatingDesignation.GOLD_ELECTROPLATE],
    ["24K 2.499 µm", Metal.BRASS, null, gold(24, "2.499"), PlatingDesignation.GOLD_ELECTROPLATE],
    ["24K 2.500 µm", Metal.BRASS, null, gold(24, "2.500"), PlatingDesignation.HEAVY_GOLD_ELECTROPLATE],
    ["18K 3.333 µm (2.49975 fine)", Metal.BRASS, null, gold(18, "3.333"), PlatingDesignation.GOLD_ELECTROPLATE],
    ["18K 3.334 µm (2.5005 fine)", Metal.BRASS, null, gold(18, "3.334"), PlatingDesignation.HEAVY_GOLD_ELECTROPLATE],
    ["24K 2.500 µm over sterling", Metal.SILVER, 925, gold(24, "2.500"), PlatingDesignation.VERMEIL],
    ["10K 6.000 µm over fine silver", Metal.SILVER, 999, gold(10, "6.000"), PlatingDesignation.VERMEIL],
    ["14K 2.500 µm over sterling (1.458 fine)", Metal.SILVER, 925, gold(14, "2.500"), PlatingDesignation.GOLD_ELECTROPLATE],
    ["24K 2.500 µm over 900 silver (not sterling)", Metal.SILVER, 900, gold(24, "2.500"), PlatingDesignation.HEAVY_GOLD_ELECTROPLATE],
    ["rhodium", Metal.SILVER, 925, { type: Plating.RHODIUM, karat: null, thicknessMicrons: "0.500" }, PlatingDesignation.RHODIUM_PLATED],
    ["black rhodium", Metal.GOLD, 750, { type: Plating.BLACK_RHODIUM, karat: null, thicknessMicrons: "0.300" }, PlatingDesignation.RHODIUM_PLATED],
  ])("%s is %s", (_what, metal, fineness, plating, designation) => {
    expect(platingDesignation(metal, fineness, plating)).toBe(designation);
  });

  it("is null without plating, below 10 karat, or when the karat or thickness is not known", () => {
    expect(platingDesignation(Metal.GOLD, 750, { type: Plating.NONE, karat: null, thicknessMicrons: null })).toBeNull();
    expect(platingDesignation(Metal.BRASS, null, gold(9, "3.000"))).toBeNull();
    expect(platingDesignation(Metal.BRASS, null, gold(null, "3.000"))).toBeNull();
    expect(platingDesignation(Metal.BRASS, null, gold(14, null))).toBeNull();
  });
});

describe("pieceMetalName", () => {
  it.each([
    ["gold flashed", Metal.BRASS, null, gold(14, "0.050"), "14K gold-flashed brass"],
    ["gold electroplate", Metal.BRASS, null, gold(14, "1.000"), "14K gold electroplated brass"],
    ["heavy gold electroplate", Metal.BRASS, null, gold(24, "2.500"), "heavy 24K gold electroplated brass"],
    ["vermeil", Metal.SILVER, 925, gold(18, "3.500"), "18K gold vermeil"],
    ["gold electroplate over sterling, too thin for vermeil", Metal.SILVER, 925, gold(14, "2.500"), "14K gold electroplated sterling silver"],
    ["rhodium", Metal.SILVER, 925, { type: Plating.RHODIUM, karat: null, thicknessMicrons: "0.500" }, "rhodium-plated sterling silver"],
    ["black rhodium", Metal.GOLD, 750, { type: Plating.BLACK_RHODIUM, karat: null, thicknessMicrons: "0.300" }, "black rhodium-plated 18K gold"],
    ["a gold plating of unknown karat", Metal.BRASS, null, gold(null, "1.000"), "gold-plated brass"],
    ["no plating", Metal.GOLD, 585, { type: Plating.NONE, karat: null, thicknessMicrons: null }, "14K gold"],
  ])("names %s: %s", (_what, metal, fineness, plating, name) => {
    expect(pieceMetalName(metal, fineness, plating)).toBe(name);
  });
});

describe("displayName", () => {
  const piece = (metal: Metal, fineness: number | null, stones: StoneSpec[], plating: PlatingSpecOf | null = null) => ({ metal, fineness, stones, plating });

  it("puts the karat before gold and the origin before the stone", () => {
    expect(displayName("Solitaire", piece(Metal.GOLD, 750, [stone(StoneType.DIAMOND, StoneOrigin.LAB_GROWN)]))).toBe("Solitaire, 18K gold with lab-grown diamond");
  });

  it("names cubic zirconia by its own name and pearls as cultured", () => {
    expect(displayName("Halo", piece(Metal.SILVER, 925, [stone(StoneType.CUBIC_ZIRCONIA, StoneOrigin.SIMULANT, 12)]))).toBe("Halo, sterling silver with cubic zirconia");
    expect(displayName("Strand", piece(Metal.GOLD, 585, [stone(StoneType.PEARL, StoneOrigin.CULTURED, 45)]))).toBe("Strand, 14K gold with cultured pearl");
  });

  it("names each kind of stone once, in order", () => {
    const stones = [stone(StoneType.RUBY, StoneOrigin.NATURAL), stone(StoneType.DIAMOND, StoneOrigin.LAB_GROWN, 8), stone(StoneType.DIAMOND, StoneOrigin.LAB_GROWN, 2)];
    expect(displayName("Cluster", piece(Metal.GOLD, 585, stones))).toBe("Cluster, 14K gold with ruby and lab-grown diamond");
  });

  it("lists three kinds of stone with commas and a final and, treatments disclosed", () => {
    const stones = [stone(StoneType.DIAMOND, StoneOrigin.LAB_GROWN, 12), stone(StoneType.EMERALD, StoneOrigin.NATURAL, 1, [Treatment.OILED]), stone(StoneType.SAPPHIRE, StoneOrigin.NATURAL, 2)];
    expect(displayName("Garden Cluster", piece(Metal.GOLD, 585, stones))).toBe("Garden Cluster, 14K gold with lab-grown diamond, oiled emerald and sapphire");
  });

  it("discloses the plating", () => {
    expect(displayName("Curb chain", piece(Metal.BRASS, null, [], gold(14, "0.050")))).toBe("Curb chain, 14K gold-flashed brass");
    expect(displayName("Charm", piece(Metal.SILVER, 925, [stone(StoneType.CITRINE, StoneOrigin.NATURAL, 1, [Treatment.HEAT])], gold(18, "3.500")))).toBe(
      "Charm, 18K gold vermeil with heated citrine",
    );
  });

  it("has no stone part without stones", () => {
    expect(displayName("Curb chain", piece(Metal.BRASS, null, []))).toBe("Curb chain, brass");
  });
});

describe("threeDecimals", () => {
  it("writes a weight with three decimals", () => {
    expect(threeDecimals("4.2")).toBe("4.200");
    expect(threeDecimals("12")).toBe("12.000");
    expect(threeDecimals("0.175")).toBe("0.175");
  });
});

describe("isPermanentTreatment", () => {
  it.each([Treatment.HEAT, Treatment.LASER_DRILLED, Treatment.IRRADIATED, Treatment.DIFFUSION, Treatment.BLEACHED, Treatment.HPHT, Treatment.CVD_POST_GROWTH])(
    "%s lasts",
    (treatment) => {
      expect(isPermanentTreatment(treatment)).toBe(true);
    },
  );

  it.each([Treatment.FRACTURE_FILLED, Treatment.OILED, Treatment.RESIN, Treatment.COATED, Treatment.DYED])("%s does not last", (treatment) => {
    expect(isPermanentTreatment(treatment)).toBe(false);
  });
});

describe("containsNaturalDiamond", () => {
  it("is true only for a natural diamond", () => {
    expect(containsNaturalDiamond([stone(StoneType.DIAMOND, StoneOrigin.NATURAL)])).toBe(true);
    expect(containsNaturalDiamond([stone(StoneType.RUBY, StoneOrigin.NATURAL), stone(StoneType.DIAMOND, StoneOrigin.NATURAL)])).toBe(true);
    expect(containsNaturalDiamond([stone(StoneType.DIAMOND, StoneOrigin.LAB_GROWN)])).toBe(false);
    expect(containsNaturalDiamond([stone(StoneType.DIAMOND, StoneOrigin.SIMULANT)])).toBe(false);
    expect(containsNaturalDiamond([stone(StoneType.RUBY, StoneOrigin.NATURAL)])).toBe(false);
    expect(containsNaturalDiamond([])).toBe(false);
  });
});
