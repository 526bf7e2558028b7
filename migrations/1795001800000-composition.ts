import type { MigrationInterface, QueryRunner } from "typeorm";

// What each piece is made of, named as the law names it (docs/domain.md, "Precious metals:
// fineness and karat", "Plating and its names", "What an order line is made of").
//
// - Finenesses are the legal standards of each metal: gold 990, silver 900 and 958, platinum 999
//   and palladium 999 become possible. The check keeps accepting gold 417 and silver 950, which
//   earlier rows may hold: a row is checked again whenever it is updated (its availability rank
//   is, on every stock change), and the service no longer accepts them for new styles.
// - A gold plating records its karat, which with its thickness names it (FTC thresholds).
// - A design brief's quote states what one piece will be made of, and an order line keeps what
//   its piece was made of when it was placed. Existing rows get what they reference: a catalog
//   line its variant and style, with the plating and principal stone it asked for; a brief's line
//   and quote the brief's metal, fineness, plating and stones. A brief's metal weight was never
//   recorded and stays unknown (null): such a quote can no longer be accepted, and the lines it
//   placed declare no metal weight rather than a made-up one. A plating or stone a catalog line
//   asked for before offers were stated in full has no known karat, thickness, count or carat.
export class Composition1795001800000 implements MigrationInterface {
  name = "Composition1795001800000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE products DROP CONSTRAINT products_fineness_matches_metal`);
    await db.query(`ALTER TABLE products ADD CONSTRAINT products_fineness_matches_metal CHECK (
      (metal = 'GOLD' AND fineness IN (375,417,585,750,916,990,999)) OR
      (metal = 'SILVER' AND fineness IN (800,900,925,950,958,999)) OR
      (metal = 'PLATINUM' AND fineness IN (850,900,950,999)) OR
      (metal = 'PALLADIUM' AND fineness IN (500,950,999)) OR
      (metal IN ('BRASS','STAINLESS_STEEL') AND fineness IS NULL))`);
    await db.query(`ALTER TABLE products ADD COLUMN plating_karat smallint
      CONSTRAINT products_plating_karat CHECK (plating_karat IS NULL OR (plating_karat BETWEEN 10 AND 24 AND plating IN ('YELLOW_GOLD','ROSE_GOLD')))`);

    // A plating as a line or quote records it: {type, karat, thicknessMicrons}.
    const plating = (type: string, karat: string, thickness: string) =>
      `jsonb_build_object('type', ${type}, 'karat', ${karat}, 'thicknessMicrons', ${thickness})`;

    await db.query(`ALTER TABLE design_brief_quotes ADD COLUMN composition jsonb CHECK (jsonb_typeof(composition) = 'object')`);
    await db.query(`
      UPDATE design_brief_quotes q SET composition = jsonb_build_object(
        'metal', b.metal, 'fineness', b.fineness,
        'plating', ${plating("b.plating", "NULL::int", "NULL::text")},
        'metalWeightGrams', NULL, 'stones', b.stones)
      FROM design_briefs b WHERE b.id = q.brief_id`);
    await db.query(`ALTER TABLE design_brief_quotes ALTER COLUMN composition SET NOT NULL`);

    await db.query(`ALTER TABLE order_lines ADD COLUMN composition jsonb CHECK (jsonb_typeof(composition) = 'object')`);
    await db.query(`
      UPDATE order_lines ol SET composition = jsonb_build_object(
        'metal', p.metal, 'fineness', p.fineness,
        'plating', CASE WHEN ol.customization ? 'plating'
          THEN ${plating("ol.customization ->> 'plating'", "NULL::int", "NULL::text")}
          ELSE ${plating("p.plating", "p.plating_karat", "p.plating_thickness_microns::text")} END,
        'metalWeightGrams', v.metal_weight_grams::text,
        -- The stone asked for replaced the style's first stone line; an unqualified stone name is a natural stone.
        'stones', CASE WHEN ol.customization ? 'stone' AND jsonb_array_length(p.stones) > 0
          THEN jsonb_set(p.stones, '{0}', (p.stones -> 0) || jsonb_build_object('type', ol.customization ->> 'stone', 'origin', 'NATURAL', 'treatments', '[]'::jsonb))
          ELSE p.stones END)
      FROM variants v JOIN products p ON p.id = v.product_id
      WHERE v.id = ol.variant_id`);
    await db.query(`
      UPDATE order_lines ol SET composition = jsonb_build_object(
        'metal', b.metal, 'fineness', b.fineness,
        'plating', ${plating("b.plating", "NULL::int", "NULL::text")},
        'metalWeightGrams', NULL, 'stones', b.stones)
      FROM orders o JOIN design_briefs b ON b.id = o.design_brief_id
      WHERE o.id = ol.order_id AND ol.variant_id IS NULL`);
    await db.query(`ALTER TABLE order_lines ALTER COLUMN composition SET NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE order_lines DROP COLUMN composition`);
    await db.query(`ALTER TABLE design_brief_quotes DROP COLUMN composition`);
    await db.query(`ALTER TABLE products DROP COLUMN plating_karat`);
    await db.query(`ALTER TABLE products DROP CONSTRAINT products_fineness_matches_metal`);
    // NOT VALID: rows of the legal standards added above stay; new ones are held to the old list.
    await db.query(`ALTER TABLE products ADD CONSTRAINT products_fineness_matches_metal CHECK (
      (metal = 'GOLD' AND fineness IN (375,417,585,750,916,999)) OR
      (metal = 'SILVER' AND fineness IN (800,925,950,999)) OR
      (metal = 'PLATINUM' AND fineness IN (850,900,950)) OR
      (metal = 'PALLADIUM' AND fineness IN (500,950)) OR
      (metal IN ('BRASS','STAINLESS_STEEL') AND fineness IS NULL)) NOT VALID`);
  }
}
