import { Incoterm } from "../../graphql/scalars";
import { ANY_MODE_EQUIVALENT, INSURED_RULES, SEA_ONLY, SELLER_CHARGES, incotermsText } from "./incoterms";

// docs/domain.md, "Incoterms and insurance cover": Incoterms® 2020, articles A4 (carriage), A5
// (insurance) and A9 (allocation of costs) of each rule.
describe("Incoterms® 2020 for air shipments", () => {
  it("keeps FAS, FOB, CFR and CIF to sea and inland waterway transport, each with its any-mode counterpart", () => {
    expect([...SEA_ONLY].sort()).toEqual(["CFR", "CIF", "FAS", "FOB"]);
    expect(ANY_MODE_EQUIVALENT).toEqual({ FAS: "FCA", FOB: "FCA", CFR: "CPT", CIF: "CIP" });
    expect(INSURED_RULES).toEqual(["CIP", "CIF"]);
  });

  it.each([
    [Incoterm.EXW, false, false, false],
    [Incoterm.FCA, false, false, false],
    [Incoterm.CPT, true, false, false],
    [Incoterm.CIP, true, true, false],
    [Incoterm.DAP, true, false, false],
    [Incoterm.DPU, true, false, false],
    [Incoterm.DDP, true, false, true],
  ])("under %s the seller pays freight %s, insurance %s, duties %s", (rule, freight, insurance, duties) => {
    expect(SELLER_CHARGES[rule]).toEqual({ freight, insurance, duties });
  });

  it("has a charge rule for every one of the eleven rules", () => {
    expect(Object.keys(SELLER_CHARGES).sort()).toEqual(Object.values(Incoterm).sort());
  });

  it("states the rule with its named place and edition", () => {
    expect(incotermsText(Incoterm.CIP, "Antwerp")).toBe("CIP Antwerp Incoterms® 2020");
    expect(incotermsText(Incoterm.FCA, null)).toBe("FCA Incoterms® 2020");
  });
});
