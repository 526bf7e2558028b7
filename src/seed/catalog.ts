import type { EntityManager } from "typeorm";
import { Distributor } from "../modules/accounts";
import { Category, Metal, Plating, RjcCertificationType, StoneOrigin, StoneShape, StoneType, Treatment } from "../modules/catalog/catalog.enums";
import { ProductionBatch, StockLevel, VariantPrice } from "../modules/catalog";
import { Product, type CustomizationOptionsRow, type StoneRow } from "../modules/catalog/product.entity";
import { Variant } from "../modules/catalog/variant.entity";

// A believable exporter's catalog: styles across categories, metals and stones, sized variants,
// stock, production batches and three price lists. Everything is derived deterministically from
// the templates below, so every fresh demo database looks the same.

// Metal, fineness (a legal standard), and the plating as it is made: its type, the karat of a
// gold plating and its thickness in microns, which together name it (docs/domain.md, "Plating
// and its names").
type MetalSpec = [Metal, number | null, Plating, number | null, string | null];

interface Template {
  category: Category;
  name: string;
  collection: string;
  metals: MetalSpec[];
  stones: StoneRow[];
  grams: number;
  leadTime: number;
  moq?: number;
  customizationOptions?: CustomizationOptionsRow;
}

const GOLD18: MetalSpec = [Metal.GOLD, 750, Plating.NONE, null, null];
const GOLD14: MetalSpec = [Metal.GOLD, 585, Plating.NONE, null, null];
const GOLD22: MetalSpec = [Metal.GOLD, 916, Plating.NONE, null, null];
const SILVER: MetalSpec = [Metal.SILVER, 925, Plating.RHODIUM, null, "0.500"];
// Vermeil: sterling silver under gold of at least 10 karat, at least 2.5 µm as fine gold; 18K at
// 3.5 µm is 2.625 µm of fine gold: "18K gold vermeil".
const VERMEIL: MetalSpec = [Metal.SILVER, 925, Plating.YELLOW_GOLD, 18, "3.500"];
const PLATINUM: MetalSpec = [Metal.PLATINUM, 950, Plating.NONE, null, null];
// 14K at 1 µm is 0.583 µm of fine gold, more than 0.175 µm: "14K gold electroplated brass".
const BRASS: MetalSpec = [Metal.BRASS, null, Plating.YELLOW_GOLD, 14, "1.000"];
const STEEL: MetalSpec = [Metal.STAINLESS_STEEL, null, Plating.NONE, null, null];

const stone = (type: StoneType, shape: StoneShape, count: number, totalCarat: string, origin: StoneOrigin, treatments: Treatment[] = []): StoneRow => ({
  type,
  shape,
  count,
  totalCarat,
  origin,
  treatments,
});

const TEMPLATES: Template[] = [
  { category: Category.RING, name: "Classic Solitaire", collection: "Solitaire", metals: [GOLD18, PLATINUM, GOLD14], stones: [stone(StoneType.DIAMOND, StoneShape.ROUND, 1, "0.500", StoneOrigin.NATURAL)], grams: 3.2, leadTime: 20 },
  { category: Category.RING, name: "Lab Solitaire", collection: "Solitaire", metals: [GOLD18, GOLD14], stones: [stone(StoneType.DIAMOND, StoneShape.OVAL, 1, "1.000", StoneOrigin.LAB_GROWN, [Treatment.CVD_POST_GROWTH])], grams: 3.0, leadTime: 15 },
  { category: Category.RING, name: "Eternity Band", collection: "Solitaire", metals: [GOLD18, PLATINUM], stones: [stone(StoneType.DIAMOND, StoneShape.ROUND, 20, "1.000", StoneOrigin.NATURAL)], grams: 2.8, leadTime: 25 },
  { category: Category.RING, name: "Ruby Halo", collection: "Heritage", metals: [GOLD18], stones: [stone(StoneType.RUBY, StoneShape.OVAL, 1, "0.800", StoneOrigin.NATURAL, [Treatment.HEAT]), stone(StoneType.DIAMOND, StoneShape.ROUND, 14, "0.280", StoneOrigin.NATURAL)], grams: 4.1, leadTime: 30 },
  { category: Category.RING, name: "Emerald Cathedral", collection: "Heritage", metals: [GOLD18], stones: [stone(StoneType.EMERALD, StoneShape.EMERALD, 1, "1.200", StoneOrigin.NATURAL, [Treatment.OILED])], grams: 4.4, leadTime: 30 },
  {
    category: Category.RING,
    name: "Stacking Band",
    collection: "Everyday",
    metals: [GOLD14, SILVER, VERMEIL],
    stones: [],
    grams: 1.6,
    leadTime: 10,
    moq: 6,
    // Set on request with one small natural diamond or heated sapphire: "Stacking Band, 14K gold with diamond".
    customizationOptions: {
      customSizes: true,
      stoneOffers: [stone(StoneType.DIAMOND, StoneShape.ROUND, 1, "0.050", StoneOrigin.NATURAL), stone(StoneType.SAPPHIRE, StoneShape.ROUND, 1, "0.060", StoneOrigin.NATURAL, [Treatment.HEAT])],
      engravingMaxLength: 20,
    },
  },
  { category: Category.RING, name: "Signet", collection: "Heritage", metals: [GOLD22, SILVER], stones: [], grams: 6.5, leadTime: 18 },
  { category: Category.RING, name: "Moissanite Trilogy", collection: "Lumière", metals: [SILVER, GOLD14], stones: [stone(StoneType.MOISSANITE, StoneShape.CUSHION, 3, "1.500", StoneOrigin.LAB_GROWN)], grams: 3.4, leadTime: 14 },
  { category: Category.NECKLACE, name: "Tennis Necklace", collection: "Lumière", metals: [GOLD18, SILVER], stones: [stone(StoneType.DIAMOND, StoneShape.ROUND, 60, "5.000", StoneOrigin.LAB_GROWN)], grams: 14.0, leadTime: 35 },
  { category: Category.NECKLACE, name: "Pearl Strand", collection: "Pearl Garden", metals: [GOLD14], stones: [stone(StoneType.PEARL, StoneShape.BEAD, 45, "180.000", StoneOrigin.CULTURED, [Treatment.BLEACHED])], grams: 2.0, leadTime: 28 },
  { category: Category.NECKLACE, name: "Sapphire Riviera", collection: "Heritage", metals: [PLATINUM], stones: [stone(StoneType.SAPPHIRE, StoneShape.OVAL, 15, "7.500", StoneOrigin.NATURAL, [Treatment.HEAT])], grams: 18.0, leadTime: 40 },
  { category: Category.PENDANT, name: "Desert Rose Pendant", collection: "Desert Rose", metals: [GOLD22, GOLD18, VERMEIL], stones: [], grams: 4.0, leadTime: 12 },
  { category: Category.PENDANT, name: "Tanzanite Drop", collection: "Skyline", metals: [GOLD18, SILVER], stones: [stone(StoneType.TANZANITE, StoneShape.PEAR, 1, "1.800", StoneOrigin.NATURAL, [Treatment.HEAT])], grams: 2.2, leadTime: 21 },
  { category: Category.PENDANT, name: "Initial Charm Pendant", collection: "Everyday", metals: [SILVER, BRASS], stones: [], grams: 1.8, leadTime: 7, moq: 12 },
  { category: Category.PENDANT, name: "Opal Moon", collection: "Skyline", metals: [GOLD14], stones: [stone(StoneType.OPAL, StoneShape.CABOCHON, 1, "2.100", StoneOrigin.NATURAL, [Treatment.RESIN])], grams: 2.5, leadTime: 20 },
  { category: Category.EARRINGS, name: "Diamond Studs", collection: "Solitaire", metals: [GOLD18, PLATINUM, GOLD14], stones: [stone(StoneType.DIAMOND, StoneShape.ROUND, 2, "0.600", StoneOrigin.NATURAL)], grams: 1.4, leadTime: 15 },
  { category: Category.EARRINGS, name: "Lab Diamond Huggies", collection: "Lumière", metals: [GOLD14, SILVER], stones: [stone(StoneType.DIAMOND, StoneShape.ROUND, 16, "0.320", StoneOrigin.LAB_GROWN)], grams: 2.6, leadTime: 14 },
  { category: Category.EARRINGS, name: "Pearl Drops", collection: "Pearl Garden", metals: [GOLD18, VERMEIL], stones: [stone(StoneType.PEARL, StoneShape.BEAD, 2, "12.000", StoneOrigin.CULTURED)], grams: 1.9, leadTime: 18 },
  { category: Category.EARRINGS, name: "Chandelier", collection: "Desert Rose", metals: [GOLD22], stones: [stone(StoneType.GARNET, StoneShape.MARQUISE, 12, "3.600", StoneOrigin.NATURAL)], grams: 9.5, leadTime: 30 },
  { category: Category.EARRINGS, name: "CZ Hoops", collection: "Everyday", metals: [SILVER, BRASS, STEEL], stones: [stone(StoneType.CUBIC_ZIRCONIA, StoneShape.ROUND, 24, "0.960", StoneOrigin.SIMULANT)], grams: 3.0, leadTime: 8, moq: 12 },
  { category: Category.BRACELET, name: "Tennis Bracelet", collection: "Lumière", metals: [GOLD18, SILVER], stones: [stone(StoneType.DIAMOND, StoneShape.ROUND, 40, "3.000", StoneOrigin.LAB_GROWN)], grams: 9.0, leadTime: 30 },
  { category: Category.BRACELET, name: "Link Bracelet", collection: "Everyday", metals: [GOLD14, SILVER, STEEL], stones: [], grams: 7.5, leadTime: 12, moq: 6 },
  { category: Category.BRACELET, name: "Peridot Line", collection: "Skyline", metals: [GOLD14], stones: [stone(StoneType.PERIDOT, StoneShape.OVAL, 12, "4.800", StoneOrigin.NATURAL)], grams: 6.0, leadTime: 22 },
  { category: Category.BANGLE, name: "Filigree Bangle", collection: "Desert Rose", metals: [GOLD22, SILVER], stones: [], grams: 15.0, leadTime: 25 },
  { category: Category.BANGLE, name: "Cuff Bangle", collection: "Skyline", metals: [GOLD18, VERMEIL, BRASS], stones: [], grams: 12.0, leadTime: 16 },
  { category: Category.CHAIN, name: "Rope Chain", collection: "Everyday Chains", metals: [GOLD22, GOLD18, SILVER], stones: [], grams: 8.0, leadTime: 10, moq: 5 },
  { category: Category.CHAIN, name: "Box Chain", collection: "Everyday Chains", metals: [GOLD14, SILVER, STEEL], stones: [], grams: 4.0, leadTime: 8, moq: 10 },
  { category: Category.CHAIN, name: "Figaro Chain", collection: "Everyday Chains", metals: [GOLD18, SILVER], stones: [], grams: 6.0, leadTime: 10, moq: 5 },
  { category: Category.BROOCH, name: "Aquamarine Bloom", collection: "Heritage", metals: [PLATINUM, SILVER], stones: [stone(StoneType.AQUAMARINE, StoneShape.OVAL, 5, "4.000", StoneOrigin.NATURAL, [Treatment.HEAT])], grams: 7.0, leadTime: 35 },
  { category: Category.CUFFLINKS, name: "Onyx Cufflinks", collection: "Heritage", metals: [SILVER, STEEL], stones: [], grams: 10.0, leadTime: 14, moq: 4 },
  { category: Category.CUFFLINKS, name: "Engraved Cufflinks", collection: "Skyline", metals: [GOLD18, SILVER, BRASS], stones: [], grams: 11.0, leadTime: 14, moq: 4 },
  { category: Category.CHARM, name: "Citrine Charm", collection: "Everyday", metals: [GOLD14, VERMEIL], stones: [stone(StoneType.CITRINE, StoneShape.TRILLION, 1, "0.700", StoneOrigin.NATURAL, [Treatment.HEAT])], grams: 1.1, leadTime: 9, moq: 12 },
  { category: Category.CHARM, name: "Amethyst Heart Charm", collection: "Everyday", metals: [SILVER], stones: [stone(StoneType.AMETHYST, StoneShape.HEART, 1, "0.900", StoneOrigin.NATURAL)], grams: 1.2, leadTime: 9, moq: 12 },
];

const PREFIX: Record<Category, string> = {
  RING: "RG", NECKLACE: "NK", PENDANT: "PD", EARRINGS: "ER", BRACELET: "BR", BANGLE: "BG", CHAIN: "CH", BROOCH: "BC", CUFFLINKS: "CL", CHARM: "CM",
};
const METAL_CODE: Record<Metal, string> = { GOLD: "G", SILVER: "S", PLATINUM: "P", PALLADIUM: "D", BRASS: "B", STAINLESS_STEEL: "T" };

function sizes(category: Category): { suffix: string; ringSizeMm?: string; chainLengthMm?: number; weightFactor: number }[] {
  switch (category) {
    case Category.RING:
      return [48, 50, 52, 54, 56, 58].map((mm) => ({ suffix: String(mm), ringSizeMm: `${mm}.0`, weightFactor: mm / 54 }));
    case Category.CHAIN:
    case Category.NECKLACE:
      return [400, 450, 500, 600].map((mm) => ({ suffix: String(mm / 10), chainLengthMm: mm, weightFactor: mm / 450 }));
    case Category.BRACELET:
      return [160, 180, 200].map((mm) => ({ suffix: String(mm / 10), chainLengthMm: mm, weightFactor: mm / 180 }));
    default:
      return [{ suffix: "OS", weightFactor: 1 }];
  }
}

function hsCodeFor(category: Category, metal: Metal): string {
  if (metal === Metal.SILVER) return "711311";
  if (metal === Metal.BRASS || metal === Metal.STAINLESS_STEEL) return category === Category.CUFFLINKS ? "711711" : "711719";
  return "711319";
}

/** A GTIN-13 under a GS1 India prefix, with its check digit. */
function gtin13(sequence: number): string {
  const body = `890${String(4600000 + sequence).padStart(9, "0")}`;
  const sum = [...body].reverse().reduce((acc, d, i) => acc + Number(d) * (i % 2 === 0 ? 3 : 1), 0);
  return body + String((10 - (sum % 10)) % 10);
}

// Unit price per gram of metal in euro cents, plus per carat of stone by origin: round numbers
// that keep the price lists plausible.
const METAL_CENTS_PER_GRAM: Record<string, number> = { "GOLD:916": 8200, "GOLD:750": 6900, "GOLD:585": 5400, "SILVER:925": 190, "PLATINUM:950": 4100, "BRASS:null": 40, "STAINLESS_STEEL:null": 30 };
const STONE_CENTS_PER_CARAT: Record<StoneOrigin, number> = { NATURAL: 180000, LAB_GROWN: 30000, CULTURED: 2000, SIMULANT: 1500 };
const FX: { code: string; currency: string; rateMilli: number; onlyMetals?: Metal[] }[] = [
  { code: "atelier-paris", currency: "EUR", rateMilli: 1000 },
  { code: "gulf-gold", currency: "USD", rateMilli: 1080, onlyMetals: [Metal.GOLD, Metal.PLATINUM] },
  { code: "maple-jewels", currency: "CAD", rateMilli: 1470 },
];

function addDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

export async function seedCatalog(db: EntityManager): Promise<{ products: number; variants: number }> {
  const distributors = await db.findBy(Distributor, {});
  let productCount = 0;
  let variantCount = 0;
  let sequence = 0;
  for (const [t, template] of TEMPLATES.entries()) {
    for (const [m, [metal, fineness, plating, platingKarat, thickness]] of template.metals.entries()) {
      productCount++;
      const styleCode = `${PREFIX[template.category]}-${1000 + t * 10 + m}${METAL_CODE[metal]}`;
      const naturalDiamonds = template.stones.some((s) => s.type === StoneType.DIAMOND && s.origin === StoneOrigin.NATURAL);
      const { identifiers } = await db.insert(Product, {
        styleCode,
        name: template.name,
        description: `${template.name} from the ${template.collection} collection, made in our Jaipur workshop.`,
        category: template.category,
        collection: template.collection,
        metal,
        fineness,
        plating,
        platingKarat,
        platingThicknessMicrons: thickness,
        stones: template.stones,
        hsCode: hsCodeFor(template.category, metal),
        countryOfOrigin: "IN",
        standardLeadTimeDays: template.leadTime,
        minimumOrderQuantity: template.moq ?? 1,
        recycledMetalPercent: metal === Metal.GOLD || metal === Metal.SILVER ? (productCount % 3 === 0 ? "100.00" : "60.00") : null,
        rjcCertificationType: metal === Metal.GOLD || metal === Metal.PLATINUM ? (naturalDiamonds ? RjcCertificationType.COP : RjcCertificationType.COC) : null,
        rjcCertificateNumber: metal === Metal.GOLD || metal === Metal.PLATINUM ? `RJC-${naturalDiamonds ? "COP" : "COC"}-${20240 + (productCount % 7)}` : null,
        customizationOptions: template.customizationOptions ?? {},
        images: [{ url: `https://images.facet.example/styles/${styleCode.toLowerCase()}-front.jpg`, altText: `${template.name} in ${metal.toLowerCase().replace("_", " ")}, front view` }],
        discontinued: productCount % 29 === 0,
      });
      const productId = identifiers[0].id as string;
      const stoneCents = template.stones.reduce((sum, s) => sum + Math.round(Number(s.totalCarat) * STONE_CENTS_PER_CARAT[s.origin]), 0);

      for (const size of sizes(template.category)) {
        sequence++;
        variantCount++;
        const grams = Math.round(template.grams * size.weightFactor * 1000) / 1000;
        const { identifiers: vid } = await db.insert(Variant, {
          productId,
          sku: `${styleCode}-${size.suffix}`,
          gtin: gtin13(sequence),
          ringSizeMm: size.ringSizeMm ?? null,
          chainLengthMm: size.chainLengthMm ?? null,
          metalWeightGrams: grams.toFixed(3),
          discontinued: false,
        });
        const variantId = vid[0].id as string;
        // Stock varies by variant: some plenty, some low, some none at all. Nothing is reserved or
        // allocated here: the demo orders reserve what they hold (see orders.ts).
        const onHand = [0, 3, 12, 40, 7, 0, 25, 60][sequence % 8];
        await db.insert(StockLevel, { variantId, onHand, reserved: 0, lowStockThreshold: 5 });
        if (sequence % 3 === 0) {
          await db.insert(ProductionBatch, {
            variantId,
            quantity: 20 + (sequence % 5) * 20,
            allocated: 0,
            readyDate: addDays(7 + (sequence % 6) * 7),
            description: template.stones.length ? "setting run" : "casting run",
          });
        }
        const baseCents = Math.round(grams * (METAL_CENTS_PER_GRAM[`${metal}:${fineness}`] ?? 100)) + stoneCents + 2500;
        for (const fx of FX) {
          const distributor = distributors.find((d) => d.code === fx.code);
          if (!distributor || (fx.onlyMetals && !fx.onlyMetals.includes(metal))) continue;
          const cents = Math.round((baseCents * fx.rateMilli) / 1000);
          await db.insert(VariantPrice, { distributorId: distributor.id, variantId, amount: (cents / 100).toFixed(2), currency: fx.currency });
        }
      }
    }
  }
  return { products: productCount, variants: variantCount };
}
