import type { MigrationInterface, QueryRunner } from "typeorm";

// `orders(filter: { search })` read every order of the caller's distributor and every visible order
// line: 300,000 rows and 0.5 s for a search that matched nothing. The trigram indexes on order
// numbers, buyer references, line SKUs and brief references and titles have been there since those
// tables were made (pg_trgm since the catalog's migration, which keeps it: every trigram index
// needs it), but a request's statements could never use them: they run as facet_rls, under the
// tables' row-level security, and PostgreSQL uses an index for a condition ahead of a policy only
// when the condition's operator is leakproof, which ILIKE is not (marking it so takes a superuser).
//
// So a search looks its rows up in a function of its own, run with the rights of the role
// facet_search: the policy `search` lets that role read every row of the three tables, and no more
// than the columns searched, so its statements carry no policy and use the indexes. The function
// enforces the tenancy rule itself: it is asked for the caller's own distributor (null for staff)
// and refuses any other than the connection's scope. It returns ids only; the list then reads those
// rows as facet_rls, under the policies as ever. Each function returns at most `max_rows` ids, so
// that text most rows contain costs no more than that; the services then filter as they walk the
// list instead (see src/db/search.ts).
//
// The functions plan each call with its own pattern and tenant (plan_cache_mode), so the planner
// weighs how common the text is and folds a staff caller's `tenant IS NULL` away. The new index is
// the one searched column that had none: a brief's description.
const SEARCHED: [table: string, columns: string[]][] = [
  ["orders", ["id", "distributor_id", "number", "buyer_reference"]],
  ["order_lines", ["order_id", "distributor_id", "sku"]],
  ["design_briefs", ["id", "distributor_id", "reference", "title", "description"]],
];

// The caller's own distributor, or null for staff and the system: as the tenant policy decides.
const CHECK_TENANT = `
  IF NOT COALESCE(CASE WHEN tenant IS NULL THEN public.facet_sees_every_distributor() ELSE tenant = public.facet_tenant_id() END, false) THEN
    RAISE EXCEPTION 'a search reads only the rows of the caller''s own distributor' USING ERRCODE = 'insufficient_privilege';
  END IF;`;

// Both functions take the same arguments: the ILIKE pattern, the caller's distributor (null: every
// distributor's), and the most ids to return.
const PARAMETERS = "pattern text, tenant uuid, max_rows integer";
const TYPES = "text, uuid, integer";
const FUNCTIONS: [name: string, query: string][] = [
  [
    "facet_search_orders",
    `SELECT o.id FROM public.orders o
      WHERE ($2 IS NULL OR o.distributor_id = $2) AND (o.number ILIKE $1 OR o.buyer_reference ILIKE $1)
     UNION ALL
     SELECT l.order_id FROM public.order_lines l
      WHERE ($2 IS NULL OR l.distributor_id = $2) AND l.sku ILIKE $1
     LIMIT $3`,
  ],
  [
    "facet_search_briefs",
    `SELECT b.id FROM public.design_briefs b
      WHERE ($2 IS NULL OR b.distributor_id = $2) AND (b.reference ILIKE $1 OR b.title ILIKE $1 OR b.description ILIKE $1)
     LIMIT $3`,
  ],
];

export class IndexedSearch1795001600000 implements MigrationInterface {
  name = "IndexedSearch1795001600000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX design_briefs_description_trgm_idx ON design_briefs USING gin (description gin_trgm_ops)`);

    // Roles belong to the cluster, not the database: another database may have made it already.
    await db.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'facet_search') THEN
        CREATE ROLE facet_search NOLOGIN NOBYPASSRLS;
      END IF;
    END $$`);
    // Whoever runs the migrations hands the functions to facet_search below.
    await db.query(`GRANT facet_search TO CURRENT_USER`);
    await db.query(`GRANT USAGE ON SCHEMA public TO facet_search`);
    for (const [table, columns] of SEARCHED) {
      await db.query(`GRANT SELECT (${columns.join(", ")}) ON ${table} TO facet_search`);
      await db.query(`CREATE POLICY search ON ${table} FOR SELECT TO facet_search USING (true)`);
    }

    // A function's owner must be allowed to create in its schema, for the moment it takes it over.
    await db.query(`GRANT CREATE ON SCHEMA public TO facet_search`);
    for (const [name, query] of FUNCTIONS) {
      await db.query(`
        CREATE FUNCTION ${name}(${PARAMETERS}) RETURNS SETOF uuid
        LANGUAGE plpgsql STABLE SECURITY DEFINER
        SET search_path = pg_catalog, pg_temp
        SET plan_cache_mode = force_custom_plan
        AS $$
        BEGIN${CHECK_TENANT}
          RETURN QUERY ${query};
        END $$`);
      await db.query(`ALTER FUNCTION ${name}(${TYPES}) OWNER TO facet_search`);
      await db.query(`REVOKE ALL ON FUNCTION ${name}(${TYPES}) FROM PUBLIC`);
      await db.query(`GRANT EXECUTE ON FUNCTION ${name}(${TYPES}) TO facet_rls`);
    }
    await db.query(`REVOKE CREATE ON SCHEMA public FROM facet_search`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const [name] of FUNCTIONS) await db.query(`DROP FUNCTION ${name}(${TYPES})`);
    for (const [table] of SEARCHED) {
      await db.query(`DROP POLICY search ON ${table}`);
      await db.query(`REVOKE SELECT ON ${table} FROM facet_search`);
    }
    await db.query(`REVOKE USAGE ON SCHEMA public FROM facet_search`);
    // The role stays, as facet_rls does: another database of the cluster may use it.
    await db.query(`DROP INDEX design_briefs_description_trgm_idx`);
  }
}
