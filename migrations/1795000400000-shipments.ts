import type { MigrationInterface, QueryRunner } from "typeorm";

export class Shipments1795000400000 implements MigrationInterface {
  name = "Shipments1795000400000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE shipments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        order_id uuid NOT NULL REFERENCES orders (id),
        distributor_id uuid NOT NULL REFERENCES distributors (id),
        carrier varchar(20) NOT NULL CHECK (carrier IN ('DHL_EXPRESS','FEDEX','UPS','FREIGHT_FORWARDER','OTHER')),
        service varchar(60) NOT NULL,
        status varchar(20) NOT NULL DEFAULT 'PENDING' CHECK (status IN
          ('PENDING','INFO_RECEIVED','IN_TRANSIT','CUSTOMS_HOLD','OUT_FOR_DELIVERY','FAILED_ATTEMPT','DELIVERED','EXCEPTION')),
        awb_number varchar(12),
        awb_type varchar(6) CHECK (awb_type IN ('MASTER','DIRECT','HOUSE')),
        master_awb_number varchar(11),
        tracking_number varchar(40),
        tracking_url varchar(300),
        packages jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(packages) = 'array'),
        insurer varchar(200),
        insurance_policy_number varchar(60),
        insured_amount numeric(18,4) CHECK (insured_amount > 0),
        currency char(3) NOT NULL,
        shipped_at timestamptz(3),
        estimated_delivery_at timestamptz(3),
        promised_delivery_at timestamptz(3),
        delivered_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT shipments_awb_typed CHECK ((awb_number IS NULL) = (awb_type IS NULL)),
        -- a house bill always hangs under a master, and only a house bill does
        CONSTRAINT shipments_house_has_master CHECK ((awb_type = 'HOUSE') = (master_awb_number IS NOT NULL))
      )`);
    await db.query(`CREATE UNIQUE INDEX shipments_awb_key ON shipments (awb_number) WHERE awb_number IS NOT NULL`);
    await db.query(`CREATE UNIQUE INDEX shipments_tracking_key ON shipments (carrier, tracking_number) WHERE tracking_number IS NOT NULL`);
    await db.query(`CREATE INDEX shipments_tracking_idx ON shipments (tracking_number)`);
    await db.query(`CREATE INDEX shipments_order_idx ON shipments (order_id)`);
    await db.query(`CREATE INDEX shipments_distributor_updated_idx ON shipments (distributor_id, updated_at, id)`);
    await db.query(`CREATE INDEX shipments_distributor_created_idx ON shipments (distributor_id, created_at DESC, id)`);
    await db.query(`CREATE INDEX shipments_updated_idx ON shipments (updated_at, id)`);
    await db.query(`CREATE INDEX shipments_created_idx ON shipments (created_at DESC, id)`);

    await db.query(`
      CREATE TABLE shipment_lines (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        shipment_id uuid NOT NULL REFERENCES shipments (id),
        order_line_id uuid NOT NULL REFERENCES order_lines (id),
        quantity integer NOT NULL CHECK (quantity > 0)
      )`);
    // A line ships once: the unique index is what stops two shipments claiming it at once.
    await db.query(`CREATE UNIQUE INDEX shipment_lines_order_line_key ON shipment_lines (order_line_id)`);
    await db.query(`CREATE INDEX shipment_lines_shipment_idx ON shipment_lines (shipment_id)`);

    await db.query(`
      CREATE TABLE tracking_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY,
        shipment_id uuid NOT NULL REFERENCES shipments (id),
        occurred_at timestamptz(3) NOT NULL,
        status varchar(20) NOT NULL,
        location varchar(200),
        description varchar(500) NOT NULL,
        carrier_code varchar(40),
        carrier_event_id varchar(100),
        estimated_delivery_at timestamptz(3),
        recorded_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX tracking_events_carrier_event_key ON tracking_events (shipment_id, carrier_event_id) WHERE carrier_event_id IS NOT NULL`);
    await db.query(`CREATE INDEX tracking_events_shipment_idx ON tracking_events (shipment_id, seq)`);

    await db.query(`
      CREATE TABLE shipment_documents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY,
        shipment_id uuid NOT NULL REFERENCES shipments (id),
        kind varchar(40) NOT NULL,
        number varchar(60) NOT NULL,
        issue_date date NOT NULL,
        url varchar(2000) NOT NULL,
        sha256 char(64) NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX shipment_documents_kind_number_key ON shipment_documents (shipment_id, kind, number)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE shipment_documents, tracking_events, shipment_lines, shipments`);
  }
}
