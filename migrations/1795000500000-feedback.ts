import type { MigrationInterface, QueryRunner } from "typeorm";

export class Feedback1795000500000 implements MigrationInterface {
  name = "Feedback1795000500000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE shipment_feedback (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        shipment_id uuid NOT NULL REFERENCES shipments (id),
        distributor_id uuid NOT NULL REFERENCES distributors (id),
        author_user_id uuid REFERENCES users (id),
        author_api_client_id uuid REFERENCES api_clients (id),
        author_name varchar(200) NOT NULL,
        rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
        condition varchar(16) NOT NULL CHECK (condition IN ('PRISTINE','MINOR_ISSUES','DAMAGED')),
        issues text[] NOT NULL DEFAULT '{}',
        affected_line_numbers integer[] NOT NULL DEFAULT '{}',
        comment varchar(2000),
        response varchar(2000),
        responded_by_user_id uuid REFERENCES users (id),
        responded_by_name varchar(200),
        responded_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT shipment_feedback_one_author CHECK (num_nonnulls(author_user_id, author_api_client_id) = 1),
        CONSTRAINT shipment_feedback_no_damage_when_pristine
          CHECK (NOT (condition = 'PRISTINE' AND issues && ARRAY['DAMAGED_PACKAGING','DAMAGED_ITEM']::text[]))
      )`);
    // One feedback per author per shipment.
    await db.query(`CREATE UNIQUE INDEX shipment_feedback_author_key ON shipment_feedback (shipment_id, COALESCE(author_user_id, author_api_client_id))`);
    await db.query(`CREATE INDEX shipment_feedback_distributor_created_idx ON shipment_feedback (distributor_id, created_at DESC, id)`);
    await db.query(`CREATE INDEX shipment_feedback_created_idx ON shipment_feedback (created_at DESC, id)`);
    // The KPIs read shipments by the day they were delivered and shipped.
    await db.query(`CREATE INDEX shipments_delivered_idx ON shipments (delivered_at) WHERE delivered_at IS NOT NULL`);
    await db.query(`CREATE INDEX shipments_shipped_idx ON shipments (shipped_at) WHERE shipped_at IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX shipments_shipped_idx, shipments_delivered_idx`);
    await db.query(`DROP TABLE shipment_feedback`);
  }
}
