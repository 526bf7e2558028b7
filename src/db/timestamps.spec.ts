import { types } from "pg";
import { parseTimestamptz } from "./timestamps";

const pgParser = types.getTypeParser(types.builtins.TIMESTAMPTZ) as (value: string) => Date | number | null;
const ms = (value: Date | number | null) => (value instanceof Date ? value.getTime() : value);

describe("parseTimestamptz", () => {
  it.each([
    ["2026-12-01 21:37:00+00", "2026-12-01T21:37:00.000Z"],
    ["2026-12-01 21:37:00.1+00", "2026-12-01T21:37:00.100Z"],
    ["2026-12-01 21:37:00.12+00", "2026-12-01T21:37:00.120Z"],
    ["2026-12-01 21:37:00.123+00", "2026-12-01T21:37:00.123Z"],
    ["2026-12-01 21:37:00.123999+00", "2026-12-01T21:37:00.123Z"],
    ["2026-12-01 21:37:00.000001+00", "2026-12-01T21:37:00.000Z"],
    ["2026-12-01 22:37:00.5+01", "2026-12-01T21:37:00.500Z"],
    ["2026-12-02 03:07:00+05:30", "2026-12-01T21:37:00.000Z"],
    ["2026-12-01 17:37:00-04", "2026-12-01T21:37:00.000Z"],
    ["2026-12-01 18:07:00-03:30", "2026-12-01T21:37:00.000Z"],
    ["1890-01-01 00:19:32+00:19:32", "1890-01-01T00:00:00.000Z"],
    ["2024-02-29 23:59:59.999+00", "2024-02-29T23:59:59.999Z"],
    ["2026-12-31 23:30:00-01", "2027-01-01T00:30:00.000Z"],
  ])("reads %s as %s", (text, iso) => {
    const parsed = parseTimestamptz(text);
    expect(parsed).toBeInstanceOf(Date);
    expect((parsed as Date).toISOString()).toBe(iso);
  });

  it.each(["infinity", "-infinity", "0044-03-15 12:00:00+00 BC", "0099-01-01 00:00:00+00", "12026-01-01 00:00:00+00", "2026-12-01T21:37:00Z", "2026-12-01 21:37:00+0a"])(
    "leaves %s to pg's parser",
    (text) => {
      expect(ms(parseTimestamptz(text))).toEqual(ms(pgParser(text)));
    },
  );

  it("agrees with pg's parser on many instants in many offsets", () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pad = (n: number, width = 2) => String(n).padStart(width, "0");
    for (let i = 0; i < 5000; i++) {
      const instant = new Date(Date.UTC(1970, 0, 1) + Math.floor(random() * 4102444800000));
      const offsetMinutes = Math.round((random() * 28 - 14) * 4) * 15;
      const local = new Date(instant.getTime() + offsetMinutes * 60_000);
      const sign = offsetMinutes < 0 ? "-" : "+";
      const abs = Math.abs(offsetMinutes);
      const offset = abs % 60 === 0 ? `${sign}${pad(abs / 60)}` : `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
      const fraction = local.getUTCMilliseconds() === 0 ? "" : `.${pad(local.getUTCMilliseconds(), 3)}`;
      const text =
        `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())} ` +
        `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${fraction}${offset}`;
      expect([text, ms(parseTimestamptz(text))]).toEqual([text, instant.getTime()]);
      expect([text, ms(parseTimestamptz(text))]).toEqual([text, ms(pgParser(text))]);
    }
  });
});
