import type { MigrationInterface, QueryRunner } from "typeorm";

const SCOPE = `COALESCE(current_setting('app.scope', true), '')`;

// The job queue (src/db/jobs.ts): webhook deliveries, bulk exports and the periodic work run from
// here, by every Facet process that runs jobs. A job is leased, not locked, while it runs, so a
// process killed mid-job leaves it to be taken again once its lease ends. A request may enqueue
// (a buyer's bulk export, through facet_enqueue_job) but only the system, outside any request,
// reads or changes a job.
export class Jobs1795002110000 implements MigrationInterface {
  name = "Jobs1795002110000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE jobs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind varchar(64) NOT NULL,
        payload jsonb NOT NULL DEFAULT '{}'::jsonb,
        unique_key varchar(200) CONSTRAINT jobs_unique_key UNIQUE,
        status varchar(16) NOT NULL DEFAULT 'QUEUED' CHECK (status IN ('QUEUED', 'RUNNING', 'DONE', 'FAILED')),
        run_at timestamptz(3) NOT NULL DEFAULT now(),
        attempts integer NOT NULL DEFAULT 0,
        max_attempts integer NOT NULL DEFAULT 5,
        lease_token uuid,
        leased_until timestamptz(3),
        last_error text,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        finished_at timestamptz(3)
      )`);
    await db.query(`CREATE INDEX jobs_due ON jobs (run_at) WHERE status = 'QUEUED'`);
    await db.query(`CREATE INDEX jobs_leased ON jobs (leased_until) WHERE status = 'RUNNING'`);
    await db.query(`CREATE INDEX jobs_finished ON jobs (finished_at) WHERE status IN ('DONE', 'FAILED')`);
    await db.query(`ALTER TABLE jobs ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY`);
    await db.query(`CREATE POLICY system ON jobs USING (${SCOPE} = '') WITH CHECK (${SCOPE} = '')`);
    await db.query(`CREATE POLICY enqueue ON jobs FOR INSERT WITH CHECK (true)`);
    // Enqueueing with a unique key from a request: ON CONFLICT and RETURNING must see the queue,
    // which a request may not. The function inserts with its owner's rights in the system's
    // scope (its own SET, undone when it returns) and tells only whether the job is new.
    await db.query(`
      CREATE FUNCTION facet_enqueue_job(job_id uuid, job_kind varchar, job_payload jsonb, job_unique_key varchar, job_run_at timestamptz, job_max_attempts integer)
      RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_catalog SET app.scope = ''
      AS $$
      BEGIN
        INSERT INTO jobs (id, kind, payload, unique_key, run_at, max_attempts)
        VALUES (job_id, job_kind, job_payload, job_unique_key, COALESCE(job_run_at, now()), job_max_attempts)
        ON CONFLICT (unique_key) DO NOTHING;
        RETURN FOUND;
      END $$`);
    await db.query(`REVOKE ALL ON FUNCTION facet_enqueue_job(uuid, varchar, jsonb, varchar, timestamptz, integer) FROM PUBLIC`);
    await db.query(`GRANT EXECUTE ON FUNCTION facet_enqueue_job(uuid, varchar, jsonb, varchar, timestamptz, integer) TO facet_rls`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION facet_enqueue_job(uuid, varchar, jsonb, varchar, timestamptz, integer)`);
    await db.query(`DROP TABLE jobs`);
  }
}
