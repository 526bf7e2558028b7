import type { MigrationInterface, QueryRunner } from "typeorm";

export class Orders1795000200000 implements MigrationInterface {
  name = "Orders1795000200000";

  async up(db: QueryRunner): Promise<void> {
    // What a buyer may ask to change on a style: sizes outside the standard variants, platings,
    // stone substitutions, the distributor's branding, an engraving of some length.
    await db.query(`ALTER TABLE products ADD COLUMN customization_options jsonb NOT NULL DEFAULT '{}'::jsonb
      CHECK (jsonb_typeof(customization_options) = 'object')`);

    // Order numbers come from a sequence: never the same twice, and no lock shared by all buyers.
    await db.query(`CREATE SEQUENCE order_number_seq`);

    await db.query(`
      CREATE TABLE orders (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number varchar(24) NOT NULL,
        distributor_id uuid NOT NULL REFERENCES distributors (id),
        placed_by_user_id uuid REFERENCES users (id),
        placed_by_api_client_id uuid REFERENCES api_clients (id),
        buyer_reference varchar(35) NOT NULL,
        currency char(3) NOT NULL,
        incoterm varchar(3) NOT NULL CHECK (incoterm IN ('EXW','FCA','CPT','CIP','DAP','DPU','DDP','FAS','FOB','CFR','CIF')),
        requested_ship_date date,
        estimated_ship_date date NOT NULL,
        status varchar(16) NOT NULL CHECK (status IN
          ('PENDING','CONFIRMED','IN_PRODUCTION','QUALITY_CHECK','PACKED','SHIPPED','DELIVERED','CANCELLED')),
        total numeric(18,4) NOT NULL CHECK (total >= 0),
        line_count integer NOT NULL CHECK (line_count BETWEEN 1 AND 500),
        design_brief_id uuid,
        placed_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT orders_placed_by_one CHECK (num_nonnulls(placed_by_user_id, placed_by_api_client_id) <= 1)
      )`);
    await db.query(`CREATE UNIQUE INDEX orders_number_key ON orders (number)`);
    await db.query(`CREATE INDEX orders_distributor_placed_idx ON orders (distributor_id, placed_at DESC, id)`);
    await db.query(`CREATE INDEX orders_distributor_updated_idx ON orders (distributor_id, updated_at, id)`);
    await db.query(`CREATE INDEX orders_updated_idx ON orders (updated_at, id)`);
    await db.query(`CREATE INDEX orders_placed_idx ON orders (placed_at DESC, id)`);
    await db.query(`CREATE INDEX orders_status_idx ON orders (distributor_id, status)`);
    await db.query(`CREATE INDEX orders_number_trgm_idx ON orders USING gin (number gin_trgm_ops)`);
    await db.query(`CREATE INDEX orders_buyer_reference_trgm_idx ON orders USING gin (buyer_reference gin_trgm_ops)`);

    await db.query(`
      CREATE TABLE order_lines (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        order_id uuid NOT NULL REFERENCES orders (id),
        line_number integer NOT NULL CHECK (line_number >= 1),
        variant_id uuid NOT NULL REFERENCES variants (id),
        sku varchar(40) NOT NULL,
        description varchar(400) NOT NULL,
        quantity integer NOT NULL CHECK (quantity > 0),
        unit_price numeric(18,4) NOT NULL CHECK (unit_price > 0),
        line_total numeric(18,4) NOT NULL CHECK (line_total > 0),
        from_stock integer NOT NULL CHECK (from_stock >= 0),
        batch_allocations jsonb NOT NULL DEFAULT '[]'::jsonb,
        estimated_ship_date date NOT NULL,
        customization jsonb NOT NULL DEFAULT '{}'::jsonb,
        CONSTRAINT order_lines_from_stock_within_quantity CHECK (from_stock <= quantity)
      )`);
    await db.query(`CREATE UNIQUE INDEX order_lines_order_line_key ON order_lines (order_id, line_number)`);
    await db.query(`CREATE INDEX order_lines_sku_trgm_idx ON order_lines USING gin (sku gin_trgm_ops)`);
    await db.query(`CREATE INDEX order_lines_variant_idx ON order_lines (variant_id)`);

    await db.query(`
      CREATE TABLE order_status_changes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY,
        order_id uuid NOT NULL REFERENCES orders (id),
        from_status varchar(16),
        to_status varchar(16) NOT NULL,
        changed_by_user_id uuid REFERENCES users (id),
        changed_by_api_client_id uuid REFERENCES api_clients (id),
        changed_by_name varchar(200) NOT NULL,
        note varchar(1000),
        changed_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX order_status_changes_order_idx ON order_status_changes (order_id, seq)`);

    // One placement per (distributor, key): a retried request finds its first result here.
    await db.query(`
      CREATE TABLE idempotency_keys (
        distributor_id uuid NOT NULL REFERENCES distributors (id),
        key varchar(255) NOT NULL,
        operation varchar(40) NOT NULL,
        request_hash char(64) NOT NULL,
        order_id uuid REFERENCES orders (id),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (distributor_id, key)
      )`);
    await db.query(`CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE idempotency_keys, order_status_changes, order_lines, orders`);
    await db.query(`DROP SEQUENCE order_number_seq`);
    await db.query(`ALTER TABLE products DROP COLUMN customization_options`);
  }
}
