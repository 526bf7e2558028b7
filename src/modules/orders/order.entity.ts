import { Field, Int, ObjectType } from "type-graphql";
import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from "typeorm";
import { Node } from "../../graphql/node";
import { DateTimeScalar, Incoterm, LocalDateScalar, type CurrencyCode } from "../../graphql/scalars";
import type { CompositionRow, Plating, StoneType } from "../catalog";
import { OrderStatus } from "./order-state";

@ObjectType({ simpleResolvers: true, implements: Node, description: "A distributor's order." })
@Entity("orders")
export class Order extends Node {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Field(() => String, { description: "Order number, e.g. EXP-2026-000123." })
  @Column({ type: "varchar", length: 24 })
  number: string;

  @Column({ type: "uuid" })
  distributorId: string;

  @Column({ type: "uuid", nullable: true })
  placedByUserId: string | null;

  @Column({ type: "uuid", nullable: true })
  placedByApiClientId: string | null;

  @Field(() => String, { description: "The buyer's purchase order reference." })
  @Column({ type: "varchar", length: 35 })
  buyerReference: string;

  @Column({ type: "char", length: 3 })
  currency: CurrencyCode;

  @Field(() => Incoterm, { description: "Incoterms® 2020 rule of the sale." })
  @Column({ type: "varchar", length: 3 })
  incoterm: Incoterm;

  @Field(() => LocalDateScalar, { nullable: true, description: "When the buyer asked for it to ship." })
  @Column({ type: "date", nullable: true })
  requestedShipDate: string | null;

  @Field(() => LocalDateScalar, { description: "When the last line is expected to ship, as quoted at placement." })
  @Column({ type: "date" })
  estimatedShipDate: string;

  @Field(() => OrderStatus, { description: "Where the order stands." })
  @Column({ type: "varchar", length: 20 })
  status: OrderStatus;

  @Column({ type: "numeric", precision: 18, scale: 4 })
  total: string;

  @Field(() => Int, { description: "Number of lines." })
  @Column({ type: "integer" })
  lineCount: number;

  @Column({ type: "uuid", nullable: true })
  designBriefId: string | null;

  @Field(() => DateTimeScalar, { description: "When the order was placed." })
  @Column({ type: "timestamptz", precision: 3, default: () => "now()" })
  placedAt: Date;

  @Field(() => DateTimeScalar, { description: "When the order last changed; sync with `orders(filter: { updatedSince })`." })
  @Column({ type: "timestamptz", precision: 3, default: () => "now()" })
  updatedAt: Date;
}

export interface BatchAllocation {
  batchId: string;
  quantity: number;
}

export interface LineCustomization {
  size?: string;
  plating?: Plating;
  stone?: StoneType;
  branding?: string;
  engraving?: string;
}

@Entity("order_lines")
export class OrderLine {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  orderId: string;

  @Column({ type: "integer" })
  lineNumber: number;

  /** Null for the line of a design brief's order: the piece is not in the catalog. */
  @Column({ type: "uuid", nullable: true })
  variantId: string | null;

  @Column({ type: "varchar", length: 40 })
  sku: string;

  @Column({ type: "varchar", length: 400 })
  description: string;

  @Column({ type: "integer" })
  quantity: number;

  @Column({ type: "numeric", precision: 18, scale: 4 })
  unitPrice: string;

  @Column({ type: "numeric", precision: 18, scale: 4 })
  lineTotal: string;

  @Column({ type: "integer" })
  fromStock: number;

  @Column({ type: "jsonb", default: () => "'[]'::jsonb" })
  batchAllocations: BatchAllocation[];

  @Column({ type: "date" })
  estimatedShipDate: string;

  /**
   * How many of the made-to-order units (quantity − fromStock) staff have recorded as made and
   * ready to ship (markOrderLineReady): nothing else says that a new production run is finished.
   */
  @Column({ type: "integer", default: 0 })
  madeToOrderReady: number;

  @Column({ type: "jsonb", default: () => "'{}'::jsonb" })
  customization: LineCustomization;

  /**
   * What one piece of the line is made of, taken when the line was placed: the variant's style
   * with the customization applied, or the accepted quote of a design brief. The invoice, the
   * packing list and the customs declaration declare this (see shipments.loaders.ts).
   */
  @Column({ type: "jsonb" })
  composition: CompositionRow;
}

@Entity("order_status_changes")
export class OrderStatusChange {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  // Insertion order: two changes in the same millisecond still list in the order they happened.
  @Column({ type: "bigint", insert: false, update: false })
  seq: string;

  @Column({ type: "uuid" })
  orderId: string;

  @Column({ type: "varchar", length: 20, nullable: true })
  fromStatus: OrderStatus | null;

  @Column({ type: "varchar", length: 20 })
  toStatus: OrderStatus;

  @Column({ type: "uuid", nullable: true })
  changedByUserId: string | null;

  @Column({ type: "uuid", nullable: true })
  changedByApiClientId: string | null;

  @Column({ type: "varchar", length: 200 })
  changedByName: string;

  @Column({ type: "varchar", length: 1000, nullable: true })
  note: string | null;

  @Column({ type: "timestamptz", precision: 3, default: () => "now()" })
  changedAt: Date;
}

@Entity("idempotency_keys")
export class IdempotencyKey {
  @PrimaryColumn({ type: "uuid" })
  distributorId: string;

  @PrimaryColumn({ type: "varchar", length: 255 })
  key: string;

  @Column({ type: "varchar", length: 40 })
  operation: string;

  @Column({ type: "char", length: 64 })
  requestHash: string;

  @Column({ type: "uuid", nullable: true })
  orderId: string | null;

  @Column({ type: "timestamptz", precision: 3, default: () => "now()" })
  createdAt: Date;
}
