import type { MigrationInterface, QueryRunner } from "typeorm";

export class DesignBriefs1795000300000 implements MigrationInterface {
  name = "DesignBriefs1795000300000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE SEQUENCE design_brief_reference_seq`);
    await db.query(`
      CREATE TABLE design_briefs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        reference varchar(24) NOT NULL,
        distributor_id uuid NOT NULL REFERENCES distributors (id),
        created_by_user_id uuid REFERENCES users (id),
        created_by_api_client_id uuid REFERENCES api_clients (id),
        title varchar(200) NOT NULL,
        description text NOT NULL DEFAULT '' CHECK (length(description) <= 10000),
        category varchar(20) NOT NULL CHECK (category IN
          ('RING','NECKLACE','PENDANT','EARRINGS','BRACELET','BANGLE','CHAIN','BROOCH','CUFFLINKS','CHARM')),
        metal varchar(20) NOT NULL CHECK (metal IN ('GOLD','SILVER','PLATINUM','PALLADIUM','BRASS','STAINLESS_STEEL')),
        fineness integer,
        plating varchar(20) NOT NULL DEFAULT 'NONE' CHECK (plating IN ('NONE','RHODIUM','YELLOW_GOLD','ROSE_GOLD','BLACK_RHODIUM')),
        stones jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(stones) = 'array'),
        target_unit_price numeric(18,4) CHECK (target_unit_price > 0),
        currency char(3) NOT NULL,
        quantity integer NOT NULL CHECK (quantity BETWEEN 1 AND 100000),
        target_date date,
        reference_images jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(reference_images) = 'array'),
        status varchar(16) NOT NULL CHECK (status IN ('DRAFT','SUBMITTED','IN_REVIEW','QUOTED','ACCEPTED','DECLINED','WITHDRAWN')),
        version integer NOT NULL DEFAULT 1,
        order_id uuid REFERENCES orders (id),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX design_briefs_reference_key ON design_briefs (reference)`);
    await db.query(`CREATE INDEX design_briefs_distributor_updated_idx ON design_briefs (distributor_id, updated_at, id)`);
    await db.query(`CREATE INDEX design_briefs_updated_idx ON design_briefs (updated_at, id)`);
    await db.query(`CREATE INDEX design_briefs_status_idx ON design_briefs (distributor_id, status)`);
    await db.query(`CREATE INDEX design_briefs_reference_trgm_idx ON design_briefs USING gin (reference gin_trgm_ops)`);
    await db.query(`CREATE INDEX design_briefs_title_trgm_idx ON design_briefs USING gin (title gin_trgm_ops)`);

    await db.query(`
      CREATE TABLE design_brief_quotes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY,
        brief_id uuid NOT NULL REFERENCES design_briefs (id),
        unit_price numeric(18,4) NOT NULL CHECK (unit_price > 0),
        currency char(3) NOT NULL,
        quantity_breaks jsonb NOT NULL DEFAULT '[]'::jsonb,
        lead_time_days integer NOT NULL CHECK (lead_time_days BETWEEN 1 AND 730),
        sample_date date,
        valid_until date NOT NULL,
        note varchar(2000),
        quoted_by_user_id uuid REFERENCES users (id),
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX design_brief_quotes_brief_idx ON design_brief_quotes (brief_id, seq)`);

    await db.query(`
      CREATE TABLE design_brief_comments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY,
        brief_id uuid NOT NULL REFERENCES design_briefs (id),
        author_user_id uuid REFERENCES users (id),
        author_api_client_id uuid REFERENCES api_clients (id),
        author_name varchar(200) NOT NULL,
        author_is_staff boolean NOT NULL,
        body text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
        internal boolean NOT NULL DEFAULT false,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        -- internal notes are written by the exporter's staff only
        CONSTRAINT design_brief_comments_internal_by_staff CHECK (NOT internal OR author_is_staff)
      )`);
    await db.query(`CREATE INDEX design_brief_comments_brief_idx ON design_brief_comments (brief_id, seq)`);

    await db.query(`
      CREATE TABLE design_brief_status_changes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY,
        brief_id uuid NOT NULL REFERENCES design_briefs (id),
        from_status varchar(16),
        to_status varchar(16) NOT NULL,
        changed_by_user_id uuid REFERENCES users (id),
        changed_by_api_client_id uuid REFERENCES api_clients (id),
        changed_by_name varchar(200) NOT NULL,
        note varchar(2000),
        changed_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX design_brief_status_changes_brief_idx ON design_brief_status_changes (brief_id, seq)`);

    // An accepted brief becomes an order for a piece that is not in the catalog: its line has
    // no variant, and the order points back at the brief.
    await db.query(`ALTER TABLE order_lines ALTER COLUMN variant_id DROP NOT NULL`);
    await db.query(`ALTER TABLE orders ADD CONSTRAINT orders_design_brief_fkey FOREIGN KEY (design_brief_id) REFERENCES design_briefs (id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE orders DROP CONSTRAINT orders_design_brief_fkey`);
    await db.query(`DELETE FROM order_lines WHERE variant_id IS NULL`);
    await db.query(`ALTER TABLE order_lines ALTER COLUMN variant_id SET NOT NULL`);
    await db.query(`DROP TABLE design_brief_status_changes, design_brief_comments, design_brief_quotes, design_briefs`);
    await db.query(`DROP SEQUENCE design_brief_reference_seq`);
  }
}
