import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";

// A quantity break of a style in one distributor's price list: from `minQuantity` units of the
// style on, each of its variants costs `unitPrice` (in the list's currency), unless its own list
// price is lower. Shown as StyleQuantityBreak (catalog.types.ts).
@Entity("quantity_breaks")
export class PriceBreak {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  distributorId: string;

  @Column({ type: "uuid" })
  productId: string;

  @Column({ type: "integer" })
  minQuantity: number;

  @Column({ type: "numeric", precision: 18, scale: 4 })
  unitPrice: string;

  @Column({ type: "char", length: 3 })
  currency: string;

  @CreateDateColumn({ type: "timestamptz", precision: 3, select: false })
  createdAt: Date;

  // Stamped by a trigger when the price changes (migrations/1795002800000-quantity-breaks.ts).
  @UpdateDateColumn({ type: "timestamptz", precision: 3, select: false })
  updatedAt: Date;
}
