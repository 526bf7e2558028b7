import { Field, ObjectType, registerEnumType } from "type-graphql";
import { WEEKDAYS, type WeekdayName } from "../../core/working-week";
import { LocalDateScalar } from "../../graphql/scalars";

export const Weekday = Object.fromEntries(WEEKDAYS.map((day) => [day, day])) as { [K in WeekdayName]: K };
export type Weekday = WeekdayName;
registerEnumType(Weekday, {
  name: "Weekday",
  description: "A day of the week.",
  valuesConfig: Object.fromEntries(WEEKDAYS.map((day) => [day, { description: `${day[0]}${day.slice(1).toLowerCase()}.` }])),
});

// Named WorkingCalendar in the schema; the pure calendar of business-days.ts has the name in code.
@ObjectType("WorkingCalendar", { simpleResolvers: true, description: "The exporter's clock and working week, which every lead time and date Facet computes follows." })
export class WorkingCalendarView {
  @Field(() => String, { description: 'The exporter\'s IANA time zone, e.g. "Asia/Kolkata".' })
  timeZone: string;

  @Field(() => LocalDateScalar, { description: "Today in the exporter's time zone: where lead times start, and the earliest date a ship, ready or target date may be." })
  today: string;

  @Field(() => [Weekday], { description: "The workshop's weekly days off, Monday first: no business day falls on them." })
  weekendDays: Weekday[];
}
