import type { MigrationInterface, QueryRunner } from "typeorm";

// The product list filters by fineness on its own (`fineness: [750]`, across metals); the
// (metal, fineness) index cannot serve that without a leading metal.
export class CatalogFinenessIndex1795000810000 implements MigrationInterface {
  name = "CatalogFinenessIndex1795000810000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX products_fineness_idx ON products (fineness)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX products_fineness_idx`);
  }
}
