import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";

// The timestamps marked `select: false` are kept for the record and read by no one: not
// selected, a catalog page does not parse them for every variant.

// Units of a variant on hand and reserved by orders; available = on hand − reserved.
@Entity("stock_levels")
export class StockLevel {
  @PrimaryColumn({ type: "uuid" })
  variantId: string;

  @Column({ type: "integer", default: 0 })
  onHand: number;

  @Column({ type: "integer", default: 0 })
  reserved: number;

  @Column({ type: "integer", default: 5 })
  lowStockThreshold: number;

  @UpdateDateColumn({ type: "timestamptz", precision: 3, select: false })
  updatedAt: Date;
}

// Every change of on-hand stock, with who made it and why.
@Entity("stock_movements")
export class StockMovement {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  variantId: string;

  @Column({ type: "integer" })
  delta: number;

  @Column({ type: "integer" })
  onHandAfter: number;

  @Column({ type: "varchar", length: 500 })
  reason: string;

  @Column({ type: "uuid", nullable: true })
  actorUserId: string | null;

  @CreateDateColumn({ type: "timestamptz", precision: 3 })
  createdAt: Date;
}

export enum BatchStatus {
  SCHEDULED = "SCHEDULED",
  COMPLETED = "COMPLETED",
  CANCELLED = "CANCELLED",
}

// A production run of one variant; `allocated` units of it are promised to orders.
@Entity("production_batches")
export class ProductionBatch {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  variantId: string;

  @Column({ type: "integer" })
  quantity: number;

  @Column({ type: "integer", default: 0 })
  allocated: number;

  @Column({ type: "date" })
  readyDate: string;

  @Column({ type: "varchar", length: 200 })
  description: string;

  @Column({ type: "varchar", length: 12, default: BatchStatus.SCHEDULED })
  status: BatchStatus;

  @CreateDateColumn({ type: "timestamptz", precision: 3, select: false })
  createdAt: Date;

  // Stamped by a trigger on any change the catalog shows (migrations/1795002300000-catalog-sync.ts).
  @UpdateDateColumn({ type: "timestamptz", precision: 3, select: false })
  updatedAt: Date;
}

// A distributor's contract price for a variant, in the distributor's contract currency.
@Entity("variant_prices")
export class VariantPrice {
  @PrimaryColumn({ type: "uuid" })
  distributorId: string;

  @PrimaryColumn({ type: "uuid" })
  variantId: string;

  @Column({ type: "numeric", precision: 18, scale: 4 })
  amount: string;

  @Column({ type: "char", length: 3 })
  currency: string;

  @CreateDateColumn({ type: "timestamptz", precision: 3, select: false })
  createdAt: Date;

  @UpdateDateColumn({ type: "timestamptz", precision: 3, select: false })
  updatedAt: Date;
}
