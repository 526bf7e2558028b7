import { EU_MEMBER_STATES, declarationSystemOf, exportDeclarationProblem } from "./export-declarations";

// docs/domain.md, "Export declaration numbers": the declaration follows the country of dispatch.
describe("declarationSystemOf", () => {
  it.each([
    ["IN", "IN_SHIPPING_BILL"],
    ["US", "US_ITN"],
    ["GB", "UK"],
    ["TH", "TH_EXPORT"],
    ["HK", "HK_EXPORT"],
    ["IT", "EU_MRN"],
    ["DE", "EU_MRN"],
    ["FR", "EU_MRN"],
    ["JP", null],
    ["AE", null],
    ["CH", null],
  ])("%s files %s", (country, system) => {
    expect(declarationSystemOf(country)).toBe(system);
  });

  it("knows the 27 member states of the EU", () => {
    expect(EU_MEMBER_STATES).toHaveLength(27);
    expect(EU_MEMBER_STATES).not.toContain("GB");
  });
});

describe("exportDeclarationProblem", () => {
  it.each([
    ["IN", "5512345", "INBOM4"],
    ["IN", "0042001", "INDEL4"],
    ["US", "X20190308366903", null],
    ["DE", "06DE586600006143E1", null],
    ["IT", "06DE586600006143E1", null],
    ["GB", "24GB00000000000A18", null],
    ["GB", "9GB123456789012-ABC1234", null],
    ["TH", "A0011680400123", null],
    ["HK", "EX2026000123", null],
  ])("accepts from %s the declaration %s (port %s)", (country, number, port) => {
    expect(exportDeclarationProblem(country, number, port)).toBeNull();
  });

  it.each([
    ["IN", "X20190308366903", "INBOM4", "number", /dispatched from IN: its export declaration is an Indian shipping bill .*, not a US AES ITN$/],
    ["IN", "06DE586600006143E1", "INBOM4", "number", /Indian shipping bill .*, not an MRN declared in DE$/],
    ["IN", "551234", "INBOM4", "number", /Indian shipping bill \(ICEGATE\): its 7-digit number/],
    ["IN", "5512345", null, "portCode", /give the port code/],
    ["IN", "5512345", "BOM4", "portCode", /IN, 3 letters and 1 digit/],
    ["US", "06DE586600006143E1", null, "number", /US AES ITN.*, not an MRN declared in DE$/],
    ["US", "5512345", null, "number", /not an Indian shipping bill number$/],
    ["US", "X20190308366903", "INBOM4", "portCode", /Only an Indian shipping bill/],
    ["DE", "24GB00000000000A18", null, "number", /EU export declaration's MRN .*, not an MRN declared in GB$/],
    ["DE", "X20190308366903", null, "number", /not a US AES ITN$/],
    ["GB", "06DE586600006143E1", null, "number", /UK export declaration's MRN .* or its DUCR/],
    ["TH", "X20190308366903", null, "number", /Thai e-Customs .*, not a US AES ITN$/],
    ["HK", "24GB00000000000A18", null, "number", /Hong Kong .*, not an MRN declared in GB$/],
    ["JP", "X20190308366903", null, "number", /Facet knows the export declarations of India .*, not of JP/],
  ])("refuses from %s the declaration %s (port %s) on %s", (country, number, port, field, message) => {
    const problem = exportDeclarationProblem(country, number, port);
    expect(problem?.field).toBe(field);
    expect(problem?.message).toMatch(message);
  });
});
