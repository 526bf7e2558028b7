import type { EntityManager } from "typeorm";
import { multiply } from "../graphql/money";
import { Distributor, User } from "../modules/accounts";
import { BriefStatus } from "../modules/briefs";
import { DesignBrief, DesignBriefCommentRow, DesignBriefQuoteRow, DesignBriefStatusChangeRow } from "../modules/briefs/design-brief.entity";
import { displayName, type CompositionRow, type PlatingRow, type StoneRow } from "../modules/catalog";
import { Category, Metal, Plating, StoneOrigin, StoneShape, StoneType } from "../modules/catalog/catalog.enums";
import { Order, OrderLine, OrderStatus, OrderStatusChange } from "../modules/orders";

// Design briefs in every status for each demo distributor, with threads, quotes (one of them
// expired) and, for the accepted one, the order it became.

// `grams` is the metal weight of one piece the exporter's quote estimates.
const BRIEFS: { status: BriefStatus; title: string; category: Category; metal: Metal; fineness: number | null; quantity: number; target: string; grams: string; expiredQuote?: boolean }[] = [
  { status: BriefStatus.DRAFT, title: "Monogram signet for our 20th anniversary", category: Category.RING, metal: Metal.GOLD, fineness: 750, quantity: 40, target: "900", grams: "9.500" },
  { status: BriefStatus.SUBMITTED, title: "Falcon pendant, exclusive line", category: Category.PENDANT, metal: Metal.GOLD, fineness: 916, quantity: 120, target: "650", grams: "6.200" },
  { status: BriefStatus.IN_REVIEW, title: "Lab-grown diamond tennis bracelet, 4 ct", category: Category.BRACELET, metal: Metal.PLATINUM, fineness: 950, quantity: 25, target: "3200", grams: "14.000" },
  { status: BriefStatus.QUOTED, title: "Pearl and sapphire drop earrings", category: Category.EARRINGS, metal: Metal.GOLD, fineness: 585, quantity: 60, target: "480", grams: "3.400" },
  { status: BriefStatus.QUOTED, title: "Engraved cufflinks for a corporate client", category: Category.CUFFLINKS, metal: Metal.SILVER, fineness: 925, quantity: 300, target: "85", grams: "11.000", expiredQuote: true },
  { status: BriefStatus.ACCEPTED, title: "Stacking rings, seasonal colours", category: Category.RING, metal: Metal.SILVER, fineness: 925, quantity: 500, target: "45", grams: "2.400" },
  { status: BriefStatus.DECLINED, title: "Heavy rope chain, 22K", category: Category.CHAIN, metal: Metal.GOLD, fineness: 916, quantity: 30, target: "2400", grams: "38.000" },
  { status: BriefStatus.WITHDRAWN, title: "Brooch for a museum shop", category: Category.BROOCH, metal: Metal.BRASS, fineness: null, quantity: 200, target: "30", grams: "12.000" },
];

// The plating a brief asks for, and as the exporter quotes it: rhodium on silver, a 14K gold
// electroplate of 1 µm (0.583 µm of fine gold) on brass.
const wantedPlating = (metal: Metal): Plating => (metal === Metal.SILVER ? Plating.RHODIUM : metal === Metal.BRASS ? Plating.YELLOW_GOLD : Plating.NONE);
const quotedPlating = (metal: Metal): PlatingRow =>
  metal === Metal.SILVER
    ? { type: Plating.RHODIUM, karat: null, thicknessMicrons: "0.500" }
    : metal === Metal.BRASS
      ? { type: Plating.YELLOW_GOLD, karat: 14, thicknessMicrons: "1.000" }
      : { type: Plating.NONE, karat: null, thicknessMicrons: null };

function stonesFor(category: Category): StoneRow[] {
  if (category === Category.BRACELET) return [{ type: StoneType.DIAMOND, shape: StoneShape.ROUND, count: 40, totalCarat: "4.000", origin: StoneOrigin.LAB_GROWN, treatments: [] }];
  if (category === Category.EARRINGS) {
    return [
      { type: StoneType.PEARL, shape: StoneShape.BEAD, count: 2, totalCarat: "10.000", origin: StoneOrigin.CULTURED, treatments: [] },
      { type: StoneType.SAPPHIRE, shape: StoneShape.PEAR, count: 2, totalCarat: "0.800", origin: StoneOrigin.NATURAL, treatments: [] },
    ];
  }
  return [];
}

const PATH: Record<BriefStatus, BriefStatus[]> = {
  DRAFT: [BriefStatus.DRAFT],
  SUBMITTED: [BriefStatus.DRAFT, BriefStatus.SUBMITTED],
  IN_REVIEW: [BriefStatus.DRAFT, BriefStatus.SUBMITTED, BriefStatus.IN_REVIEW],
  QUOTED: [BriefStatus.DRAFT, BriefStatus.SUBMITTED, BriefStatus.IN_REVIEW, BriefStatus.QUOTED],
  ACCEPTED: [BriefStatus.DRAFT, BriefStatus.SUBMITTED, BriefStatus.IN_REVIEW, BriefStatus.QUOTED, BriefStatus.ACCEPTED],
  DECLINED: [BriefStatus.DRAFT, BriefStatus.SUBMITTED, BriefStatus.IN_REVIEW, BriefStatus.QUOTED, BriefStatus.DECLINED],
  WITHDRAWN: [BriefStatus.DRAFT, BriefStatus.SUBMITTED, BriefStatus.WITHDRAWN],
};

const at = (daysAgo: number, hours = 0) => new Date(Date.now() - daysAgo * 86_400_000 + hours * 3_600_000);
const dateIn = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

export async function seedBriefs(db: EntityManager): Promise<number> {
  const manager = await db.findOneByOrFail(User, { email: "manager@facet.example" });
  let count = 0;
  for (const distributor of await db.find(Distributor, { order: { code: "ASC" } })) {
    const buyer = await db.findOneBy(User, { distributorId: distributor.id, role: "BUYER" as User["role"] });
    if (!buyer) continue;
    for (const [n, spec] of BRIEFS.entries()) {
      count++;
      const age = 60 - n * 6;
      const [{ seq }] = (await db.query(`SELECT nextval('design_brief_reference_seq') AS seq`)) as { seq: string }[];
      const path = PATH[spec.status];
      const reference = `DB-${at(age).getUTCFullYear()}-${seq.padStart(4, "0")}`;
      const { identifiers } = await db.insert(DesignBrief, {
        reference,
        distributorId: distributor.id,
        createdByUserId: buyer.id,
        title: spec.title,
        description: `${spec.title}. Finish and packaging as in our earlier lines; see the reference images.`,
        category: spec.category,
        metal: spec.metal,
        fineness: spec.fineness,
        plating: wantedPlating(spec.metal),
        stones: stonesFor(spec.category),
        targetUnitPrice: spec.target,
        currency: distributor.currency,
        quantity: spec.quantity,
        targetDate: dateIn(90 + n * 10),
        referenceImages: [{ url: `https://files.facet.example/briefs/${reference.toLowerCase()}-sketch.jpg`, contentType: "image/jpeg" }],
        status: spec.status,
        version: path.length,
        createdAt: at(age),
        updatedAt: at(age, path.length * 20),
      });
      const briefId = identifiers[0].id as string;

      for (const [s, status] of path.entries()) {
        const byStaff = status === BriefStatus.IN_REVIEW || status === BriefStatus.QUOTED;
        await db.insert(DesignBriefStatusChangeRow, {
          briefId,
          fromStatus: s === 0 ? null : path[s - 1],
          toStatus: status,
          changedByUserId: byStaff ? manager.id : buyer.id,
          changedByName: byStaff ? manager.name : buyer.name,
          note: null,
          changedAt: at(age, s * 20),
        });
      }
      if (path.length > 1) {
        const thread: [User, string, boolean][] = [
          [buyer, "Sketch attached. Could you keep the weight down so the price stays near our target?", false],
          [manager, "Thanks, we are looking at a hollow construction for this.", false],
          [manager, "Casting yield on the hollow version is lower; price with 8% margin for rework.", true],
          [buyer, "Hollow is fine as long as it passes the dent test.", false],
        ];
        for (const [c, [author, body, internal]] of thread.slice(0, Math.min(thread.length, path.length)).entries()) {
          await db.insert(DesignBriefCommentRow, {
            briefId,
            authorUserId: author.id,
            authorName: author.name,
            authorIsStaff: author.id === manager.id,
            body,
            internal,
            createdAt: at(age, c * 15 + 5),
          });
        }
      }
      if (path.includes(BriefStatus.QUOTED)) {
        const unitPrice = (Number(spec.target) * 1.08).toFixed(2);
        // What one piece will be made of, as quoted; the accepted brief's order line is made of it.
        const composition: CompositionRow = {
          metal: spec.metal,
          fineness: spec.fineness,
          plating: quotedPlating(spec.metal),
          metalWeightGrams: spec.grams,
          stones: stonesFor(spec.category),
        };
        await db.insert(DesignBriefQuoteRow, {
          briefId,
          unitPrice,
          currency: distributor.currency,
          quantityBreaks: [{ minQuantity: spec.quantity * 2, unitPrice: (Number(spec.target) * 0.98).toFixed(2) }],
          // Six working days a week, less a holiday or so: 45 calendar days.
          leadTimeBusinessDays: 38,
          leadTimeDays: 45,
          sampleDate: dateIn(14),
          validUntil: spec.expiredQuote ? dateIn(-5) : dateIn(30),
          note: "Sample in 14 days; production starts on sample approval.",
          composition,
          quotedByUserId: manager.id,
          createdAt: at(age, 60),
        });
        if (spec.status === BriefStatus.ACCEPTED) {
          const [{ seq: orderSeq }] = (await db.query(`SELECT nextval('order_number_seq') AS seq`)) as { seq: string }[];
          const lineTotal = multiply(unitPrice, spec.quantity);
          const { identifiers: orderIds } = await db.insert(Order, {
            number: `EXP-${at(age).getUTCFullYear()}-${orderSeq.padStart(6, "0")}`,
            distributorId: distributor.id,
            placedByUserId: buyer.id,
            buyerReference: reference,
            currency: distributor.currency,
            incoterm: distributor.defaultIncoterm,
            estimatedShipDate: dateIn(20),
            status: OrderStatus.CONFIRMED,
            total: lineTotal,
            lineCount: 1,
            designBriefId: briefId,
            placedAt: at(age, 80),
            updatedAt: at(age, 90),
          });
          const orderId = orderIds[0].id as string;
          await db.insert(OrderLine, {
            orderId,
            lineNumber: 1,
            variantId: null,
            sku: reference,
            description: displayName(`${reference} ${spec.title}`, composition),
            quantity: spec.quantity,
            unitPrice,
            lineTotal,
            fromStock: 0,
            batchAllocations: [],
            estimatedShipDate: dateIn(20),
            customization: {},
            composition,
          });
          for (const [from, to, who, hours] of [
            [null, OrderStatus.PENDING, buyer, 80],
            [OrderStatus.PENDING, OrderStatus.CONFIRMED, manager, 90],
          ] as const) {
            await db.insert(OrderStatusChange, { orderId, fromStatus: from, toStatus: to, changedByUserId: who.id, changedByName: who.name, changedAt: at(age, hours) });
          }
          await db.update(DesignBrief, { id: briefId }, { orderId });
        }
      }
    }
  }
  return count;
}
