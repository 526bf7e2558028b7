import type { RequestContext } from "../../core/context";
import { localDate, WEEKDAYS } from "../../core/working-week";
import { batchLoader, loader, type LoaderFactory } from "../../db/loaders";
import { BadUserInputError } from "../../graphql/errors";
import { mutate } from "../../graphql/mutation";
import { Rejected, UserErrorCode, UserErrors, userError, type UserError } from "../../graphql/user-error";
import * as validate from "../../graphql/validate";
import { addCalendarDays, calendarDaysBetween, workingCalendar, type WorkingCalendar } from "./business-days";
import type { AddHolidayInput, AddHolidayPayload, RemoveHolidayInput, RemoveHolidayPayload } from "./calendar.inputs";
import type { WorkingCalendarView } from "./calendar.types";
import { Holiday } from "./holiday.entity";

// The exporter's working calendar: its clock (EXPORTER_TIME_ZONE), its weekly days off
// (EXPORTER_WEEKEND_DAYS) and the holidays its export managers keep. Every lead time counts
// business days on it from the exporter's today (docs/domain.md, "Lead times and business days").

/** A holiday may be set at most this many days ahead, and `holidays` lists at most this long a range: two years. */
export const HOLIDAY_HORIZON_DAYS = 730;

/**
 * Today on the exporter's wall, YYYY-MM-DD: where lead times start, and the earliest a ship,
 * ready, target or valid-until date may be. Not UTC's: in India the day turns at 18:30 UTC.
 */
export function exporterToday(ctx: Pick<RequestContext, "config">): string {
  return localDate(new Date(), ctx.config.exporterTimeZone);
}

// The holidays from a day on: all a lead time counted from that day can meet, since none is set
// more than two years ahead. Read once per request or transaction, however many quotes ask.
const holidaysFrom: LoaderFactory<string, string[]> = (ctx) =>
  batchLoader((froms) =>
    Promise.all(
      froms.map(async (from) => ((await ctx.db.query(`SELECT date FROM holidays WHERE date >= $1 ORDER BY date`, [from])) as { date: string }[]).map((h) => h.date)),
    ),
  );

/** The exporter's today and its working calendar from today on. */
export async function calendarFromToday(ctx: RequestContext): Promise<{ today: string; calendar: WorkingCalendar }> {
  const today = exporterToday(ctx);
  const holidays = await loader(ctx, holidaysFrom).load(today);
  return { today, calendar: workingCalendar(ctx.config.exporterWeekendDays, holidays) };
}

export function calendarView(ctx: RequestContext): WorkingCalendarView {
  return {
    timeZone: ctx.config.exporterTimeZone,
    today: exporterToday(ctx),
    weekendDays: ctx.config.exporterWeekendDays.map((day) => WEEKDAYS[day - 1]),
  };
}

/** The holidays from `from` to `to`, both included, by date: at most two years of them. */
export async function holidays(ctx: RequestContext, from: string, to: string): Promise<Holiday[]> {
  if (to < from) throw new BadUserInputError("to", "`to` must not be before `from`");
  if (calendarDaysBetween(from, to) > HOLIDAY_HORIZON_DAYS) throw new BadUserInputError("to", `The range may span at most ${HOLIDAY_HORIZON_DAYS} days`);
  return ctx.db.createQueryBuilder(Holiday, "h").where("h.date BETWEEN :from AND :to", { from, to }).orderBy("h.date").getMany();
}

// ---- writes (export managers) ------------------------------------------------------------------

export async function addHoliday(ctx: RequestContext, input: AddHolidayInput): Promise<AddHolidayPayload> {
  const errors = new UserErrors();
  // A day already past changes no lead time; one beyond two years would outlast every quote.
  const today = exporterToday(ctx);
  const latest = addCalendarDays(today, HOLIDAY_HORIZON_DAYS);
  if (input.date < today || input.date > latest) errors.add(["input", "date"], `The date must be between today (${today}) and ${latest}`, UserErrorCode.OUT_OF_RANGE);
  const name = validate.text(errors, ["input", "name"], input.name, { max: 100, label: "Name" });
  if (errors.any || !name) return { userErrors: errors.list };

  return mutate(
    ctx,
    async (tx) => {
      const existing = await tx.db.findOneBy(Holiday, { date: input.date });
      if (existing) throw new Rejected(userError(["input", "date"], `${input.date} is already a holiday: ${existing.name}`, UserErrorCode.TAKEN));
      const { identifiers } = await tx.db.insert(Holiday, { date: input.date, name });
      return { holiday: await tx.db.findOneByOrFail(Holiday, { id: identifiers[0].id as string }), userErrors: [] as UserError[] };
    },
    { unique: { holidays_date_key: { field: ["input", "date"], message: "Someone else has just made this day a holiday" } } },
  );
}

export async function removeHoliday(ctx: RequestContext, input: RemoveHolidayInput): Promise<RemoveHolidayPayload> {
  return mutate(ctx, async (tx) => {
    const holiday = await tx.db.findOneBy(Holiday, { date: input.date });
    // Another manager's removal may have won the race since the read: then there is none to remove.
    const removed = holiday ? ((await tx.db.delete(Holiday, { id: holiday.id })).affected ?? 0) : 0;
    if (!holiday || removed === 0) throw new Rejected(userError(["input", "date"], `${input.date} is not a holiday`, UserErrorCode.NOT_FOUND));
    return { holiday, userErrors: [] as UserError[] };
  });
}
