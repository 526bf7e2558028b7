import { types } from "pg";

// pg turns every timestamptz it reads into a Date through postgres-date, a chain of regular
// expressions: on a page of a few hundred rows with two or three timestamps each, a measurable
// share of a request's CPU. PostgreSQL writes them in one shape under the ISO DateStyle
// ("2026-12-01 21:37:00.123456+00", offset as +HH, +HH:MM or +HH:MM:SS); that shape is read here
// digit by digit, and anything else (BC, infinity, years before 1000 or after 9999, another
// DateStyle) goes to pg's own parser.

const fallback = types.getTypeParser(types.builtins.TIMESTAMPTZ) as (value: string) => Date | number | null;

const ZERO = 48;

function digits(value: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const d = value.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** A timestamptz as PostgreSQL sends it, as a Date (or what pg's parser makes of other shapes). */
export function parseTimestamptz(value: string): Date | number | null {
  const length = value.length;
  if (length < 22 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45 || value.charCodeAt(10) !== 32 || value.charCodeAt(13) !== 58 || value.charCodeAt(16) !== 58) {
    return fallback(value);
  }
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  const hour = digits(value, 11, 2);
  const minute = digits(value, 14, 2);
  const second = digits(value, 17, 2);
  if (year < 1000 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return fallback(value);

  let at = 19;
  let ms = 0;
  if (value.charCodeAt(at) === 46) {
    // Up to six fraction digits; milliseconds are the first three (the rest truncated, as Date does).
    at++;
    let scale = 100;
    while (at < length) {
      const d = value.charCodeAt(at) - ZERO;
      if (d < 0 || d > 9) break;
      ms += d * scale;
      scale /= 10;
      at++;
    }
    ms = Math.trunc(ms);
  }

  const sign = value.charCodeAt(at);
  if (sign !== 43 && sign !== 45) return fallback(value);
  // +HH, +HH:MM or +HH:MM:SS.
  const rest = length - at - 1;
  if (rest !== 2 && !(rest === 5 && value.charCodeAt(at + 3) === 58) && !(rest === 8 && value.charCodeAt(at + 3) === 58 && value.charCodeAt(at + 6) === 58)) {
    return fallback(value);
  }
  const offsetHours = digits(value, at + 1, 2);
  const offsetMinutes = rest >= 5 ? digits(value, at + 4, 2) : 0;
  const offsetRest = rest === 8 ? digits(value, at + 7, 2) : 0;
  if (offsetHours < 0 || offsetMinutes < 0 || offsetRest < 0) return fallback(value);
  const offsetSeconds = offsetHours * 3600 + offsetMinutes * 60 + offsetRest;

  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  return new Date(utc - (sign === 43 ? 1 : -1) * offsetSeconds * 1000);
}
