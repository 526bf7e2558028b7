// The exporter's clock and working week, as plain data and pure functions: what config reads at
// load and what the calendar module counts business days with (docs/domain.md, "Lead times and
// business days").

/** ISO 8601 weekday numbers: Monday is 1, Sunday is 7 (PostgreSQL's `extract(isodow …)`). */
export const WEEKDAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"] as const;
export type WeekdayName = (typeof WEEKDAYS)[number];

/** The ISO weekday (1 = Monday … 7 = Sunday) of a YYYY-MM-DD date. */
export function isoWeekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay() || 7;
}

/**
 * The weekly days off of a country's workshops where they differ from Saturday and Sunday. In
 * India the Factories Act, 1948 (s. 52) gives factory workers a weekly holiday, Sunday unless
 * another day is substituted, and jewellery workshops (Jaipur, Mumbai, Surat) work Saturdays:
 * Sunday alone. The date-holidays data for India says the same (`dayoff: sunday`).
 */
export const WEEKEND_BY_COUNTRY: Readonly<Record<string, readonly number[]>> = {
  IN: [7],
};

/** The usual weekend elsewhere: Saturday and Sunday. */
export const USUAL_WEEKEND: readonly number[] = [6, 7];

export function defaultWeekend(country: string): readonly number[] {
  return WEEKEND_BY_COUNTRY[country] ?? USUAL_WEEKEND;
}

// An IANA zone name as both Intl and PostgreSQL know them ("Asia/Kolkata", "UTC",
// "America/Argentina/Buenos_Aires"): never an offset such as "+05:30", which PostgreSQL reads
// with the POSIX sign, the other way round.
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether `name` is an IANA time zone name this runtime knows. */
export function isTimeZone(name: string): boolean {
  if (!ZONE_NAME.test(name)) return false;
  try {
    formatterFor(name);
    return true;
  } catch {
    return false;
  }
}

/**
 * The calendar date (YYYY-MM-DD) on the wall in `timeZone` at the instant `at`: the exporter's
 * "today" when `at` is now. At 20:00 UTC it is already the next day in India (UTC+05:30).
 */
export function localDate(at: Date, timeZone: string): string {
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(at).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}
