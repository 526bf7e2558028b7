import { isoWeekday } from "../../core/working-week";

// Business-day arithmetic over the exporter's working calendar: pure functions of a set of
// weekly days off and a set of holiday dates (docs/domain.md, "Lead times and business days").

export interface WorkingCalendar {
  /** ISO weekdays (1 = Monday … 7 = Sunday) the workshop is closed every week. */
  weekendDays: ReadonlySet<number>;
  /** YYYY-MM-DD dates the workshop is closed: public holidays and its own closures. */
  holidays: ReadonlySet<string>;
}

export function workingCalendar(weekendDays: Iterable<number>, holidays: Iterable<string> = []): WorkingCalendar {
  const weekend = new Set(weekendDays);
  // A week of days off would leave no business day to count to.
  if ([1, 2, 3, 4, 5, 6, 7].every((day) => weekend.has(day))) throw new Error("a working week needs at least one working day");
  return { weekendDays: weekend, holidays: new Set(holidays) };
}

/** The date `days` calendar days after (before, when negative) a YYYY-MM-DD date. */
export function addCalendarDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Calendar days from one date to another; negative when `to` is earlier. */
export function calendarDaysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function isBusinessDay(calendar: WorkingCalendar, date: string): boolean {
  return !calendar.weekendDays.has(isoWeekday(date)) && !calendar.holidays.has(date);
}

/**
 * The `days`-th business day after `date`. The start itself does not count, whether or not it is
 * a business day: one business day from a Sunday (or a holiday) is the next working day. Zero
 * days leave the date as it is, even a day off.
 */
export function addBusinessDays(calendar: WorkingCalendar, date: string, days: number): string {
  let current = date;
  let left = days;
  while (left > 0) {
    current = addCalendarDays(current, 1);
    if (isBusinessDay(calendar, current)) left--;
  }
  return current;
}

/**
 * The business days after `from` up to and including `to`: the number `addBusinessDays` takes
 * from `from` to reach `to` when `to` is a business day; 0 when `to` is not after `from`.
 */
export function businessDaysBetween(calendar: WorkingCalendar, from: string, to: string): number {
  let count = 0;
  for (let current = addCalendarDays(from, 1); current <= to; current = addCalendarDays(current, 1)) {
    if (isBusinessDay(calendar, current)) count++;
  }
  return count;
}
