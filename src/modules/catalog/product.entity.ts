import { Field, Int, ObjectType } from "type-graphql";
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";
import { Node } from "../../graphql/node";
import { CountryCode, DateTimeScalar } from "../../graphql/scalars";
import { Category, Metal, Plating, RjcCertificationType, StoneOrigin, StoneShape, StoneType, Treatment } from "./catalog.enums";

/** A stone setting as stored in products.stones (jsonb). */
export interface StoneRow {
  type: StoneType;
  shape: StoneShape;
  count: number;
  /** Total carat weight of the stones of this line, as an exact decimal string. */
  totalCarat: string;
  origin: StoneOrigin;
  treatments: Treatment[];
}

/**
 * A plating as it is made. The karat and thickness are what name it (FTC Jewelry Guides; see
 * platingDesignation in jewelry.ts): both are required of new records, and null only in records
 * written before they were kept.
 */
export interface PlatingRow {
  type: Plating;
  /** Karat of a gold plating (10 to 24); null for other platings. */
  karat: number | null;
  /** Thickness in microns as an exact decimal string; null without plating. */
  thicknessMicrons: string | null;
}

/**
 * What one piece is made of, as it is sold: the metal, its plating and its stones. An order line
 * keeps its own copy from when it was placed (order_lines.composition), so that what the line
 * declares on the invoice and in customs does not follow later changes to the catalog, and so that
 * a customised piece or a design brief's piece declares what was actually ordered.
 */
export interface CompositionRow {
  metal: Metal;
  fineness: number | null;
  plating: PlatingRow;
  /** Metal weight of one piece in grams (3 decimals); null only on lines placed before it was recorded. */
  metalWeightGrams: string | null;
  /** The stones of one piece. */
  stones: StoneRow[];
}

/**
 * What a buyer may ask to change when ordering the style (products.customization_options). An
 * offered plating or stone is stated in full, as it would be made, so that an order line asking
 * for it knows what the piece is made of. (Earlier rows listed only the types offered, under
 * `platings` and `stones`; those keys are no longer read: such an offer is not stated well enough
 * to be sold until the style is saved again with it.)
 */
export interface CustomizationOptionsRow {
  customSizes?: boolean;
  /** Platings offered instead of the standard one, one per type (type NONE: without plating). */
  platingOffers?: PlatingRow[];
  /** Stone lines offered instead of the style's principal stones, one per stone type. */
  stoneOffers?: StoneRow[];
  branding?: boolean;
  engravingMaxLength?: number;
}

export interface ImageRow {
  url: string;
  altText: string;
}

// Availability of a product is the best of its variants'; a database trigger keeps this rank
// current whenever stock or variants change, so the list can filter and sort by it.
export const AVAILABILITY_RANK = ["IN_STOCK", "LOW_STOCK", "MADE_TO_ORDER", "DISCONTINUED"] as const;

@ObjectType({ simpleResolvers: true, implements: Node, description: "A jewelry style: one design, made in one or more variants (sizes or lengths)." })
@Entity("products")
export class Product extends Node {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Field(() => String, { description: "The exporter's style code, e.g. `RG-1042`." })
  @Column({ type: "varchar", length: 40 })
  styleCode: string;

  @Field(() => String, { description: "Marketing name, without metal or stone qualifiers." })
  @Column({ type: "varchar", length: 200 })
  name: string;

  @Field(() => String, { description: "Longer description for buyers." })
  @Column({ type: "text", default: "" })
  description: string;

  @Field(() => Category, { description: "Kind of piece." })
  @Column({ type: "varchar", length: 20 })
  category: Category;

  @Field(() => String, { nullable: true, description: "Collection the style belongs to." })
  @Column({ type: "varchar", length: 100, nullable: true })
  collection: string | null;

  @Field(() => Metal, { description: "Principal metal." })
  @Column({ type: "varchar", length: 20 })
  metal: Metal;

  @Field(() => Int, { nullable: true, description: "Fineness of the metal in parts per thousand (e.g. 750); null for base metals." })
  @Column({ type: "integer", nullable: true })
  fineness: number | null;

  @Column({ type: "varchar", length: 20, default: Plating.NONE })
  plating: Plating;

  @Column({ type: "numeric", precision: 6, scale: 3, nullable: true })
  platingThicknessMicrons: string | null;

  /** Karat of a gold plating; null for other platings (and for gold platings saved before it was kept). */
  @Column({ type: "smallint", nullable: true })
  platingKarat: number | null;

  @Column({ type: "jsonb", default: () => "'[]'::jsonb" })
  stones: StoneRow[];

  @Column({ type: "varchar", length: 10 })
  hsCode: string;

  @Field(() => CountryCode, { description: "Country of origin (manufacture) for customs." })
  @Column({ type: "char", length: 2 })
  countryOfOrigin: CountryCode;

  @Field(() => Int, { description: "Business days a new production run takes, on the exporter's working calendar." })
  @Column({ type: "integer" })
  standardLeadTimeDays: number;

  @Field(() => Int, { description: "Smallest quantity of one variant that may be ordered or quoted." })
  @Column({ type: "integer", default: 1 })
  minimumOrderQuantity: number;

  @Column({ type: "numeric", precision: 5, scale: 2, nullable: true })
  recycledMetalPercent: string | null;

  @Column({ type: "varchar", length: 3, nullable: true })
  rjcCertificationType: RjcCertificationType | null;

  @Column({ type: "varchar", length: 60, nullable: true })
  rjcCertificateNumber: string | null;

  @Column({ type: "jsonb", default: () => "'[]'::jsonb" })
  images: ImageRow[];

  @Column({ type: "jsonb", default: () => "'{}'::jsonb" })
  customizationOptions: CustomizationOptionsRow;

  @Field(() => Boolean, { description: "True when the style is no longer made." })
  @Column({ type: "boolean", default: false })
  discontinued: boolean;

  @Column({ type: "smallint", insert: false, update: false })
  availabilityRank: number;

  @Field(() => DateTimeScalar, { description: "When the style was added." })
  @CreateDateColumn({ type: "timestamptz", precision: 3 })
  createdAt: Date;

  @Field(() => DateTimeScalar, {
    description: "When the style or one of its variants last changed. To sync, use `changedAt`, which prices, stock and production move too.",
  })
  @UpdateDateColumn({ type: "timestamptz", precision: 3 })
  updatedAt: Date;
}
