import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { parse } from "graphql";
import { ApiScope } from "../src/core/access";
import { WEEKDAYS } from "../src/core/working-week";
import { addBusinessDays, addCalendarDays, businessDaysBetween, calendarDaysBetween, isBusinessDay, workingCalendar, type WorkingCalendar } from "../src/modules/calendar";
import { briefCompany, briefIn, quoteInput, type BriefCompany } from "./support/briefs-factories";
import { dateFromToday } from "./support/catalog-factories";
import { clientToken, createApiClient, unique } from "./support/factories";
import { errorCodes, ok, startFacet, type GraphQLResult, type TestFacet } from "./support/harness";
import { line, orderInput, sellable, staff, tenant, type Tenant } from "./support/orders-factories";

// Lead times count business days on the exporter's working calendar (its weekly days off, Sunday
// in India, and the holidays its export managers keep) from the exporter's own today, in its time
// zone (docs/domain.md, "Lead times and business days").
//
// Holidays are shared by every test file. The ones this file adds fall on the last day of a run
// of 300 business days, further ahead than any other file's lead time reaches, and are removed.

let facet: TestFacet;
let t: Tenant;
let people: Awaited<ReturnType<typeof staff>>;
let company: BriefCompany;
const MARKER = unique("Calendar test");

beforeAll(async () => {
  facet = await startFacet();
  t = await tenant(facet.dataSource, facet.config, { currency: "EUR" });
  people = await staff(facet.dataSource, facet.config);
  company = await briefCompany(facet);
});
afterAll(async () => {
  await facet.dataSource.query(`DELETE FROM holidays WHERE name LIKE $1`, [`${MARKER}%`]);
  await facet.stop();
});

type UserErrorOut = { field: string[] | null; message: string; code: string };

function run<T>(source: string, variables: Record<string, unknown> = {}, token?: string, on: TestFacet = facet): Promise<GraphQLResult<T>> {
  return on.gql(parse(source) as TypedDocumentNode<T, Record<string, unknown>>, variables, { token });
}

const CALENDAR = `query CalendarToday { workingCalendar { timeZone today weekendDays } }`;
const HOLIDAYS = `query CalendarHolidays($from: Date!, $to: Date!) { holidays(from: $from, to: $to) { date name } }`;
const ADD = `mutation CalendarAdd($input: AddHolidayInput!) { addHoliday(input: $input) { holiday { date name } userErrors { field message code } } }`;
const REMOVE = `mutation CalendarRemove($input: RemoveHolidayInput!) { removeHoliday(input: $input) { holiday { date name } userErrors { field message code } } }`;
const QUOTE = `
  query CalendarQuote($v: ID!, $q: Int!) {
    leadTimeQuote(variantId: $v, quantity: $q) { allocations { source readyDate } estimatedShipDate leadTimeBusinessDays leadTimeDays }
  }`;
const AVAILABILITY = `query CalendarAvailability($id: ID!) { variant(id: $id) { availability { leadTimeDays incoming { readyDate } } } }`;
const PLACE = `
  mutation CalendarPlace($input: PlaceOrderInput!) {
    placeOrder(input: $input) { order { estimatedShipDate lines { estimatedShipDate } } userErrors { field code } }
  }`;
const SCHEDULE = `mutation CalendarSchedule($input: ScheduleProductionBatchInput!) { scheduleProductionBatch(input: $input) { userErrors { field code } } }`;
const QUOTE_BRIEF = `
  mutation CalendarQuoteBrief($input: QuoteDesignBriefInput!) {
    quoteDesignBrief(input: $input) { designBrief { version quote { leadTimeBusinessDays leadTimeDays } } userErrors { field message code } }
  }`;
const ACCEPT_BRIEF = `
  mutation CalendarAcceptBrief($input: AcceptDesignBriefQuoteInput!) {
    acceptDesignBriefQuote(input: $input) { designBrief { order { estimatedShipDate lines { estimatedShipDate } } } userErrors { field code } }
  }`;

interface CalendarOut {
  workingCalendar: { timeZone: string; today: string; weekendDays: string[] };
}
interface HolidaysOut {
  holidays: { date: string; name: string }[];
}
interface QuoteOut {
  leadTimeQuote: { allocations: { source: string; readyDate: string }[]; estimatedShipDate: string; leadTimeBusinessDays: number; leadTimeDays: number };
}
type HolidayPayload = { holiday: { date: string; name: string } | null; userErrors: UserErrorOut[] };

/** The exporter's today and working calendar up to `until`, as the API tells any signed-in caller. */
async function calendarFromApi(until: (today: string) => string): Promise<{ today: string; calendar: WorkingCalendar; weekendOnly: WorkingCalendar }> {
  const { today, weekendDays } = ok(await run<CalendarOut>(CALENDAR, {}, t.buyer.token)).workingCalendar;
  const { holidays } = ok(await run<HolidaysOut>(HOLIDAYS, { from: today, to: until(today) }, t.buyer.token));
  const weekend = weekendDays.map((day) => WEEKDAYS.indexOf(day as (typeof WEEKDAYS)[number]) + 1);
  return { today, calendar: workingCalendar(weekend, holidays.map((h) => h.date)), weekendOnly: workingCalendar(weekend) };
}

/** The first 25 December after `today`, and the New Year's Day after it. */
function nextChristmas(today: string): { christmas: string; newYear: string } {
  const year = Number(today.slice(0, 4)) + (today.slice(5) >= "12-25" ? 1 : 0);
  return { christmas: `${year}-12-25`, newYear: `${year + 1}-01-01` };
}

const quote = async (variant: string, quantity = 1) => ok(await run<QuoteOut>(QUOTE, { v: variant, q: quantity }, t.buyer.token)).leadTimeQuote;

const holidaysNamed = async (name: string) => (await facet.dataSource.query(`SELECT date FROM holidays WHERE name = $1`, [name])) as unknown[];

describe("the exporter's working calendar", () => {
  it("tells anyone signed in the exporter's time zone, its today (not UTC's) and its weekly days off", async () => {
    const exporterDate = async () => ((await facet.dataSource.query(`SELECT (now() AT TIME ZONE 'Asia/Kolkata')::date::text AS d`)) as { d: string }[])[0].d;
    const before = await exporterDate();
    const { workingCalendar: calendar } = ok(await run<CalendarOut>(CALENDAR, {}, t.buyer.token));
    const after = await exporterDate();
    // India: the workshops work Saturdays; PostgreSQL's own time zone conversion says which day it is.
    expect(calendar).toEqual({ timeZone: "Asia/Kolkata", today: expect.any(String), weekendDays: ["SUNDAY"] });
    expect([before, after]).toContain(calendar.today);

    const reader = clientToken(facet.config, (await createApiClient(facet.dataSource, t.distributor, { scopes: [ApiScope.SHIPMENTS_READ] })).client);
    expect(ok(await run<CalendarOut>(CALENDAR, {}, reader)).workingCalendar.timeZone).toBe("Asia/Kolkata");
    expect(errorCodes(await run(CALENDAR))).toEqual(["UNAUTHENTICATED"]);
    expect(errorCodes(await run(HOLIDAYS, { from: calendar.today, to: calendar.today }))).toEqual(["UNAUTHENTICATED"]);
  });

  it("lists the holidays of a range by date: India's gazetted ones and the workshop's own", async () => {
    const { christmas, newYear } = nextChristmas(dateFromToday(0));
    const { holidays } = ok(await run<HolidaysOut>(HOLIDAYS, { from: addCalendarDays(christmas, -30), to: newYear }, t.erpWith("catalog:read")));
    expect(holidays).toEqual(expect.arrayContaining([{ date: christmas, name: "Christmas Day" }, { date: newYear, name: "New Year's Day: workshop closed" }]));
    expect(holidays.map((h) => h.date)).toEqual(holidays.map((h) => h.date).sort());
    expect(holidays.every((h) => h.date >= addCalendarDays(christmas, -30) && h.date <= newYear)).toBe(true);
  });

  it("runs a production run across 25 December and 1 January to a later date than the naive count, and the order ships on it", async () => {
    const { christmas, newYear } = nextChristmas(dateFromToday(0));
    const { today, calendar, weekendOnly } = await calendarFromApi(() => addCalendarDays(newYear, 30));
    expect([christmas, newYear].filter((d) => calendar.holidays.has(d))).toEqual([christmas, newYear]);
    // A standard lead time whose new run ends on the first working day after New Year's Day.
    const lead = businessDaysBetween(calendar, today, newYear) + 1;
    const item = await sellable(facet.dataSource, { product: { standardLeadTimeDays: lead }, prices: [[t.distributor, "100.00"]] });
    const ready = addBusinessDays(calendar, today, lead);
    const ships = addBusinessDays(calendar, ready, 2);

    expect(await quote(item.id, 2)).toEqual({
      allocations: [{ source: "NEW_RUN", readyDate: ready }],
      estimatedShipDate: ships,
      leadTimeBusinessDays: lead + 2,
      leadTimeDays: calendarDaysBetween(today, ships),
    });
    expect(ready > newYear).toBe(true);
    // Counted over the weekly days off alone, the run would end sooner: by each of the two
    // holidays that falls on a working day (both, unless they are Sundays).
    const openOtherwise = [christmas, newYear].filter((d) => isBusinessDay(weekendOnly, d)).length;
    expect(businessDaysBetween(weekendOnly, today, ships)).toBe(lead + 2 + openOtherwise);
    expect(addBusinessDays(weekendOnly, addBusinessDays(weekendOnly, today, lead), 2) < ships).toBe(openOtherwise > 0);
    // Availability states the same standard lead time, in business days.
    const { variant } = ok(await run<{ variant: { availability: { leadTimeDays: number } } }>(AVAILABILITY, { id: item.id }, t.buyer.token));
    expect(variant.availability.leadTimeDays).toBe(lead);

    const { placeOrder } = ok(await run<{ placeOrder: unknown }>(PLACE, { input: orderInput([line(item.id, 2)]) }, t.buyer.token));
    expect(placeOrder).toEqual({ order: { estimatedShipDate: ships, lines: [{ estimatedShipDate: ships }] }, userErrors: [] });
  });

  it("moves an estimate when an export manager closes the workshop on a day of the run, and back when the day is taken off", async () => {
    const item = await sellable(facet.dataSource, { product: { standardLeadTimeDays: 300 } });
    const before = await quote(item.id);
    const day = before.allocations[0].readyDate;
    const name = `${MARKER} stocktaking`;

    const added = ok(await run<{ addHoliday: HolidayPayload }>(ADD, { input: { date: day, name: `  ${name} ` } }, people.manager.token)).addHoliday;
    expect(added).toEqual({ holiday: { date: day, name }, userErrors: [] });
    const { today, calendar } = await calendarFromApi((from) => addCalendarDays(from, 700));
    expect(calendar.holidays.has(day)).toBe(true);
    const moved = await quote(item.id);
    const ready = addBusinessDays(calendar, today, 300);
    expect(moved).toEqual({
      allocations: [{ source: "NEW_RUN", readyDate: ready }],
      estimatedShipDate: addBusinessDays(calendar, ready, 2),
      leadTimeBusinessDays: 302,
      leadTimeDays: calendarDaysBetween(today, addBusinessDays(calendar, ready, 2)),
    });
    expect(ready > day && moved.estimatedShipDate > before.estimatedShipDate).toBe(true);
    // Buyers see the closure.
    expect(ok(await run<HolidaysOut>(HOLIDAYS, { from: day, to: day }, t.buyer.token)).holidays).toEqual([{ date: day, name }]);
    // A day is one holiday.
    expect(ok(await run<{ addHoliday: HolidayPayload }>(ADD, { input: { date: day, name: `${MARKER} again` } }, people.manager.token)).addHoliday).toEqual({
      holiday: null,
      userErrors: [{ field: ["input", "date"], message: `${day} is already a holiday: ${name}`, code: "TAKEN" }],
    });

    const removed = ok(await run<{ removeHoliday: HolidayPayload }>(REMOVE, { input: { date: day } }, people.manager.token)).removeHoliday;
    expect(removed).toEqual({ holiday: { date: day, name }, userErrors: [] });
    expect((await quote(item.id)).estimatedShipDate).toBe(before.estimatedShipDate);
    expect(ok(await run<{ removeHoliday: HolidayPayload }>(REMOVE, { input: { date: day } }, people.manager.token)).removeHoliday).toEqual({
      holiday: null,
      userErrors: [{ field: ["input", "date"], message: `${day} is not a holiday`, code: "NOT_FOUND" }],
    });
    // Staff writes to the calendar are in the audit log, with who made them.
    const audited = (await facet.dataSource.query(
      `SELECT action, actor_user_id FROM audit_log WHERE table_name = 'holidays' AND COALESCE(after, before) ->> 'name' = $1 ORDER BY seq`,
      [name],
    )) as { action: string; actor_user_id: string }[];
    expect(audited).toEqual([
      { action: "INSERT", actor_user_id: people.manager.user.id },
      { action: "DELETE", actor_user_id: people.manager.user.id },
    ]);
  });

  it("lets only export managers add or remove holidays", async () => {
    const date = dateFromToday(400);
    const name = `${MARKER} refused`;
    const { christmas } = nextChristmas(dateFromToday(0));
    for (const token of [t.buyer.token, t.admin.token, t.erp, people.support.token]) {
      expect(errorCodes(await run(ADD, { input: { date, name } }, token))).toEqual(["FORBIDDEN"]);
      expect(errorCodes(await run(REMOVE, { input: { date: christmas } }, token))).toEqual(["FORBIDDEN"]);
    }
    expect(errorCodes(await run(ADD, { input: { date, name } }))).toEqual(["UNAUTHENTICATED"]);
    expect(await holidaysNamed(name)).toEqual([]);
    expect(await holidaysNamed("Christmas Day")).toEqual(expect.arrayContaining([{ date: christmas }]));
  });

  it.each([
    ["on a day already past", { date: dateFromToday(-1) }, [[["input", "date"], "OUT_OF_RANGE"]]],
    ["more than two years ahead", { date: dateFromToday(731) }, [[["input", "date"], "OUT_OF_RANGE"]]],
    ["with a blank name", { name: "   " }, [[["input", "name"], "REQUIRED"]]],
    ["with a name over 100 characters", { name: "x".repeat(101) }, [[["input", "name"], "TOO_LONG"]]],
    ["on a past day with a blank name", { date: dateFromToday(-3), name: "" }, [[["input", "date"], "OUT_OF_RANGE"], [["input", "name"], "REQUIRED"]]],
  ])("refuses a holiday %s, naming the field, and writes nothing", async (_case, change, expected) => {
    const name = `${MARKER} bad input`;
    const input = { date: dateFromToday(410), name, ...change };
    const { addHoliday } = ok(await run<{ addHoliday: HolidayPayload }>(ADD, { input }, people.manager.token));
    expect(addHoliday.holiday).toBeNull();
    expect(addHoliday.userErrors.map((e) => [e.field, e.code])).toEqual(expected);
    expect(await holidaysNamed(name)).toEqual([]);
  });

  it("answers a bad range of holidays as the client's mistake, never a fault", async () => {
    const ask = (from: string, to: string) => run<HolidaysOut>(HOLIDAYS, { from, to }, t.buyer.token);
    expect(errorCodes(await ask("2027-01-10", "2027-01-01"))).toEqual(["BAD_USER_INPUT"]);
    expect(errorCodes(await ask("2027-01-01", "2029-01-02"))).toEqual(["BAD_USER_INPUT"]);
    expect(errorCodes(await ask("2027-02-30", "2027-03-01"))).toEqual(["BAD_USER_INPUT"]);
    expect(ok(await ask("2027-01-01", "2028-12-31")).holidays).toEqual(expect.any(Array));
  });
});

describe("a design brief's lead time", () => {
  it("is quoted in business days, and the order placed on acceptance ships on the exporter's calendar", async () => {
    const brief = await briefIn(facet, company, "IN_REVIEW");
    const { newYear } = nextChristmas(dateFromToday(0));
    const { today, calendar } = await calendarFromApi(() => addCalendarDays(newYear, 30));
    // Across Christmas and New Year's Day, to the first working day after it.
    const lead = businessDaysBetween(calendar, today, newYear) + 1;
    const { leadTimeDays: _calendarDays, ...input } = { ...quoteInput(brief.id, brief.version, company.currency), leadTimeBusinessDays: lead };
    const ships = addBusinessDays(calendar, today, lead);

    const quoted = ok(await run<{ quoteDesignBrief: { designBrief: { version: number; quote: unknown } | null; userErrors: UserErrorOut[] } }>(QUOTE_BRIEF, { input }, company.tokens.manager)).quoteDesignBrief;
    expect(quoted).toEqual({ designBrief: { version: brief.version + 1, quote: { leadTimeBusinessDays: lead, leadTimeDays: calendarDaysBetween(today, ships) } }, userErrors: [] });
    const accepted = ok(await run<{ acceptDesignBriefQuote: unknown }>(ACCEPT_BRIEF, { input: { id: brief.id, expectedVersion: quoted.designBrief!.version } }, company.tokens.buyer));
    expect(accepted.acceptDesignBriefQuote).toEqual({ designBrief: { order: { estimatedShipDate: ships, lines: [{ estimatedShipDate: ships }] } }, userErrors: [] });
    expect(ships > newYear).toBe(true);
  });

  it.each([
    ["in both units", { leadTimeBusinessDays: 20, leadTimeDays: 30 }, ["input", "leadTimeDays"], "INVALID"],
    ["in neither", { leadTimeDays: null }, ["input", "leadTimeBusinessDays"], "REQUIRED"],
    ["as zero business days", { leadTimeBusinessDays: 0, leadTimeDays: null }, ["input", "leadTimeBusinessDays"], "OUT_OF_RANGE"],
    ["as more than 730 business days", { leadTimeBusinessDays: 731, leadTimeDays: null }, ["input", "leadTimeBusinessDays"], "OUT_OF_RANGE"],
  ])("is refused when given %s, naming the field", async (_case, change, field, code) => {
    const brief = await briefIn(facet, company, "IN_REVIEW");
    const input = { ...quoteInput(brief.id, brief.version, company.currency), ...change };
    const { quoteDesignBrief } = ok(await run<{ quoteDesignBrief: { designBrief: unknown; userErrors: UserErrorOut[] } }>(QUOTE_BRIEF, { input }, company.tokens.manager));
    expect({ designBrief: quoteDesignBrief.designBrief, errors: quoteDesignBrief.userErrors.map((e) => [e.field, e.code]) }).toEqual({ designBrief: null, errors: [[field, code]] });
  });
});

describe("the exporter's clock", () => {
  // Deterministic without a fake clock: at any instant one of these zones is on another date than
  // UTC (UTC-11 until 11:00 UTC, UTC+14 from 10:00 UTC). PostgreSQL picks the zone and converts
  // the time in one statement, at one instant, with 30 minutes before that zone's own midnight.
  it("starts the exporter's day in its time zone: scheduling, incoming batches and quotes follow it, not UTC", async () => {
    const [{ zone, there, utc }] = (await facet.dataSource.query(`
      WITH z AS (SELECT CASE WHEN (now() AT TIME ZONE 'UTC')::time < '10:30' THEN 'Pacific/Pago_Pago' ELSE 'Pacific/Kiritimati' END AS zone)
      SELECT zone, (now() AT TIME ZONE zone)::date::text AS there, (now() AT TIME ZONE 'UTC')::date::text AS utc FROM z`)) as { zone: string; there: string; utc: string }[];
    expect(there).not.toBe(utc);
    const elsewhere = await startFacet({ EXPORTER_TIME_ZONE: zone });
    try {
      expect(ok(await run<CalendarOut>(CALENDAR, {}, t.buyer.token, elsewhere)).workingCalendar).toEqual({ timeZone: zone, today: there, weekendDays: ["SUNDAY"] });

      // A run ready today there may be scheduled; the day before is past, whichever UTC's date is.
      const item = await sellable(elsewhere.dataSource, { variant: { onHand: 1 } });
      const schedule = async (readyDate: string) =>
        ok(await run<{ scheduleProductionBatch: { userErrors: UserErrorOut[] } }>(SCHEDULE, { input: { variantId: item.id, quantity: 5, readyDate } }, people.manager.token, elsewhere))
          .scheduleProductionBatch.userErrors;
      expect(await schedule(addCalendarDays(there, -1))).toEqual([{ field: ["input", "readyDate"], code: "OUT_OF_RANGE" }]);
      expect(await schedule(there)).toEqual([]);
      // Still to come there: availability lists it, and a quote takes stock ready today there.
      const { variant } = ok(await run<{ variant: { availability: { incoming: { readyDate: string }[] } } }>(AVAILABILITY, { id: item.id }, t.buyer.token, elsewhere));
      expect(variant.availability.incoming).toEqual([{ readyDate: there }]);
      const { leadTimeQuote } = ok(await run<QuoteOut>(QUOTE, { v: item.id, q: 6 }, t.buyer.token, elsewhere));
      expect(leadTimeQuote.allocations).toEqual([
        { source: "STOCK", readyDate: there },
        { source: "BATCH", readyDate: there },
      ]);
    } finally {
      await elsewhere.stop();
    }
  });
});
