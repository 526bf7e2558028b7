import { Field, ObjectType } from "type-graphql";
import { GraphQLJSONObject } from "graphql-scalars";
import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import { DateTimeScalar } from "../../graphql/scalars";

@ObjectType({ simpleResolvers: true, description: "One row written by a staff member, as it was before and after." })
@Entity("audit_log")
export class AuditEntry {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "bigint", insert: false, update: false })
  seq: string;

  @Column({ type: "uuid" })
  actorUserId: string;

  @Field(() => String, { description: "The staff member." })
  @Column({ type: "varchar", length: 200 })
  actorName: string;

  @Field(() => String, { nullable: true, description: "The request (X-Request-Id) that wrote it." })
  @Column({ type: "varchar", length: 100, nullable: true })
  requestId: string | null;

  @Field(() => String, { description: "Table written." })
  @Column({ type: "varchar", length: 60 })
  tableName: string;

  @Field(() => String, { description: "The row's key (its id)." })
  @Column({ type: "text" })
  rowKey: string;

  @Field(() => String, { description: "INSERT, UPDATE or DELETE." })
  @Column({ type: "varchar", length: 6 })
  action: string;

  @Field(() => GraphQLJSONObject, { nullable: true, description: "The row before (null for an insert); secrets left out." })
  @Column({ type: "jsonb", nullable: true })
  before: Record<string, unknown> | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: "The row after (null for a delete); secrets left out." })
  @Column({ type: "jsonb", nullable: true })
  after: Record<string, unknown> | null;

  @Field(() => DateTimeScalar, { description: "When." })
  @Column({ type: "timestamptz", precision: 3 })
  at: Date;
}
