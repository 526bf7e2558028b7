import { Kind } from "graphql";
import { GraphQLDateTime } from "graphql-scalars";
import { DateTimeScalar, DecimalScalar, LocalDateScalar } from "./scalars";

describe("DateTime", () => {
  it("answers the string JSON would have made of the Date", () => {
    const at = new Date("2026-03-01T08:30:05.120Z");
    expect(DateTimeScalar.serialize(at)).toBe("2026-03-01T08:30:05.120Z");
    expect(JSON.stringify({ at: DateTimeScalar.serialize(at) })).toBe(JSON.stringify({ at: GraphQLDateTime.serialize(at) }));
  });

  it("serializes a date-time string as graphql-scalars does, in UTC", () => {
    expect(DateTimeScalar.serialize("2026-03-01T10:30:05.120+02:00")).toBe("2026-03-01T08:30:05.120Z");
  });

  it("refuses what graphql-scalars refuses", () => {
    expect(() => DateTimeScalar.serialize(new Date(Number.NaN))).toThrow();
    expect(() => DateTimeScalar.serialize("yesterday")).toThrow();
    expect(() => DateTimeScalar.serialize(true)).toThrow();
  });

  it("is graphql-scalars' DateTime in the schema and on input", () => {
    expect(DateTimeScalar.name).toBe("DateTime");
    expect(DateTimeScalar.description).toBe(GraphQLDateTime.description);
    expect(DateTimeScalar.parseValue("2026-03-01T08:30:05Z")).toEqual(new Date("2026-03-01T08:30:05Z"));
  });
});

describe("DateTime and Date on input", () => {
  it("refuses a time in year 0 or 10000 (in UTC), which PostgreSQL cannot hold, and takes the years 1 to 9999", () => {
    for (const value of ["0000-06-01T00:00:00Z", "0001-01-01T00:00:00+01:00", "9999-12-31T23:30:00-01:00"]) {
      expect(() => DateTimeScalar.parseValue(value)).toThrow(/years 1 to 9999/);
      expect(() => DateTimeScalar.parseLiteral({ kind: Kind.STRING, value }, {})).toThrow(/years 1 to 9999/);
    }
    expect(DateTimeScalar.parseValue("0001-01-01T00:00:00Z")).toEqual(new Date("0001-01-01T00:00:00Z"));
    expect(DateTimeScalar.parseValue("9999-12-31T23:59:59.999Z")).toEqual(new Date("9999-12-31T23:59:59.999Z"));
  });

  it("refuses the date 0000-01-01 and takes 0001-01-01 and 9999-12-31", () => {
    expect(() => LocalDateScalar.parseValue("0000-01-01")).toThrow(/years 1 to 9999/);
    expect(() => LocalDateScalar.parseLiteral({ kind: Kind.STRING, value: "0000-12-31" }, {})).toThrow(/years 1 to 9999/);
    expect(LocalDateScalar.parseValue("0001-01-01")).toBe("0001-01-01");
    expect(LocalDateScalar.parseValue("9999-12-31")).toBe("9999-12-31");
  });
});

describe("Decimal on input", () => {
  it("refuses more digits before the point than the widest decimal column holds (numeric(18,4): 14), and takes 14 and 8 after it", () => {
    expect(() => DecimalScalar.parseValue("100000000000000")).toThrow(/14 digits/);
    expect(() => DecimalScalar.parseValue("-999999999999999.5")).toThrow(/14 digits/);
    expect(() => DecimalScalar.parseLiteral({ kind: Kind.STRING, value: "999999999999999999" }, {})).toThrow(/14 digits/);
    expect(DecimalScalar.parseValue("99999999999999.12345678")).toBe("99999999999999.12345678");
    expect(DecimalScalar.parseValue("-1249.50")).toBe("-1249.50");
  });
});
