import { Arg, Ctx, Mutation, Query, Resolver } from "type-graphql";
import { SIGNED_IN, UserRole } from "../../core/access";
import type { RequestContext } from "../../core/context";
import { Allow } from "../../graphql/access";
import { LocalDateScalar } from "../../graphql/scalars";
import { AddHolidayInput, AddHolidayPayload, RemoveHolidayInput, RemoveHolidayPayload } from "./calendar.inputs";
import * as calendar from "./calendar.service";
import { WorkingCalendarView } from "./calendar.types";
import { Holiday } from "./holiday.entity";

// Everyone signed in reads the calendar (buyers plan around the workshop's closures); export
// managers keep the holidays.
@Resolver()
export class CalendarResolver {
  @Allow(SIGNED_IN)
  @Query(() => WorkingCalendarView, { description: "The exporter's time zone, today's date there, and its weekly days off." })
  workingCalendar(@Ctx() ctx: RequestContext): WorkingCalendarView {
    return calendar.calendarView(ctx);
  }

  @Allow(SIGNED_IN)
  @Query(() => [Holiday], { description: "The days the workshop is closed besides its weekly days off, from `from` to `to`, by date: at most two years at a time." })
  holidays(
    @Ctx() ctx: RequestContext,
    @Arg("from", () => LocalDateScalar, { description: "First day, included." }) from: string,
    @Arg("to", () => LocalDateScalar, { description: "Last day, included: at most 730 days after `from`." }) to: string,
  ): Promise<Holiday[]> {
    return calendar.holidays(ctx, from, to);
  }

  @Allow(UserRole.EXPORT_MANAGER)
  @Mutation(() => AddHolidayPayload, { description: "Closes the workshop on a day: lead times no longer count it. Export managers only." })
  addHoliday(@Ctx() ctx: RequestContext, @Arg("input", () => AddHolidayInput) input: AddHolidayInput): Promise<AddHolidayPayload> {
    return calendar.addHoliday(ctx, input);
  }

  @Allow(UserRole.EXPORT_MANAGER)
  @Mutation(() => RemoveHolidayPayload, { description: "Takes a holiday off the calendar: lead times count the day again. Export managers only." })
  removeHoliday(@Ctx() ctx: RequestContext, @Arg("input", () => RemoveHolidayInput) input: RemoveHolidayInput): Promise<RemoveHolidayPayload> {
    return calendar.removeHoliday(ctx, input);
  }
}
