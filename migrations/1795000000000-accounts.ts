import type { MigrationInterface, QueryRunner } from "typeorm";

export class Accounts1795000000000 implements MigrationInterface {
  name = "Accounts1795000000000";

  async up(db: QueryRunner): Promise<void> {
    // Timestamps keep millisecond precision: keyset cursors carry them through JavaScript Dates,
    // which would otherwise drop microseconds and repeat rows across page boundaries.
    await db.query(`
      CREATE TABLE distributors (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code varchar(60) NOT NULL,
        name varchar(200) NOT NULL,
        country char(2) NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
        currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        default_incoterm varchar(3) NOT NULL
          CHECK (default_incoterm IN ('EXW','FCA','CPT','CIP','DAP','DPU','DDP','FAS','FOB','CFR','CIF')),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX distributors_code_key ON distributors (code)`);
    await db.query(`CREATE INDEX distributors_name_id_idx ON distributors (name, id)`);
    await db.query(`CREATE INDEX distributors_country_idx ON distributors (country)`);

    await db.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        distributor_id uuid REFERENCES distributors (id),
        email varchar(254) NOT NULL CHECK (email = lower(email)),
        name varchar(200) NOT NULL,
        role varchar(32) NOT NULL CHECK (role IN ('BUYER','DISTRIBUTOR_ADMIN','EXPORT_MANAGER','SUPPORT')),
        password_hash varchar(255) NOT NULL,
        active boolean NOT NULL DEFAULT true,
        deactivated_at timestamptz(3),
        last_login_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        -- staff belong to the exporter, everyone else to exactly one distributor
        CONSTRAINT users_distributor_matches_role
          CHECK ((role IN ('EXPORT_MANAGER','SUPPORT')) = (distributor_id IS NULL))
      )`);
    await db.query(`CREATE UNIQUE INDEX users_email_key ON users (email)`);
    await db.query(`CREATE INDEX users_distributor_email_idx ON users (distributor_id, email, id)`);

    await db.query(`
      CREATE TABLE api_clients (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        distributor_id uuid NOT NULL REFERENCES distributors (id),
        client_id varchar(64) NOT NULL,
        name varchar(200) NOT NULL,
        secret_hash varchar(255) NOT NULL,
        secret_version integer NOT NULL DEFAULT 1,
        scopes text[] NOT NULL CHECK (cardinality(scopes) > 0),
        revoked_at timestamptz(3),
        secret_issued_at timestamptz(3) NOT NULL DEFAULT now(),
        last_used_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX api_clients_client_id_key ON api_clients (client_id)`);
    await db.query(`CREATE INDEX api_clients_distributor_created_idx ON api_clients (distributor_id, created_at, id)`);

    await db.query(`
      CREATE TABLE login_attempts (
        email varchar(254) PRIMARY KEY,
        failures integer NOT NULL,
        last_failure_at timestamptz(3) NOT NULL,
        locked_until timestamptz(3)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE login_attempts`);
    await db.query(`DROP TABLE api_clients`);
    await db.query(`DROP TABLE users`);
    await db.query(`DROP TABLE distributors`);
  }
}
