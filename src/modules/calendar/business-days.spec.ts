import { addBusinessDays, addCalendarDays, businessDaysBetween, calendarDaysBetween, isBusinessDay, workingCalendar } from "./business-days";

// Concrete calendars (docs/domain.md, "Lead times and business days"):
// - Monday to Friday with no holidays: the arithmetic Facet had before it kept a calendar.
// - The demo exporter in India: Sunday off; Christmas (Friday 2026-12-25), the workshop's New
//   Year's Day (Friday 2027-01-01) and Republic Day (Tuesday 2027-01-26).
// - Diwali 2026 in India: Diwali itself on Sunday 2026-11-08 (gazetted), and the workshop shut
//   from Monday 2026-11-09 to Wednesday 2026-11-11 (Govardhan Puja, the Vikram Samvat new year,
//   Bhai Dooj); Guru Nanak's Birthday on Tuesday 2026-11-24.
const MON_TO_FRI = workingCalendar([6, 7]);
const INDIA_WINTER = workingCalendar([7], ["2026-12-25", "2027-01-01", "2027-01-26"]);
const INDIA_DIWALI = workingCalendar([7], ["2026-11-08", "2026-11-09", "2026-11-10", "2026-11-11", "2026-11-24"]);

describe("addBusinessDays", () => {
  it("skips Saturdays and Sundays on a Monday-to-Friday calendar", () => {
    expect(addBusinessDays(MON_TO_FRI, "2025-01-06", 1)).toBe("2025-01-07");
    expect(addBusinessDays(MON_TO_FRI, "2025-01-06", 4)).toBe("2025-01-10");
    expect(addBusinessDays(MON_TO_FRI, "2025-01-06", 5)).toBe("2025-01-13");
    expect(addBusinessDays(MON_TO_FRI, "2025-01-09", 2)).toBe("2025-01-13");
    expect(addBusinessDays(MON_TO_FRI, "2025-01-06", 10)).toBe("2025-01-20");
    expect(addBusinessDays(MON_TO_FRI, "2025-01-06", 15)).toBe("2025-01-27");
    expect(addBusinessDays(MON_TO_FRI, "2025-01-10", 1)).toBe("2025-01-13"); // from a Friday
    expect(addBusinessDays(MON_TO_FRI, "2025-01-10", 2)).toBe("2025-01-14");
    expect(addBusinessDays(MON_TO_FRI, "2025-01-10", 5)).toBe("2025-01-17");
    expect(addBusinessDays(MON_TO_FRI, "2025-01-11", 1)).toBe("2025-01-13"); // from a Saturday
    expect(addBusinessDays(MON_TO_FRI, "2025-01-11", 2)).toBe("2025-01-14");
    expect(addBusinessDays(MON_TO_FRI, "2025-01-12", 1)).toBe("2025-01-13"); // from a Sunday
    expect(addBusinessDays(MON_TO_FRI, "2025-01-11", 0)).toBe("2025-01-11");
    expect(addBusinessDays(MON_TO_FRI, "2025-12-31", 3)).toBe("2026-01-05");
    expect(addBusinessDays(MON_TO_FRI, "2024-02-28", 1)).toBe("2024-02-29");
  });

  it("skips 25 December and 1 January, and only Sundays, on the Indian calendar", () => {
    // Monday 2026-12-07 + 25: Sunday-only weeks would reach Tuesday 2027-01-05; the two holidays
    // push it to Thursday 2027-01-07.
    expect(addBusinessDays(workingCalendar([7]), "2026-12-07", 25)).toBe("2027-01-05");
    expect(addBusinessDays(INDIA_WINTER, "2026-12-07", 25)).toBe("2027-01-07");
    // Monday to Friday with no holidays (what Facet counted before) gives Monday 2027-01-04 for
    // 20 days, counting both holidays as working days.
    expect(addBusinessDays(MON_TO_FRI, "2026-12-07", 20)).toBe("2027-01-04");
    expect(addBusinessDays(workingCalendar([6, 7], INDIA_WINTER.holidays), "2026-12-07", 20)).toBe("2027-01-06");
    // Saturdays are working days in India.
    expect(addBusinessDays(INDIA_WINTER, "2026-12-11", 1)).toBe("2026-12-12");
    expect(addBusinessDays(INDIA_WINTER, "2026-12-24", 1)).toBe("2026-12-26");
    expect(addBusinessDays(INDIA_WINTER, "2026-12-31", 1)).toBe("2027-01-02");
    expect(addBusinessDays(INDIA_WINTER, "2027-01-25", 1)).toBe("2027-01-27");
  });

  it("crosses Diwali week on the Indian calendar", () => {
    // Wednesday 2026-11-04 + 10: the Sunday of Diwali and the three days after it are closed.
    expect(addBusinessDays(workingCalendar([7]), "2026-11-04", 10)).toBe("2026-11-16");
    expect(addBusinessDays(INDIA_DIWALI, "2026-11-04", 10)).toBe("2026-11-19");
    expect(addBusinessDays(INDIA_DIWALI, "2026-11-07", 1)).toBe("2026-11-12");
    expect(addBusinessDays(INDIA_DIWALI, "2026-11-23", 1)).toBe("2026-11-25");
  });

  it("counts from a day off as from the working day before it", () => {
    expect(addBusinessDays(INDIA_WINTER, "2026-12-25", 1)).toBe("2026-12-26"); // from a holiday
    expect(addBusinessDays(INDIA_WINTER, "2026-12-27", 1)).toBe("2026-12-28"); // from a Sunday
    expect(addBusinessDays(INDIA_DIWALI, "2026-11-09", 2)).toBe("2026-11-13");
  });

  it("leaves the date alone for zero days, even a day off", () => {
    expect(addBusinessDays(INDIA_WINTER, "2026-12-25", 0)).toBe("2026-12-25");
    expect(addBusinessDays(INDIA_WINTER, "2026-12-27", 0)).toBe("2026-12-27");
  });

  it("works through a week with no weekend", () => {
    expect(addBusinessDays(workingCalendar([]), "2026-12-24", 2)).toBe("2026-12-26");
    expect(addBusinessDays(workingCalendar([], ["2026-12-25"]), "2026-12-24", 2)).toBe("2026-12-27");
  });
});

describe("businessDaysBetween", () => {
  it("counts the business days after the first date up to the second", () => {
    expect(businessDaysBetween(INDIA_WINTER, "2026-12-07", "2027-01-07")).toBe(25);
    expect(businessDaysBetween(MON_TO_FRI, "2025-01-06", "2025-01-13")).toBe(5);
    expect(businessDaysBetween(INDIA_DIWALI, "2026-11-04", "2026-11-19")).toBe(10);
    expect(businessDaysBetween(INDIA_DIWALI, "2026-11-07", "2026-11-12")).toBe(1);
  });

  it("undoes addBusinessDays when it lands on a business day", () => {
    for (const days of [0, 1, 2, 6, 7, 19, 25, 60, 365]) {
      expect(businessDaysBetween(INDIA_WINTER, "2026-12-07", addBusinessDays(INDIA_WINTER, "2026-12-07", days))).toBe(days);
    }
  });

  it("does not count a day off at the end, and is 0 for the same day or an earlier one", () => {
    expect(businessDaysBetween(INDIA_WINTER, "2026-12-24", "2026-12-25")).toBe(0);
    expect(businessDaysBetween(INDIA_WINTER, "2026-12-24", "2026-12-24")).toBe(0);
    expect(businessDaysBetween(INDIA_WINTER, "2026-12-24", "2026-12-01")).toBe(0);
  });
});

describe("isBusinessDay", () => {
  it("is false on a weekly day off and on a holiday", () => {
    expect(isBusinessDay(INDIA_WINTER, "2026-12-26")).toBe(true); // Saturday
    expect(isBusinessDay(INDIA_WINTER, "2026-12-27")).toBe(false); // Sunday
    expect(isBusinessDay(INDIA_WINTER, "2026-12-25")).toBe(false);
    expect(isBusinessDay(MON_TO_FRI, "2026-12-26")).toBe(false);
  });
});

describe("workingCalendar", () => {
  it("refuses a week with no working day", () => {
    expect(() => workingCalendar([1, 2, 3, 4, 5, 6, 7])).toThrow(/at least one working day/);
  });
});

describe("calendar days", () => {
  it("adds and counts across months, leap days and years", () => {
    expect(addCalendarDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addCalendarDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addCalendarDays("2027-01-01", -1)).toBe("2026-12-31");
    expect(calendarDaysBetween("2025-12-31", "2026-01-05")).toBe(5);
    expect(calendarDaysBetween("2025-01-08", "2025-01-06")).toBe(-2);
  });
});
