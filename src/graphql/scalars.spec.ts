import { GraphQLDateTime } from "graphql-scalars";
import { DateTimeScalar, isoString } from "./scalars";

describe("isoString", () => {
  it("writes what toISOString writes, across leap years, month ends and the range's edges", () => {
    const instants = [
      Date.UTC(1000, 0, 1),
      Date.UTC(1969, 11, 31, 23, 59, 59, 999),
      0,
      Date.UTC(2000, 1, 29, 12, 0, 0, 5),
      Date.UTC(2024, 1, 29, 23, 59, 59, 999),
      Date.UTC(2026, 11, 31, 23, 59, 59, 999),
      Date.UTC(2100, 2, 1),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
    ];
    // And steps of 23 days and an hour and a bit through four centuries.
    for (let t = Date.UTC(1899, 0, 1); t < Date.UTC(2301, 0, 1); t += 86_400_000 * 23 + 3_723_456) instants.push(t);
    for (const t of instants) expect(isoString(new Date(t))).toBe(new Date(t).toISOString());
  });

  it("leaves years outside 1000 to 9999 to toISOString", () => {
    for (const t of [Date.UTC(999, 11, 31), Date.UTC(10000, 0, 1), -62198755200000]) expect(isoString(new Date(t))).toBe(new Date(t).toISOString());
  });
});

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
