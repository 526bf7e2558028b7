import type { MigrationInterface, QueryRunner } from "typeorm";

// The exporter's working calendar (docs/domain.md, "Lead times and business days").
//
// - `holidays`: the days the workshop is closed besides its weekly days off, kept by the export
//   managers. Every distributor reads the same calendar, as it reads the catalog: no row-level
//   security. Staff writes are audited like the catalog's.
// - The exporter is in India (EXPORTER_COUNTRY defaults to IN), so the calendar starts with
//   India's gazetted holidays: for 2026 the list the Department of Personnel and Training
//   published for central government offices in Delhi (O.M. of 3 July 2025, Annexure I); for
//   2027 those on fixed dates and Good Friday, until the 2027 list's moon-dated festivals are
//   entered. An exporter elsewhere removes them.
// - A design brief's quoted lead time is now in business days. A quote given in calendar days
//   keeps them (`lead_time_days`, still shown) and gets the business days they held when it was
//   given: the days after its date, in India, up to that many calendar days later that are
//   neither a Sunday nor a holiday (at least one). `lead_time_days` of a new quote is the
//   calendar-day span of its business days, which can exceed the old two-year bound.
const INDIA: [date: string, name: string][] = [
  ["2026-01-26", "Republic Day"],
  ["2026-03-04", "Holi"],
  ["2026-03-21", "Id-ul-Fitr"],
  ["2026-03-26", "Ram Navami"],
  ["2026-03-31", "Mahavir Jayanti"],
  ["2026-04-03", "Good Friday"],
  ["2026-05-01", "Buddha Purnima"],
  ["2026-05-27", "Id-ul-Zuha (Bakrid)"],
  ["2026-06-26", "Muharram"],
  ["2026-08-15", "Independence Day"],
  ["2026-08-26", "Milad-un-Nabi (Id-e-Milad)"],
  ["2026-09-04", "Janmashtami"],
  ["2026-10-02", "Mahatma Gandhi's Birthday"],
  ["2026-10-20", "Dussehra"],
  ["2026-11-08", "Diwali (Deepavali)"],
  ["2026-11-24", "Guru Nanak's Birthday"],
  ["2026-12-25", "Christmas Day"],
  ["2027-01-26", "Republic Day"],
  ["2027-03-26", "Good Friday"],
  ["2027-08-15", "Independence Day"],
  ["2027-10-02", "Mahatma Gandhi's Birthday"],
  ["2027-12-25", "Christmas Day"],
];

export class WorkingCalendar1795002000000 implements MigrationInterface {
  name = "WorkingCalendar1795002000000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE holidays (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        date date NOT NULL CONSTRAINT holidays_date_key UNIQUE,
        name varchar(100) NOT NULL CHECK (btrim(name) <> ''),
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE TRIGGER audit_staff_write AFTER INSERT OR UPDATE OR DELETE ON holidays FOR EACH ROW EXECUTE FUNCTION audit_staff_write()`);
    await db.query(`INSERT INTO holidays (date, name) SELECT * FROM unnest($1::date[], $2::text[])`, [INDIA.map(([date]) => date), INDIA.map(([, name]) => name)]);

    await db.query(`ALTER TABLE design_brief_quotes ADD COLUMN lead_time_business_days integer`);
    await db.query(`
      UPDATE design_brief_quotes q SET lead_time_business_days = GREATEST(1, (
        SELECT count(*) FROM generate_series(
          (q.created_at AT TIME ZONE 'Asia/Kolkata')::date + 1,
          (q.created_at AT TIME ZONE 'Asia/Kolkata')::date + q.lead_time_days,
          interval '1 day') AS d
        WHERE extract(isodow FROM d) <> 7 AND d::date NOT IN (SELECT date FROM holidays)))`);
    await db.query(`ALTER TABLE design_brief_quotes ALTER COLUMN lead_time_business_days SET NOT NULL`);
    await db.query(`ALTER TABLE design_brief_quotes ADD CONSTRAINT design_brief_quotes_lead_time_business_days CHECK (lead_time_business_days BETWEEN 1 AND 730)`);
    await db.query(`ALTER TABLE design_brief_quotes DROP CONSTRAINT design_brief_quotes_lead_time_days_check`);
    await db.query(`ALTER TABLE design_brief_quotes ADD CONSTRAINT design_brief_quotes_lead_time_days_check CHECK (lead_time_days >= 1)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE design_brief_quotes DROP CONSTRAINT design_brief_quotes_lead_time_days_check`);
    await db.query(`UPDATE design_brief_quotes SET lead_time_days = 730 WHERE lead_time_days > 730`);
    await db.query(`ALTER TABLE design_brief_quotes ADD CONSTRAINT design_brief_quotes_lead_time_days_check CHECK (lead_time_days BETWEEN 1 AND 730)`);
    await db.query(`ALTER TABLE design_brief_quotes DROP COLUMN lead_time_business_days`);
    await db.query(`DROP TABLE holidays`);
  }
}
