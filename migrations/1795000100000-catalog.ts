import type { MigrationInterface, QueryRunner } from "typeorm";

export class Catalog1795000100000 implements MigrationInterface {
  name = "Catalog1795000100000";

  async up(db: QueryRunner): Promise<void> {
    // Trigram indexes serve the catalog's substring search over style code, name and SKU.
    await db.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);

    await db.query(`
      CREATE TABLE products (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        style_code varchar(40) NOT NULL,
        name varchar(200) NOT NULL,
        description text NOT NULL DEFAULT '',
        category varchar(20) NOT NULL CHECK (category IN
          ('RING','NECKLACE','PENDANT','EARRINGS','BRACELET','BANGLE','CHAIN','BROOCH','CUFFLINKS','CHARM')),
        collection varchar(100),
        metal varchar(20) NOT NULL CHECK (metal IN ('GOLD','SILVER','PLATINUM','PALLADIUM','BRASS','STAINLESS_STEEL')),
        fineness integer,
        plating varchar(20) NOT NULL DEFAULT 'NONE' CHECK (plating IN ('NONE','RHODIUM','YELLOW_GOLD','ROSE_GOLD','BLACK_RHODIUM')),
        plating_thickness_microns numeric(6,3) CHECK (plating_thickness_microns > 0),
        stones jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(stones) = 'array'),
        hs_code varchar(10) NOT NULL CHECK (hs_code ~ '^[0-9]{6}([0-9]{2}){0,2}$'),
        country_of_origin char(2) NOT NULL,
        standard_lead_time_days integer NOT NULL CHECK (standard_lead_time_days BETWEEN 0 AND 365),
        minimum_order_quantity integer NOT NULL DEFAULT 1 CHECK (minimum_order_quantity BETWEEN 1 AND 10000),
        recycled_metal_percent numeric(5,2) CHECK (recycled_metal_percent BETWEEN 0 AND 100),
        rjc_certification_type varchar(3) CHECK (rjc_certification_type IN ('COP','COC')),
        rjc_certificate_number varchar(60),
        images jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(images) = 'array'),
        discontinued boolean NOT NULL DEFAULT false,
        availability_rank smallint NOT NULL DEFAULT 2,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT products_fineness_matches_metal CHECK (
          (metal = 'GOLD' AND fineness IN (375,417,585,750,916,999)) OR
          (metal = 'SILVER' AND fineness IN (800,925,950,999)) OR
          (metal = 'PLATINUM' AND fineness IN (850,900,950)) OR
          (metal = 'PALLADIUM' AND fineness IN (500,950)) OR
          (metal IN ('BRASS','STAINLESS_STEEL') AND fineness IS NULL)),
        CONSTRAINT products_plating_thickness CHECK ((plating = 'NONE') = (plating_thickness_microns IS NULL))
      )`);
    await db.query(`CREATE UNIQUE INDEX products_style_code_key ON products (style_code)`);
    await db.query(`CREATE INDEX products_name_id_idx ON products (name, id)`);
    await db.query(`CREATE INDEX products_created_id_idx ON products (created_at DESC, id)`);
    await db.query(`CREATE INDEX products_availability_name_id_idx ON products (availability_rank, name, id)`);
    await db.query(`CREATE INDEX products_updated_at_idx ON products (updated_at)`);
    await db.query(`CREATE INDEX products_category_idx ON products (category)`);
    await db.query(`CREATE INDEX products_collection_idx ON products (collection)`);
    await db.query(`CREATE INDEX products_metal_fineness_idx ON products (metal, fineness)`);
    await db.query(`CREATE INDEX products_plating_idx ON products (plating)`);
    await db.query(`CREATE INDEX products_stones_idx ON products USING gin (stones jsonb_path_ops)`);
    await db.query(`CREATE INDEX products_style_code_trgm_idx ON products USING gin (style_code gin_trgm_ops)`);
    await db.query(`CREATE INDEX products_name_trgm_idx ON products USING gin (name gin_trgm_ops)`);

    await db.query(`
      CREATE TABLE variants (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        product_id uuid NOT NULL REFERENCES products (id),
        sku varchar(40) NOT NULL,
        gtin varchar(14) CHECK (gtin ~ '^([0-9]{8}|[0-9]{12,14})$'),
        ring_size_mm numeric(4,1) CHECK (ring_size_mm BETWEEN 38 AND 80),
        chain_length_mm integer CHECK (chain_length_mm BETWEEN 100 AND 2000),
        metal_weight_grams numeric(8,3) NOT NULL CHECK (metal_weight_grams > 0),
        discontinued boolean NOT NULL DEFAULT false,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX variants_sku_key ON variants (sku)`);
    await db.query(`CREATE UNIQUE INDEX variants_gtin_key ON variants (gtin) WHERE gtin IS NOT NULL`);
    await db.query(`CREATE INDEX variants_product_idx ON variants (product_id, sku)`);
    await db.query(`CREATE INDEX variants_sku_trgm_idx ON variants USING gin (sku gin_trgm_ops)`);

    await db.query(`
      CREATE TABLE stock_levels (
        variant_id uuid PRIMARY KEY REFERENCES variants (id),
        on_hand integer NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
        reserved integer NOT NULL DEFAULT 0 CHECK (reserved >= 0),
        low_stock_threshold integer NOT NULL DEFAULT 5 CHECK (low_stock_threshold >= 0),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        -- never more promised than is on the shelf: the last line of defence against overselling
        CONSTRAINT stock_levels_reserved_within_on_hand CHECK (reserved <= on_hand)
      )`);

    await db.query(`
      CREATE TABLE stock_movements (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        variant_id uuid NOT NULL REFERENCES variants (id),
        delta integer NOT NULL CHECK (delta <> 0),
        on_hand_after integer NOT NULL CHECK (on_hand_after >= 0),
        reason varchar(500) NOT NULL,
        actor_user_id uuid REFERENCES users (id),
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX stock_movements_variant_idx ON stock_movements (variant_id, created_at)`);

    await db.query(`
      CREATE TABLE production_batches (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        variant_id uuid NOT NULL REFERENCES variants (id),
        quantity integer NOT NULL CHECK (quantity > 0),
        allocated integer NOT NULL DEFAULT 0 CHECK (allocated >= 0),
        ready_date date NOT NULL,
        description varchar(200) NOT NULL,
        status varchar(12) NOT NULL DEFAULT 'SCHEDULED' CHECK (status IN ('SCHEDULED','COMPLETED','CANCELLED')),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT production_batches_allocated_within_quantity CHECK (allocated <= quantity)
      )`);
    await db.query(`CREATE INDEX production_batches_variant_ready_idx ON production_batches (variant_id, ready_date) WHERE status = 'SCHEDULED'`);

    await db.query(`
      CREATE TABLE variant_prices (
        distributor_id uuid NOT NULL REFERENCES distributors (id),
        variant_id uuid NOT NULL REFERENCES variants (id),
        amount numeric(18,4) NOT NULL CHECK (amount > 0),
        currency char(3) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (distributor_id, variant_id)
      )`);

    // A product's availability is the best of its variants' (rank 0 in stock … 3 discontinued).
    await db.query(`
      CREATE FUNCTION product_availability_rank(pid uuid, product_discontinued boolean) RETURNS smallint
      LANGUAGE sql STABLE AS $$
        SELECT (CASE WHEN product_discontinued THEN 3 ELSE COALESCE((
          SELECT min(CASE
                       WHEN v.discontinued THEN 3
                       WHEN s.on_hand - s.reserved > s.low_stock_threshold THEN 0
                       WHEN s.on_hand - s.reserved > 0 THEN 1
                       ELSE 2
                     END)
          FROM variants v LEFT JOIN stock_levels s ON s.variant_id = v.id
          WHERE v.product_id = pid), 2) END)::smallint
      $$`);
    await db.query(`
      CREATE FUNCTION products_set_availability() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.availability_rank := product_availability_rank(NEW.id, NEW.discontinued);
        RETURN NEW;
      END $$`);
    await db.query(`
      CREATE TRIGGER products_availability BEFORE INSERT OR UPDATE OF discontinued ON products
      FOR EACH ROW EXECUTE FUNCTION products_set_availability()`);
    await db.query(`
      CREATE FUNCTION products_refresh_availability() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE pid uuid;
      BEGIN
        IF TG_TABLE_NAME = 'variants' THEN
          pid := COALESCE(NEW.product_id, OLD.product_id);
        ELSE
          SELECT product_id INTO pid FROM variants WHERE id = COALESCE(NEW.variant_id, OLD.variant_id);
        END IF;
        UPDATE products SET availability_rank = product_availability_rank(id, discontinued)
        WHERE id = pid AND availability_rank IS DISTINCT FROM product_availability_rank(id, discontinued);
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER variants_availability AFTER INSERT OR UPDATE OR DELETE ON variants
      FOR EACH ROW EXECUTE FUNCTION products_refresh_availability()`);
    await db.query(`
      CREATE TRIGGER stock_levels_availability AFTER INSERT OR UPDATE OR DELETE ON stock_levels
      FOR EACH ROW EXECUTE FUNCTION products_refresh_availability()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE variant_prices, production_batches, stock_movements, stock_levels, variants, products`);
    await db.query(`DROP FUNCTION products_refresh_availability(), products_set_availability(), product_availability_rank(uuid, boolean)`);
  }
}
