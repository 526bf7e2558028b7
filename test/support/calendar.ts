import { localDate } from "../../src/core/working-week";
import { addBusinessDays, addCalendarDays, businessDaysBetween, workingCalendar, type WorkingCalendar } from "../../src/modules/calendar";
import type { TestFacet } from "./harness";

// Dates in tests follow the exporter's clock, as Facet does: its today is not UTC's (in India
// the day turns at 18:30 UTC).

/** EXPORTER_TIME_ZONE as tests run Facet unless one says otherwise: the default. */
export const TEST_TIME_ZONE = "Asia/Kolkata";

/** The exporter's today, YYYY-MM-DD. */
export function exporterToday(timeZone = TEST_TIME_ZONE): string {
  return localDate(new Date(), timeZone);
}

/**
 * The exporter's today and its working calendar from today on, as this Facet counts lead times:
 * its time zone, its weekly days off and the holidays in the database.
 */
export async function exporterCalendar(facet: Pick<TestFacet, "config" | "dataSource">): Promise<{ today: string; calendar: WorkingCalendar }> {
  const today = localDate(new Date(), facet.config.exporterTimeZone);
  const rows = (await facet.dataSource.query(`SELECT date FROM holidays WHERE date >= $1`, [today])) as { date: string }[];
  return { today, calendar: workingCalendar(facet.config.exporterWeekendDays, rows.map((r) => r.date)) };
}

/**
 * When an order for a design brief quoted in calendar days (the deprecated `leadTimeDays`) and
 * accepted today ships: the business days those calendar days hold from today, counted on.
 * That is the last business day within them.
 */
export async function shipDateWithinCalendarDays(facet: Pick<TestFacet, "config" | "dataSource">, days: number): Promise<string> {
  const { today, calendar } = await exporterCalendar(facet);
  return addBusinessDays(calendar, today, Math.max(1, businessDaysBetween(calendar, today, addCalendarDays(today, days))));
}
