import { convert, convertSum, divideSignificant, formatDecimal, invertRate, isRate, parseDecimal, roundTo } from "./decimal";

// Worked by hand (and checked against Python's decimal module at 60 digits, HALF_EVEN):
// 1 ÷ 0.8571 = 1.16672500291681…, 1 ÷ 152.23 = 0.00656900742297…, 1 ÷ 0.3072 = 3.25520833333…,
// 1 ÷ 3.6725 = 0.27229407760381…

describe("exact decimals", () => {
  it("parses and writes decimals without losing a digit", () => {
    for (const value of ["0", "0.5", "-0.125", "4123.4500", "0.0000000001", "9999999999.9999999999", "152230"]) {
      expect(formatDecimal(parseDecimal(value))).toBe(value);
    }
    expect(() => parseDecimal("1e3")).toThrow();
    expect(() => parseDecimal("0.1.2")).toThrow();
  });

  it("rounds half to even", () => {
    const round = (value: string, scale: number) => formatDecimal(roundTo(parseDecimal(value), scale));
    expect(round("0.125", 2)).toBe("0.12");
    expect(round("0.135", 2)).toBe("0.14");
    expect(round("0.1251", 2)).toBe("0.13");
    expect(round("2.5", 0)).toBe("2");
    expect(round("3.5", 0)).toBe("4");
    expect(round("-2.5", 0)).toBe("-2");
    expect(round("-0.135", 2)).toBe("-0.14");
    expect(round("1.5", 3)).toBe("1.500");
  });

  it("divides to a number of significant digits", () => {
    const div = (a: string, b: string, digits: number) => formatDecimal(divideSignificant(parseDecimal(a), parseDecimal(b), digits));
    expect(div("1", "3", 5)).toBe("0.33333");
    expect(div("2", "3", 5)).toBe("0.66667");
    expect(div("1", "8", 2)).toBe("0.12"); // 0.125: the tie goes to the even digit
    expect(div("1", "0.0000000001", 10)).toBe("10000000000"); // more integer digits than asked: all kept
    expect(div("9.9999999999", "1", 10)).toBe("10.00000000"); // rounding up adds a digit
    expect(div("0", "7", 10)).toBe("0");
  });
});

describe("exchange rates", () => {
  it("inverts a rate to 10 significant digits, half to even", () => {
    expect(invertRate("0.8571")).toBe("1.166725003"); // EUR→USD from USD→EUR
    expect(invertRate("152.2300000000")).toBe("0.006569007423"); // USD from JPY: 10 significant, not 10 decimals
    expect(invertRate("0.3072")).toBe("3.255208333"); // KWD→USD
    expect(invertRate("3.6725")).toBe("0.2722940776"); // the dirham's peg
    expect(invertRate("1")).toBe("1");
    expect(invertRate("0.5")).toBe("2");
  });

  it("accepts rates of up to 10 digits each side of the point, above 0", () => {
    expect(isRate("0.8571")).toBe(true);
    expect(isRate("0.0000000001")).toBe(true);
    expect(isRate("9999999999.9999999999")).toBe(true);
    expect(isRate("0")).toBe(false);
    expect(isRate("0.0000000000")).toBe(false);
    expect(isRate("0.00000000001")).toBe(false);
    expect(isRate("10000000000")).toBe(false);
    expect(isRate("-1")).toBe(false);
  });

  it("converts to a currency with no decimals (JPY), rounding half to even", () => {
    expect(convert("1000.00", "152.23", "JPY")).toBe("152230");
    expect(convert("10.05", "152.23", "JPY")).toBe("1530"); // 1529.9115
    expect(convert("0.5", "1", "JPY")).toBe("0");
    expect(convert("1.5", "1", "JPY")).toBe("2");
    expect(convert("2.5", "1", "JPY")).toBe("2");
    // Back from yen through the inverse: 1000 × 0.006569007423 = 6.569007423.
    expect(convert("1000", invertRate("152.23"), "USD")).toBe("6.57");
  });

  it("converts to a currency with three decimals (KWD) and back through the inverse", () => {
    expect(convert("1000.00", "0.3072", "KWD")).toBe("307.200");
    expect(convert("1234.5678", "0.30715", "KWD")).toBe("379.197"); // 379.19749977
    // 307.200 × 3.255208333 = 999.9999998976: the inverse's 10 digits are within a cent.
    expect(convert("307.200", invertRate("0.3072"), "USD")).toBe("1000.00");
  });

  it("adds amounts in several currencies exactly and rounds once", () => {
    // 2681.00 EUR at 1.166725003 = 3127.989733043 USD, plus 3499.99 USD: 6627.979733043.
    expect(convertSum([{ amount: "2681.00", rate: "1.166725003" }, { amount: "3499.99", rate: "1" }], "USD")).toBe("6627.98");
    // Three amounts of 0.005 each: rounded one by one they would make 0.00 (ties to even); added first, 0.015 → 0.02.
    expect(convertSum([{ amount: "0.005", rate: "1" }, { amount: "0.005", rate: "1" }, { amount: "0.005", rate: "1" }], "USD")).toBe("0.02");
    expect(convertSum([], "JPY")).toBe("0");
  });
});
