import type { EntityManager } from "typeorm";

// Quantity breaks on the demo's chains (docs/api.md, "Quantity breaks"): in every demo price
// list that prices a chain style, a dozen of the style (its lengths counted together) costs 5 %
// less and fifty 10 % less than the style's lowest list price, rounded to the cent. Taken from the
// lowest, so every length of the style gets the break. Seeded after the demo orders, which were
// placed before there were breaks and keep their list prices.
const BREAKS: [minQuantity: number, percentOfLowest: number][] = [
  [12, 95],
  [50, 90],
];

export async function seedQuantityBreaks(db: EntityManager): Promise<number> {
  const rows = (await db.query(
    `INSERT INTO quantity_breaks (distributor_id, product_id, min_quantity, unit_price, currency)
     SELECT lowest.distributor_id, lowest.product_id, b.min_quantity, round(lowest.amount * b.percent / 100, 2), lowest.currency
     FROM (SELECT vp.distributor_id, v.product_id, min(vp.amount) AS amount, min(vp.currency) AS currency
           FROM variant_prices vp JOIN variants v ON v.id = vp.variant_id JOIN products p ON p.id = v.product_id
           WHERE p.category = 'CHAIN'
           GROUP BY vp.distributor_id, v.product_id) lowest
     CROSS JOIN unnest($1::int[], $2::int[]) AS b(min_quantity, percent)
     RETURNING id`,
    [BREAKS.map(([q]) => q), BREAKS.map(([, p]) => p)],
  )) as unknown[];
  return rows.length;
}
