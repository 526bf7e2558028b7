import { defaultWeekend, isoWeekday, isTimeZone, localDate } from "./working-week";

describe("localDate", () => {
  it("is the exporter's date, which in India turns at 18:30 UTC", () => {
    expect(localDate(new Date("2026-12-07T18:29:59.999Z"), "Asia/Kolkata")).toBe("2026-12-07");
    expect(localDate(new Date("2026-12-07T18:30:00.000Z"), "Asia/Kolkata")).toBe("2026-12-08");
    // Near midnight UTC the two calendars disagree: UTC's "today" is still the 7th.
    expect(localDate(new Date("2026-12-07T22:00:00Z"), "Asia/Kolkata")).toBe("2026-12-08");
    expect(localDate(new Date("2026-12-07T22:00:00Z"), "UTC")).toBe("2026-12-07");
  });

  it("follows zones behind UTC and across a year end", () => {
    expect(localDate(new Date("2027-01-01T04:59:59Z"), "America/New_York")).toBe("2026-12-31");
    expect(localDate(new Date("2027-01-01T05:00:00Z"), "America/New_York")).toBe("2027-01-01");
    expect(localDate(new Date("2026-12-31T20:00:00Z"), "Asia/Kolkata")).toBe("2027-01-01");
  });
});

describe("isTimeZone", () => {
  it("accepts IANA names and refuses offsets and unknown names", () => {
    expect(isTimeZone("Asia/Kolkata")).toBe(true);
    expect(isTimeZone("America/Argentina/Buenos_Aires")).toBe(true);
    expect(isTimeZone("UTC")).toBe(true);
    expect(isTimeZone("Asia/Mumbai")).toBe(false);
    expect(isTimeZone("+05:30")).toBe(false);
    expect(isTimeZone("")).toBe(false);
    expect(isTimeZone("Asia/Kolkata'; --")).toBe(false);
  });
});

describe("the working week", () => {
  it("numbers weekdays as ISO 8601 does", () => {
    expect(isoWeekday("2026-12-07")).toBe(1); // Monday
    expect(isoWeekday("2026-12-12")).toBe(6); // Saturday
    expect(isoWeekday("2026-12-13")).toBe(7); // Sunday
  });

  it("takes Sunday off in India and Saturday and Sunday elsewhere", () => {
    expect(defaultWeekend("IN")).toEqual([7]);
    expect(defaultWeekend("TH")).toEqual([6, 7]);
  });
});
