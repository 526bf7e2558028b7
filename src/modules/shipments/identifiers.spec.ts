import {
  AIRLINES,
  TrackingCarrier,
  formatIataAwb,
  isValidDucr,
  isValidHongKongDeclaration,
  isValidIndianPortCode,
  isValidItn,
  isValidMrn,
  isValidShippingBillNumber,
  isValidThaiDeclaration,
  parseHouseAwb,
  parseIataAwb,
  parseTrackingNumber,
} from "./identifiers";

// docs/domain.md, "Air waybills"
describe("parseIataAwb", () => {
  it.each([
    ["176-12345675", "17612345675", "Emirates prefix; 1234567 mod 7 = 5"],
    ["020-81140743", "02081140743", "Lufthansa; 8114074 mod 7 = 3"],
    ["12312345675", "12312345675", "no hyphen"],
    ["057-00000000", "05700000000", "all-zero serial, check 0"],
    ["  176 12345675 ", "17612345675", "a space after the prefix, surrounding blanks"],
  ])("accepts %j as %s (%s)", (input, digits) => {
    expect(parseIataAwb(input)).toBe(digits);
  });

  it.each([
    ["123-12345674", "wrong check digit"],
    ["176-12345679", "a check digit above 6 is impossible"],
    ["1231234567", "10 digits"],
    ["176123456750", "12 digits"],
    ["ABC-12345675", "non-numeric prefix"],
    ["176--12345675", "two hyphens"],
    ["176-1234567-5", "a hyphen before the check digit"],
    ["000-12345675", "prefix 000: airline prefixes run from 001 to 999"],
    ["00000000000", "prefix 000, all-zero serial"],
    ["", "empty"],
  ])("refuses %j (%s)", (input) => {
    expect(parseIataAwb(input)).toBeNull();
  });

  it("shows the stored digits as PPP-SSSSSSSC", () => {
    expect(formatIataAwb("17612345675")).toBe("176-12345675");
    expect(formatIataAwb("05700000000")).toBe("057-00000000");
  });

  it("names the airline of the prefixes docs/domain.md lists", () => {
    expect(AIRLINES["176"]).toBe("Emirates");
    expect(AIRLINES["020"]).toMatch(/^Lufthansa/);
    expect(AIRLINES["160"]).toBe("Cathay Pacific");
    expect(AIRLINES["217"]).toMatch(/^Thai/);
    expect(AIRLINES["123"]).toBeUndefined();
  });
});

// docs/domain.md, "House air waybills": forwarder-numbered, letters and digits, at most 12.
describe("parseHouseAwb", () => {
  it.each([
    ["HAWB12345", "HAWB12345"],
    ["hk0042", "HK0042"],
    [" ABCDEF123456 ", "ABCDEF123456"],
  ])("accepts %j as %s", (input, value) => {
    expect(parseHouseAwb(input)).toBe(value);
  });

  it.each([["ABCDEF1234567"], ["HAWB-1"], ["HAWB 1"], [""]])("refuses %j", (input) => {
    expect(parseHouseAwb(input)).toBeNull();
  });
});

// docs/domain.md, "Carrier tracking numbers", and the sample numbers of the courier definitions it cites.
describe("parseTrackingNumber", () => {
  const valid: [TrackingCarrier, string, string][] = [
    [TrackingCarrier.DHL_EXPRESS, "3318810025", "waybill, mod 7"],
    [TrackingCarrier.DHL_EXPRESS, "8487135506", "waybill, mod 7"],
    [TrackingCarrier.DHL_EXPRESS, "1099255990", "waybill, mod 7"],
    [TrackingCarrier.DHL_EXPRESS, "73891051146", "11-digit waybill, mod 7"],
    [TrackingCarrier.DHL_EXPRESS, "JJD0099999999", "piece id"],
    [TrackingCarrier.DHL_EXPRESS, "JVGL0999999990", "piece id"],
    [TrackingCarrier.FEDEX, "986578788855", "Express 12"],
    [TrackingCarrier.FEDEX, "477179081230", "Express 12"],
    [TrackingCarrier.FEDEX, "799531274483", "Express 12"],
    [TrackingCarrier.FEDEX, "974367662710", "Express 12"],
    [TrackingCarrier.FEDEX, "041441760228964", "Ground 15"],
    [TrackingCarrier.FEDEX, "568283610012000", "Ground 15"],
    [TrackingCarrier.FEDEX, "568283610012734", "Ground 15"],
    [TrackingCarrier.FEDEX, "9611020987654312345672", "Ground 96 (22)"],
    [TrackingCarrier.UPS, "1Z5R89390357567127", "1Z"],
    [TrackingCarrier.UPS, "1Z879E930346834440", "1Z"],
    [TrackingCarrier.UPS, "1Z410E7W0392751591", "1Z"],
    [TrackingCarrier.UPS, "1Z8V92A70367203024", "1Z"],
    [TrackingCarrier.UPS, "K1506235620", "waybill"],
  ];
  it.each(valid)("accepts %s %s (%s)", (carrier, number) => {
    expect(parseTrackingNumber(carrier, number)?.value).toBe(number);
  });

  const invalid: [TrackingCarrier, string, string][] = [
    [TrackingCarrier.DHL_EXPRESS, "3318810010", "wrong mod-7 check"],
    [TrackingCarrier.DHL_EXPRESS, "3318810034", "wrong mod-7 check"],
    [TrackingCarrier.DHL_EXPRESS, "3318810011", "wrong mod-7 check"],
    [TrackingCarrier.DHL_EXPRESS, "331881002", "9 digits"],
    [TrackingCarrier.DHL_EXPRESS, "XJD0099999998", "piece id must start with J"],
    [TrackingCarrier.FEDEX, "996578788855", "Express 12, wrong check"],
    [TrackingCarrier.FEDEX, "98657878885", "11 digits"],
    [TrackingCarrier.FEDEX, "568283610012732", "Ground 15, wrong check"],
    [TrackingCarrier.FEDEX, "9600000000000000000001", "Ground 96, wrong check"],
    [TrackingCarrier.FEDEX, "1Z5R89390357567127", "a UPS number"],
    [TrackingCarrier.UPS, "2Z5R89390357567127", "does not start 1Z"],
    [TrackingCarrier.UPS, "1A5R89390357567127", "does not start 1Z"],
    [TrackingCarrier.UPS, "1Z1111111111111111", "wrong check digit"],
    [TrackingCarrier.UPS, "1Z5R8939035756712F", "a letter where the check digit goes"],
    [TrackingCarrier.UPS, "1Z5R8939035756712", "17 characters"],
    [TrackingCarrier.UPS, "K1506235622", "waybill, wrong check"],
    [TrackingCarrier.UPS, "986578788855", "a FedEx number"],
  ];
  it.each(invalid)("refuses %s %s (%s)", (carrier, number) => {
    expect(parseTrackingNumber(carrier, number)).toBeNull();
  });

  it("ignores spaces and case, and derives the carrier's tracking link", () => {
    expect(parseTrackingNumber(TrackingCarrier.DHL_EXPRESS, "3318 8100 25")).toEqual({
      value: "3318810025",
      url: "https://www.dhl.com/en/express/tracking.html?AWB=3318810025&brand=DHL",
    });
    expect(parseTrackingNumber(TrackingCarrier.FEDEX, " 7 9 0 5 3 5 3 1 2 3 1 7 ")).toEqual({
      value: "790535312317",
      url: "https://www.fedex.com/fedextrack/?trknbr=790535312317",
    });
    expect(parseTrackingNumber(TrackingCarrier.UPS, "1z5r 8939 0357 5671 27")).toEqual({
      value: "1Z5R89390357567127",
      url: "https://www.ups.com/track?tracknum=1Z5R89390357567127",
    });
  });

  it("takes any plain reference from a forwarder or another carrier, without a link", () => {
    expect(parseTrackingNumber(TrackingCarrier.FREIGHT_FORWARDER, "kn-4711-0042")).toEqual({ value: "KN-4711-0042", url: null });
    expect(parseTrackingNumber(TrackingCarrier.OTHER, "RB123456785GB")).toEqual({ value: "RB123456785GB", url: null });
    expect(parseTrackingNumber(TrackingCarrier.OTHER, "AB1")).toBeNull();
    expect(parseTrackingNumber(TrackingCarrier.OTHER, "AB/12")).toBeNull();
  });
});

// docs/domain.md, "Export declaration numbers"
describe("export declaration numbers", () => {
  it.each([["X20190308366903", true], ["X2019030836690", false], ["Y20190308366903", false], ["X20191308366903", false], ["X20230229000001", false], ["X20240229000001", true]])(
    "ITN %s is valid: %s",
    (itn, expected) => {
      expect(isValidItn(itn)).toBe(expected);
    },
  );

  it.each([
    ["06DE586600006143E1", true],
    ["24GB00000000000A18", true],
    ["06DE586600006143E2", false],
    ["22GB02I89012847596", false],
    ["06DE586600006143E", false],
    ["6DE586600006143E10", false],
  ])("MRN %s is valid: %s", (mrn, expected) => {
    expect(isValidMrn(mrn)).toBe(expected);
  });
});

// docs/domain.md, "Export declaration numbers": India's shipping bill, the UK's DUCR, Thailand and Hong Kong.
describe("shipping bills, DUCRs and Asian export declarations", () => {
  it.each([
    ["5512345", true],
    ["0000001", true],
    ["551234", false],
    ["55123456", false],
    ["551234A", false],
    ["X20190308366903", false],
  ])("shipping bill number %s is valid: %s", (number, expected) => {
    expect(isValidShippingBillNumber(number)).toBe(expected);
  });

  it.each([
    ["INBOM4", true],
    ["INDEL4", true],
    ["INMAA1", true],
    ["INBOM", false],
    ["USJFK4", false],
    ["IN BOM4", false],
    ["INB0M4", false],
    ["INBOM44", false],
  ])("Indian port code %s is valid: %s", (code, expected) => {
    expect(isValidIndianPortCode(code)).toBe(expected);
  });

  it.each([
    ["9GB123456789012-ABC1234", true, "the customs-link example"],
    ["5GB123456789000-SHIP(42)-A", true, "brackets and hyphens in the reference"],
    ["5XI123456789000-NI1", true, "allocated in Northern Ireland"],
    ["5GB123456789000-1234567890123456789", true, "35 characters"],
    ["5GB123456789000-12345678901234567890", false, "36 characters"],
    ["GB123456789000-ABC", false, "no year digit"],
    ["5GB12345678900-ABC", false, "an EORI of 11 digits"],
    ["5GB123456789000ABC", false, "no hyphen"],
    ["5GB123456789000-AB/C", false, "a slash"],
    ["5FR123456789000-ABC", false, "not allocated in the UK"],
  ])("DUCR %s is valid: %s (%s)", (ducr, expected) => {
    expect(isValidDucr(ducr)).toBe(expected);
  });

  it.each([
    ["A0011680400123", true],
    ["00116804001234", true],
    ["A001168040012", false],
    ["A00116804001234", false],
    ["A0011680-00123", false],
  ])("Thai declaration number %s is valid: %s", (number, expected) => {
    expect(isValidThaiDeclaration(number)).toBe(expected);
  });

  it.each([
    ["EX2026000123", true],
    ["12345678", true],
    ["1234567", false],
    ["EX-2026-000123", false],
    ["A".repeat(21), false],
  ])("Hong Kong declaration reference %s is valid: %s", (number, expected) => {
    expect(isValidHongKongDeclaration(number)).toBe(expected);
  });
});
