import { Field, ObjectType } from "type-graphql";
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";
import { UserRole } from "../../core/access";
import { Node } from "../../graphql/node";
import { DateTimeScalar } from "../../graphql/scalars";

@ObjectType({ simpleResolvers: true, implements: Node, description: "A person who signs in: a distributor's buyer or admin, or exporter staff." })
@Entity("users")
export class User extends Node {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  /** Null for staff, who belong to the exporter rather than to a distributor. */
  @Column({ type: "uuid", nullable: true })
  distributorId: string | null;

  @Field(() => String, { description: "Sign-in email, stored in lower case." })
  @Column({ type: "varchar", length: 254 })
  email: string;

  @Field(() => String, { description: "Full name." })
  @Column({ type: "varchar", length: 200 })
  name: string;

  @Field(() => UserRole, { description: "What the user may do." })
  @Column({ type: "varchar", length: 32 })
  role: UserRole;

  @Column({ type: "varchar", length: 255 })
  passwordHash: string;

  @Field(() => Boolean, { description: "False once deactivated: the user can no longer sign in or use issued tokens." })
  @Column({ type: "boolean", default: true })
  active: boolean;

  @Field(() => DateTimeScalar, { nullable: true, description: "When the user was deactivated, if they are." })
  @Column({ type: "timestamptz", precision: 3, nullable: true })
  deactivatedAt: Date | null;

  /** Carried in the user's tokens; deactivation moves it on, so earlier tokens never work again. */
  @Column({ type: "integer", default: 1 })
  tokenVersion: number;

  @Field(() => DateTimeScalar, { nullable: true, description: "Last successful sign-in." })
  @Column({ type: "timestamptz", precision: 3, nullable: true })
  lastLoginAt: Date | null;

  @Field(() => DateTimeScalar, { description: "When the user was created." })
  @CreateDateColumn({ type: "timestamptz", precision: 3 })
  createdAt: Date;

  @Field(() => DateTimeScalar, { description: "When any of these fields last changed." })
  @UpdateDateColumn({ type: "timestamptz", precision: 3 })
  updatedAt: Date;
}
