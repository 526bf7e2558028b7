import { Field, ObjectType } from "type-graphql";
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";
import { ApiScope } from "../../core/access";
import { Node } from "../../graphql/node";
import { DateTimeScalar } from "../../graphql/scalars";

@ObjectType({
  simpleResolvers: true,
  implements: Node,
  description: "A distributor's ERP integration. It obtains tokens at `POST /oauth/token` with its client id and secret.",
})
@Entity("api_clients")
export class ApiClient extends Node {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  distributorId: string;

  @Field(() => String, { description: "Public client identifier used as `client_id`." })
  @Column({ type: "varchar", length: 64 })
  clientId: string;

  @Field(() => String, { description: "What the integration is, e.g. `SAP S/4HANA production`." })
  @Column({ type: "varchar", length: 200 })
  name: string;

  @Column({ type: "varchar", length: 255 })
  secretHash: string;

  // Bumped when the secret is rotated; tokens carry it, so rotation also retires issued tokens.
  @Column({ type: "integer", default: 1 })
  secretVersion: number;

  @Field(() => [ApiScope], { description: "What tokens of this client may be granted." })
  @Column({ type: "text", array: true })
  scopes: ApiScope[];

  @Field(() => DateTimeScalar, { nullable: true, description: "When the client was revoked; revoked clients get no tokens and their tokens stop working." })
  @Column({ type: "timestamptz", precision: 3, nullable: true })
  revokedAt: Date | null;

  @Field(() => DateTimeScalar, { description: "When the current secret was issued." })
  @Column({ type: "timestamptz", precision: 3, default: () => "now()" })
  secretIssuedAt: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: "When the client last obtained a token." })
  @Column({ type: "timestamptz", precision: 3, nullable: true })
  lastUsedAt: Date | null;

  @Field(() => DateTimeScalar, { description: "When the client was created." })
  @CreateDateColumn({ type: "timestamptz", precision: 3 })
  createdAt: Date;

  @Field(() => DateTimeScalar, { description: "When any of these fields last changed." })
  @UpdateDateColumn({ type: "timestamptz", precision: 3 })
  updatedAt: Date;

  @Field(() => Boolean, { description: "False once revoked." })
  get active(): boolean {
    return this.revokedAt === null;
  }
}
