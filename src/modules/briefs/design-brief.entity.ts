import { Field, Int, ObjectType } from "type-graphql";
import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import { Node } from "../../graphql/node";
import { DateTimeScalar, LocalDateScalar, type CurrencyCode } from "../../graphql/scalars";
import { Category, Metal, Plating } from "../catalog";
import type { CompositionRow, StoneRow } from "../catalog";
import { BriefStatus } from "./brief-state";
import type { QuotePriceBasis } from "./quote-basis";

export interface ReferenceImageRow {
  url: string;
  contentType: string;
}

export interface QuantityBreakRow {
  minQuantity: number;
  unitPrice: string;
}

@ObjectType({ simpleResolvers: true, implements: Node, description: "A distributor's request for an exclusive piece or line that is not in the catalog yet." })
@Entity("design_briefs")
export class DesignBrief extends Node {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Field(() => String, { description: "Reference, e.g. DB-2026-0042." })
  @Column({ type: "varchar", length: 24 })
  reference: string;

  @Column({ type: "uuid" })
  distributorId: string;

  @Column({ type: "uuid", nullable: true })
  createdByUserId: string | null;

  @Column({ type: "uuid", nullable: true })
  createdByApiClientId: string | null;

  @Field(() => String, { description: "Short title." })
  @Column({ type: "varchar", length: 200 })
  title: string;

  @Field(() => String, { description: "What the piece should be: design, finish, packaging, anything the workshop needs." })
  @Column({ type: "text", default: "" })
  description: string;

  @Field(() => Category, { description: "Kind of piece." })
  @Column({ type: "varchar", length: 20 })
  category: Category;

  @Field(() => Metal, { description: "Principal metal." })
  @Column({ type: "varchar", length: 20 })
  metal: Metal;

  @Field(() => Int, { nullable: true, description: "Fineness in parts per thousand; null for base metals." })
  @Column({ type: "integer", nullable: true })
  fineness: number | null;

  @Field(() => Plating, { description: "Plating wanted." })
  @Column({ type: "varchar", length: 20, default: Plating.NONE })
  plating: Plating;

  @Column({ type: "jsonb", default: () => "'[]'::jsonb" })
  stones: StoneRow[];

  @Column({ type: "numeric", precision: 18, scale: 4, nullable: true })
  targetUnitPrice: string | null;

  @Column({ type: "char", length: 3 })
  currency: CurrencyCode;

  @Field(() => Int, { description: "Units wanted." })
  @Column({ type: "integer" })
  quantity: number;

  @Field(() => LocalDateScalar, { nullable: true, description: "When the buyer would like the goods." })
  @Column({ type: "date", nullable: true })
  targetDate: string | null;

  @Column({ type: "jsonb", default: () => "'[]'::jsonb" })
  referenceImages: ReferenceImageRow[];

  @Field(() => BriefStatus, { description: "Where the brief stands." })
  @Column({ type: "varchar", length: 16 })
  status: BriefStatus;

  @Field(() => Int, { description: "Optimistic-lock version: pass it as `expectedVersion` to change the brief." })
  @Column({ type: "integer", default: 1 })
  version: number;

  @Column({ type: "uuid", nullable: true })
  orderId: string | null;

  @Field(() => DateTimeScalar, { description: "When the brief was created." })
  @Column({ type: "timestamptz", precision: 3, default: () => "now()" })
  createdAt: Date;

  @Field(() => DateTimeScalar, { description: "When the brief, its quote or its thread last changed; internal staff notes leave it as it is." })
  @Column({ type: "timestamptz", precision: 3, default: () => "now()" })
  updatedAt: Date;
}

@Entity("design_brief_quotes")
export class DesignBriefQuoteRow {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "bigint", insert: false, update: false })
  seq: string;

  @Column({ type: "uuid" })
  briefId: string;

  @Column({ type: "numeric", precision: 18, scale: 4 })
  unitPrice: string;

  @Column({ type: "char", length: 3 })
  currency: CurrencyCode;

  @Column({ type: "jsonb", default: () => "'[]'::jsonb" })
  quantityBreaks: QuantityBreakRow[];

  /** Business days on the exporter's calendar from acceptance to shipment: what the quote promises. */
  @Column({ type: "integer" })
  leadTimeBusinessDays: number;

  /**
   * Calendar days from acceptance to shipment, as quoted before quotes counted business days, or
   * the calendar-day span of `leadTimeBusinessDays` from the day of the quote.
   */
  @Column({ type: "integer" })
  leadTimeDays: number;

  @Column({ type: "date", nullable: true })
  sampleDate: string | null;

  @Column({ type: "date" })
  validUntil: string;

  @Column({ type: "varchar", length: 2000, nullable: true })
  note: string | null;

  /**
   * What one piece will be made of, as the exporter quotes it: metal, fineness, estimated metal
   * weight, plating and stones. Accepting the quote places an order line made of exactly this.
   */
  @Column({ type: "jsonb" })
  composition: CompositionRow;

  @Column({ type: "uuid", nullable: true })
  quotedByUserId: string | null;

  @Column({ type: "timestamptz", precision: 3, default: () => "now()" })
  createdAt: Date;

  // The metal basis (docs/domain.md, "Metal basis of a quote"); all null on a quote given before
  // quotes stated one. A piece in a base metal has a basis but no fix.

  /** LOCKED or SURCHARGE; null: not stated. */
  @Column({ type: "varchar", length: 10, nullable: true })
  priceBasis: QuotePriceBasis | null;

  /** The metal_prices row the price rests on, its price and its time, copied. */
  @Column({ type: "uuid", nullable: true })
  fixId: string | null;

  @Column({ type: "numeric", precision: 14, scale: 4, nullable: true })
  fixUsdPerTroyOunce: string | null;

  @Column({ type: "timestamptz", precision: 3, nullable: true })
  fixedAt: Date | null;

  /** Units of the quote's currency per US dollar at the quote (1 for US dollars, with no rate row). */
  @Column({ type: "numeric", precision: 20, scale: 10, nullable: true })
  usdRate: string | null;

  @Column({ type: "uuid", nullable: true })
  rateId: string | null;

  /** What the acceptance of a SURCHARGE quote measured the surcharge with, and the surcharge per piece. */
  @Column({ type: "uuid", nullable: true })
  acceptedFixId: string | null;

  @Column({ type: "numeric", precision: 14, scale: 4, nullable: true })
  acceptedFixUsdPerTroyOunce: string | null;

  @Column({ type: "numeric", precision: 20, scale: 10, nullable: true })
  acceptedUsdRate: string | null;

  @Column({ type: "uuid", nullable: true })
  acceptedRateId: string | null;

  @Column({ type: "numeric", precision: 18, scale: 4, nullable: true })
  acceptedSurcharge: string | null;
}

@Entity("design_brief_comments")
export class DesignBriefCommentRow {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "bigint", insert: false, update: false })
  seq: string;

  @Column({ type: "uuid" })
  briefId: string;

  @Column({ type: "uuid", nullable: true })
  authorUserId: string | null;

  @Column({ type: "uuid", nullable: true })
  authorApiClientId: string | null;

  @Column({ type: "varchar", length: 200 })
  authorName: string;

  @Column({ type: "boolean" })
  authorIsStaff: boolean;

  @Column({ type: "text" })
  body: string;

  @Column({ type: "boolean", default: false })
  internal: boolean;

  @Column({ type: "timestamptz", precision: 3, default: () => "now()" })
  createdAt: Date;
}

@Entity("design_brief_status_changes")
export class DesignBriefStatusChangeRow {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "bigint", insert: false, update: false })
  seq: string;

  @Column({ type: "uuid" })
  briefId: string;

  @Column({ type: "varchar", length: 16, nullable: true })
  fromStatus: BriefStatus | null;

  @Column({ type: "varchar", length: 16 })
  toStatus: BriefStatus;

  @Column({ type: "uuid", nullable: true })
  changedByUserId: string | null;

  @Column({ type: "uuid", nullable: true })
  changedByApiClientId: string | null;

  @Column({ type: "varchar", length: 200 })
  changedByName: string;

  @Column({ type: "varchar", length: 2000, nullable: true })
  note: string | null;

  @Column({ type: "timestamptz", precision: 3, default: () => "now()" })
  changedAt: Date;
}
