import { GraphQLDateTime } from "graphql-scalars";
import { DateTimeScalar } from "./scalars";

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
