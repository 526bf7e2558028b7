import { Metal, StoneOrigin, StoneType, Treatment } from "./catalog.enums";
import {
  ALLOWED_FINENESS,
  containsNaturalDiamond,
  displayName,
  formatHsCode,
  isPermanentTreatment,
  isValidGtin,
  karat,
  metalDisplayName,
  normalizeHsCode,
  stoneDisplayName,
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

describe("karat", () => {
  it("follows the trade table, not the formula", () => {
    expect(karat(Metal.GOLD, 585)).toBe(14);
    expect(karat(Metal.GOLD, 916)).toBe(22);
    expect(karat(Metal.GOLD, 750)).toBe(18);
    expect(karat(Metal.GOLD, 375)).toBe(9);
    expect(karat(Metal.GOLD, 417)).toBe(10);
    expect(karat(Metal.GOLD, 999)).toBe(24);
  });

  it("is null for other metals, no fineness, or a fineness outside the table", () => {
    expect(karat(Metal.SILVER, 925)).toBeNull();
    expect(karat(Metal.PLATINUM, 950)).toBeNull();
    expect(karat(Metal.BRASS, null)).toBeNull();
    expect(karat(Metal.GOLD, null)).toBeNull();
    expect(karat(Metal.GOLD, 583)).toBeNull();
  });
});

describe("ALLOWED_FINENESS", () => {
  it("lists the finenesses per metal", () => {
    expect(ALLOWED_FINENESS).toEqual({
      GOLD: [375, 417, 585, 750, 916, 999],
      SILVER: [800, 925, 950, 999],
      PLATINUM: [850, 900, 950],
      PALLADIUM: [500, 950],
      BRASS: [],
      STAINLESS_STEEL: [],
    });
  });

  it("refuses the fineness of another metal", () => {
    expect(ALLOWED_FINENESS[Metal.GOLD]).not.toContain(800);
    expect(ALLOWED_FINENESS[Metal.SILVER]).not.toContain(750);
  });
});

const stone = (type: StoneType, origin: StoneOrigin, count = 1): StoneSpec => ({ type, origin, count });

describe("stoneDisplayName", () => {
  it("puts the qualifier immediately before the stone name", () => {
    expect(stoneDisplayName(StoneType.DIAMOND, StoneOrigin.LAB_GROWN)).toBe("lab-grown diamond");
    expect(stoneDisplayName(StoneType.SAPPHIRE, StoneOrigin.LAB_GROWN)).toBe("lab-grown sapphire");
    expect(stoneDisplayName(StoneType.DIAMOND, StoneOrigin.SIMULANT)).toBe("simulated diamond");
    expect(stoneDisplayName(StoneType.CUBIC_ZIRCONIA, StoneOrigin.SIMULANT)).toBe("simulated cubic zirconia");
  });

  it("leaves natural stones unqualified", () => {
    expect(stoneDisplayName(StoneType.DIAMOND, StoneOrigin.NATURAL)).toBe("diamond");
    expect(stoneDisplayName(StoneType.CUBIC_ZIRCONIA, StoneOrigin.NATURAL)).toBe("cubic zirconia");
  });
});

describe("metalDisplayName", () => {
  it("names the metal with its fineness", () => {
    expect(metalDisplayName(Metal.GOLD, 585)).toBe("14K gold");
    expect(metalDisplayName(Metal.SILVER, 925)).toBe("sterling silver");
    expect(metalDisplayName(Metal.SILVER, 800)).toBe("800 silver");
    expect(metalDisplayName(Metal.PLATINUM, 950)).toBe("950 platinum");
    expect(metalDisplayName(Metal.STAINLESS_STEEL, null)).toBe("stainless steel");
  });
});

describe("displayName", () => {
  it("puts the karat before gold and the origin before the stone", () => {
    expect(displayName("Solitaire", Metal.GOLD, 750, [stone(StoneType.DIAMOND, StoneOrigin.LAB_GROWN)])).toBe("Solitaire, 18K gold with lab-grown diamond");
  });

  it("calls simulants simulated", () => {
    expect(displayName("Halo", Metal.SILVER, 925, [stone(StoneType.CUBIC_ZIRCONIA, StoneOrigin.SIMULANT, 12)])).toBe(
      "Halo, sterling silver with simulated cubic zirconia",
    );
  });

  it("names each kind of stone once, in order", () => {
    const stones = [stone(StoneType.RUBY, StoneOrigin.NATURAL), stone(StoneType.DIAMOND, StoneOrigin.LAB_GROWN, 8), stone(StoneType.DIAMOND, StoneOrigin.LAB_GROWN, 2)];
    expect(displayName("Cluster", Metal.GOLD, 585, stones)).toBe("Cluster, 14K gold with ruby and lab-grown diamond");
  });

  it("lists three kinds of stone with commas and a final and", () => {
    const stones = [stone(StoneType.DIAMOND, StoneOrigin.LAB_GROWN, 12), stone(StoneType.EMERALD, StoneOrigin.NATURAL), stone(StoneType.SAPPHIRE, StoneOrigin.NATURAL, 2)];
    expect(displayName("Garden Cluster", Metal.GOLD, 585, stones)).toBe("Garden Cluster, 14K gold with lab-grown diamond, emerald and sapphire");
  });

  it("has no stone part without stones", () => {
    expect(displayName("Curb chain", Metal.BRASS, null, [])).toBe("Curb chain, brass");
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
