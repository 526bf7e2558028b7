import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import { Node } from "../../graphql/node";
import { DateTimeScalar } from "../../graphql/scalars";

export enum ArrivalCondition {
  PRISTINE = "PRISTINE",
  MINOR_ISSUES = "MINOR_ISSUES",
  DAMAGED = "DAMAGED",
}
registerEnumType(ArrivalCondition, {
  name: "ArrivalCondition",
  description: "How a shipment arrived.",
  valuesConfig: {
    PRISTINE: { description: "Perfect." },
    MINOR_ISSUES: { description: "Small problems that do not stop the goods being sold." },
    DAMAGED: { description: "Packaging or goods damaged." },
  },
});

export enum FeedbackIssue {
  LATE = "LATE",
  DAMAGED_PACKAGING = "DAMAGED_PACKAGING",
  DAMAGED_ITEM = "DAMAGED_ITEM",
  MISSING_ITEM = "MISSING_ITEM",
  WRONG_SPECIFICATION = "WRONG_SPECIFICATION",
  DOCUMENTATION_ERROR = "DOCUMENTATION_ERROR",
  OTHER = "OTHER",
}
registerEnumType(FeedbackIssue, {
  name: "FeedbackIssue",
  description: "A problem with a delivered shipment.",
  valuesConfig: {
    LATE: { description: "Arrived after the promised date." },
    DAMAGED_PACKAGING: { description: "Packaging damaged." },
    DAMAGED_ITEM: { description: "A piece was damaged." },
    MISSING_ITEM: { description: "A piece was missing." },
    WRONG_SPECIFICATION: { description: "A piece differs from what was ordered (size, plating, stone, branding)." },
    DOCUMENTATION_ERROR: { description: "An invoice, packing list, certificate or declaration was wrong or missing." },
    OTHER: { description: "Something else; say what in the comment." },
  },
});

@ObjectType({ simpleResolvers: true, implements: Node, description: "A buyer's report of how a delivered shipment arrived, and the exporter's response." })
@Entity("shipment_feedback")
export class ShipmentFeedback extends Node {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  shipmentId: string;

  @Column({ type: "uuid" })
  distributorId: string;

  @Column({ type: "uuid", nullable: true })
  authorUserId: string | null;

  @Column({ type: "uuid", nullable: true })
  authorApiClientId: string | null;

  @Field(() => String, { description: "Who reported it." })
  @Column({ type: "varchar", length: 200 })
  authorName: string;

  @Field(() => Int, { description: "Rating from 1 (poor) to 5 (excellent)." })
  @Column({ type: "smallint" })
  rating: number;

  @Field(() => ArrivalCondition, { description: "How it arrived." })
  @Column({ type: "varchar", length: 16 })
  condition: ArrivalCondition;

  @Field(() => [FeedbackIssue], { description: "Problems found." })
  @Column({ type: "text", array: true, default: () => "'{}'" })
  issues: FeedbackIssue[];

  @Field(() => [Int], { description: "Numbers of the order lines affected." })
  @Column({ type: "integer", array: true, default: () => "'{}'" })
  affectedLineNumbers: number[];

  @Field(() => String, { nullable: true, description: "The buyer's comment." })
  @Column({ type: "varchar", length: 2000, nullable: true })
  comment: string | null;

  @Field(() => String, { nullable: true, description: "The exporter's response." })
  @Column({ type: "varchar", length: 2000, nullable: true })
  response: string | null;

  @Column({ type: "uuid", nullable: true })
  respondedByUserId: string | null;

  @Field(() => String, { nullable: true, description: "Who responded." })
  @Column({ type: "varchar", length: 200, nullable: true })
  respondedByName: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: "When the exporter responded." })
  @Column({ type: "timestamptz", precision: 3, nullable: true })
  respondedAt: Date | null;

  @Field(() => DateTimeScalar, { description: "When it was submitted." })
  @Column({ type: "timestamptz", precision: 3, default: () => "now()" })
  createdAt: Date;

  @Field(() => DateTimeScalar, { description: "When it last changed." })
  @Column({ type: "timestamptz", precision: 3, default: () => "now()" })
  updatedAt: Date;
}
