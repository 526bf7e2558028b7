import { Field, ObjectType } from "type-graphql";
import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import { Node } from "../../graphql/node";
import { DateTimeScalar } from "../../graphql/scalars";
import type { CurrencyCode } from "../../graphql/scalars";
import { AirwayBillType, Carrier, DocumentKind, ShipmentStatus } from "./shipment-state";

/** One setting or correction of a shipment's air waybill or tracking number (shipments.carriage_history). */
export interface CarriageChangeRow {
  field: "AIRWAY_BILL" | "TRACKING_NUMBER";
  /** As shown: `176-12345675`, a house bill's number, a tracking number; null when there was none. */
  from: string | null;
  to: string;
  /** ISO 8601. */
  at: string;
  byUserId: string;
  byName: string;
}

export interface PackageRow {
  count: number;
  netWeightKg: string;
  grossWeightKg: string;
  lengthCm: number;
  widthCm: number;
  heightCm: number;
}

@ObjectType({ simpleResolvers: true, implements: Node, description: "Goods of one order handed to a carrier together." })
@Entity("shipments")
export class Shipment extends Node {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  orderId: string;

  @Column({ type: "uuid" })
  distributorId: string;

  @Field(() => Carrier, { description: "Who carries it." })
  @Column({ type: "varchar", length: 20 })
  carrier: Carrier;

  @Field(() => String, { description: "The carrier's service, e.g. EXPRESS WORLDWIDE." })
  @Column({ type: "varchar", length: 60 })
  service: string;

  @Field(() => ShipmentStatus, { description: "Where it is, from the latest tracking event." })
  @Column({ type: "varchar", length: 20, default: ShipmentStatus.PENDING })
  status: ShipmentStatus;

  @Column({ type: "varchar", length: 12, nullable: true })
  awbNumber: string | null;

  @Column({ type: "varchar", length: 6, nullable: true })
  awbType: AirwayBillType | null;

  @Column({ type: "varchar", length: 11, nullable: true })
  masterAwbNumber: string | null;

  @Field(() => String, { nullable: true, description: "The carrier's tracking number." })
  @Column({ type: "varchar", length: 40, nullable: true })
  trackingNumber: string | null;

  @Field(() => String, { nullable: true, description: "The carrier's public tracking page for it." })
  @Column({ type: "varchar", length: 300, nullable: true })
  trackingUrl: string | null;

  @Column({ type: "jsonb", default: () => "'[]'::jsonb" })
  packages: PackageRow[];

  @Column({ type: "varchar", length: 200, nullable: true })
  insurer: string | null;

  @Column({ type: "varchar", length: 60, nullable: true })
  insurancePolicyNumber: string | null;

  @Column({ type: "numeric", precision: 18, scale: 4, nullable: true })
  insuredAmount: string | null;

  @Column({ type: "char", length: 3 })
  currency: CurrencyCode;

  @Field(() => String, {
    nullable: true,
    description: "The named place of the order's Incoterms® 2020 rule, e.g. `Paris CDG airport, France`; null for shipments made before it was recorded.",
  })
  @Column({ type: "varchar", length: 100, nullable: true })
  namedPlace: string | null;

  // Null for shipments made before it was recorded: the exporter's country (EXPORTER_COUNTRY).
  @Column({ type: "char", length: 2, nullable: true })
  dispatchCountry: string | null;

  // Charges the seller bears under the rule, in the shipment's currency (null: none).
  @Column({ type: "numeric", precision: 18, scale: 4, nullable: true })
  freightCharge: string | null;

  @Column({ type: "numeric", precision: 18, scale: 4, nullable: true })
  insuranceCharge: string | null;

  @Column({ type: "numeric", precision: 18, scale: 4, nullable: true })
  dutiesCharge: string | null;

  // Append-only: who set or corrected the air waybill and tracking number, when, from what to what.
  @Column({ type: "jsonb", default: () => "'[]'::jsonb" })
  carriageHistory: CarriageChangeRow[];

  @Field(() => DateTimeScalar, { nullable: true, description: "When the carrier took it (first event in transit)." })
  @Column({ type: "timestamptz", precision: 3, nullable: true })
  shippedAt: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: "The latest estimated delivery time the carrier gave." })
  @Column({ type: "timestamptz", precision: 3, nullable: true })
  estimatedDeliveryAt: Date | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: "The estimated delivery time known when the shipment was handed over: the promise on-time delivery is measured against.",
  })
  @Column({ type: "timestamptz", precision: 3, nullable: true })
  promisedDeliveryAt: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: "When it was delivered." })
  @Column({ type: "timestamptz", precision: 3, nullable: true })
  deliveredAt: Date | null;

  @Field(() => DateTimeScalar, { description: "When the shipment was created." })
  @Column({ type: "timestamptz", precision: 3, default: () => "now()" })
  createdAt: Date;

  @Field(() => DateTimeScalar, { description: "When it last changed (events included)." })
  @Column({ type: "timestamptz", precision: 3, default: () => "now()" })
  updatedAt: Date;
}

@Entity("shipment_lines")
export class ShipmentLine {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  shipmentId: string;

  @Column({ type: "uuid" })
  orderLineId: string;

  @Column({ type: "integer" })
  quantity: number;
}

@Entity("tracking_events")
export class TrackingEvent {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "bigint", insert: false, update: false })
  seq: string;

  @Column({ type: "uuid" })
  shipmentId: string;

  @Column({ type: "timestamptz", precision: 3 })
  occurredAt: Date;

  @Column({ type: "varchar", length: 20 })
  status: ShipmentStatus;

  @Column({ type: "varchar", length: 200, nullable: true })
  location: string | null;

  @Column({ type: "varchar", length: 500 })
  description: string;

  @Column({ type: "varchar", length: 40, nullable: true })
  carrierCode: string | null;

  @Column({ type: "varchar", length: 100, nullable: true })
  carrierEventId: string | null;

  @Column({ type: "timestamptz", precision: 3, nullable: true })
  estimatedDeliveryAt: Date | null;

  @Column({ type: "timestamptz", precision: 3, default: () => "now()" })
  recordedAt: Date;
}

@Entity("shipment_documents")
export class ShipmentDocument {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "bigint", insert: false, update: false })
  seq: string;

  @Column({ type: "uuid" })
  shipmentId: string;

  @Column({ type: "varchar", length: 40 })
  kind: DocumentKind;

  @Column({ type: "varchar", length: 60 })
  number: string;

  @Column({ type: "date" })
  issueDate: string;

  @Column({ type: "varchar", length: 2000 })
  url: string;

  @Column({ type: "char", length: 64 })
  sha256: string;

  // An Indian shipping bill's port code (INBOM4); null for every other document.
  @Column({ type: "varchar", length: 6, nullable: true })
  portCode: string | null;

  @Column({ type: "timestamptz", precision: 3, default: () => "now()" })
  createdAt: Date;
}
