import type { EntityManager } from "typeorm";

// The demo exporter's working calendar around today. The migration gave it India's gazetted
// holidays for 2026 and 2027; the demo adds its workshop's own closures (Diwali week, New Year's
// Day) and, whatever year it is seeded in, India's fixed-date holidays of this year and the next,
// so that lead times quoted in the demo always meet some: the next Christmas and the New Year's
// Day after it among them.

/** India's gazetted holidays that fall on the same date every year (DoPT annual lists, Annexure I). */
const FIXED_DATE: [monthDay: string, name: string][] = [
  ["01-26", "Republic Day"],
  ["08-15", "Independence Day"],
  ["10-02", "Mahatma Gandhi's Birthday"],
  ["12-25", "Christmas Day"],
];

/** The workshop's own closures: the days after Diwali (8 November 2026), and New Year's Day. */
const WORKSHOP: [date: string, name: string][] = [
  ["2026-11-09", "Diwali: workshop closed (Govardhan Puja)"],
  ["2026-11-10", "Diwali: workshop closed (Vikram Samvat new year)"],
  ["2026-11-11", "Diwali: workshop closed (Bhai Dooj)"],
];

export async function seedCalendar(db: EntityManager): Promise<number> {
  const year = new Date().getUTCFullYear();
  const days: [string, string][] = [...WORKSHOP];
  for (const y of [year, year + 1]) {
    for (const [monthDay, name] of FIXED_DATE) days.push([`${y}-${monthDay}`, name]);
  }
  for (const y of [year, year + 1, year + 2]) days.push([`${y}-01-01`, "New Year's Day: workshop closed"]);
  const added = (await db.query(
    `INSERT INTO holidays (date, name) SELECT * FROM unnest($1::date[], $2::text[]) ON CONFLICT (date) DO NOTHING RETURNING date`,
    [days.map(([date]) => date), days.map(([, name]) => name)],
  )) as unknown[];
  return added.length;
}
