import { CalendarResolver } from "./calendar.resolver";
import { Holiday } from "./holiday.entity";

export const calendarEntities = [Holiday];
export const calendarResolvers = [CalendarResolver] as const;

export { Holiday };
export { addBusinessDays, addCalendarDays, businessDaysBetween, calendarDaysBetween, isBusinessDay, workingCalendar, type WorkingCalendar } from "./business-days";
export { calendarFromToday, exporterToday } from "./calendar.service";
