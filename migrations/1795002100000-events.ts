import type { MigrationInterface, QueryRunner } from "typeorm";

// The transactional outbox (docs/events.md). Every change a partner or a screen follows is written
// here by the same transaction as the change, so rolled-back work leaves no event and committed
// work always has one. An event names its distributor; an event of the shared catalog (a variant's
// availability) names none and every distributor sees it. Events are kept 30 days.
//
// `occurred_at` is the writing transaction's start (now()), like the updated_at the sync reads,
// so `events(after:)` stops at the same sync horizon and never passes over an event that an open
// transaction will still commit.
// As TenantPoliciesEstimable1795001100000 writes the tenant policy, with the shared catalog's rows.
const VISIBLE = `((SELECT facet_sees_every_distributor()) OR distributor_id IS NULL OR distributor_id = (SELECT facet_tenant_id()))`;

export class Events1795002100000 implements MigrationInterface {
  name = "Events1795002100000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        type varchar(64) NOT NULL,
        distributor_id uuid REFERENCES distributors(id) ON DELETE CASCADE,
        subject_id uuid,
        occurred_at timestamptz(3) NOT NULL DEFAULT now(),
        data jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    await db.query(`CREATE INDEX events_distributor_occurred ON events (distributor_id, occurred_at, id)`);
    await db.query(`CREATE INDEX events_occurred ON events (occurred_at, id)`);
    await db.query(`CREATE INDEX events_subject ON events (subject_id, occurred_at) WHERE subject_id IS NOT NULL`);
    await db.query(`ALTER TABLE events ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY`);
    await db.query(`CREATE POLICY tenant ON events USING ${VISIBLE} WITH CHECK ${VISIBLE}`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE events`);
  }
}
