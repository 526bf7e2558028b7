import { Field, Int, ObjectType } from "type-graphql";
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";
import { Node } from "../../graphql/node";
import { DateTimeScalar, DecimalScalar } from "../../graphql/scalars";
import { ringSizeFromCircumference } from "./jewelry";

@ObjectType({ simpleResolvers: true, description: "A ring size, stored as inner circumference." })
export class RingSize {
  @Field(() => DecimalScalar, { description: "Inner circumference in millimetres (ISO 8653)." })
  innerCircumferenceMm: string;

  @Field(() => String, { description: "ISO 8653 / EU size: the circumference in whole millimetres." })
  iso: string;

  @Field(() => String, { description: "Nearest US/Canada size, in quarter sizes (approximate)." })
  us: string;
}

@ObjectType({ simpleResolvers: true, implements: Node, description: "A product in one size or length: the unit that is stocked, priced and ordered." })
@Entity("variants")
export class Variant extends Node {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  productId: string;

  @Field(() => String, { description: "Stock keeping unit, unique across the catalog." })
  @Column({ type: "varchar", length: 40 })
  sku: string;

  @Field(() => String, { nullable: true, description: "GS1 GTIN (8, 12, 13 or 14 digits, check digit verified)." })
  @Column({ type: "varchar", length: 14, nullable: true })
  gtin: string | null;

  @Column({ type: "numeric", precision: 4, scale: 1, nullable: true })
  ringSizeMm: string | null;

  // A getter, read by the executor itself: no resolver call for each variant of a page.
  @Field(() => RingSize, { nullable: true, description: "Ring size; null when not a ring." })
  get ringSize(): RingSize | null {
    return this.ringSizeMm === null ? null : { innerCircumferenceMm: this.ringSizeMm, ...ringSizeFromCircumference(Number(this.ringSizeMm)) };
  }

  @Field(() => Int, { nullable: true, description: "Chain or necklace length in millimetres; null when not a chain." })
  @Column({ type: "integer", nullable: true })
  chainLengthMm: number | null;

  @Field(() => DecimalScalar, { description: "Weight of precious metal in grams." })
  @Column({ type: "numeric", precision: 8, scale: 3 })
  metalWeightGrams: string;

  @Field(() => Boolean, { description: "True when this size is no longer made." })
  @Column({ type: "boolean", default: false })
  discontinued: boolean;

  @Field(() => DateTimeScalar, { description: "When the variant was added." })
  @CreateDateColumn({ type: "timestamptz", precision: 3 })
  createdAt: Date;

  @Field(() => DateTimeScalar, { description: "When the variant last changed." })
  @UpdateDateColumn({ type: "timestamptz", precision: 3 })
  updatedAt: Date;
}
