import { Field, ObjectType } from "type-graphql";
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";
import { Node } from "../../graphql/node";
import { CountryCode, CurrencyCode, DateTimeScalar, Incoterm } from "../../graphql/scalars";

@ObjectType({ simpleResolvers: true, implements: Node, description: "A buyer company abroad that orders from the exporter." })
@Entity("distributors")
export class Distributor extends Node {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Field(() => String, { description: "Short stable handle, e.g. `atelier-paris`." })
  @Column({ type: "varchar", length: 60 })
  code: string;

  @Field(() => String, { description: "Registered company name." })
  @Column({ type: "varchar", length: 200 })
  name: string;

  @Field(() => CountryCode, { description: "Country of the company's seat." })
  @Column({ type: "char", length: 2 })
  country: CountryCode;

  @Field(() => CurrencyCode, { description: "Contract currency: prices and invoices are in it." })
  @Column({ type: "char", length: 3 })
  currency: CurrencyCode;

  @Field(() => Incoterm, { description: "Incoterms® 2020 rule used when an order names none." })
  @Column({ type: "varchar", length: 3 })
  defaultIncoterm: Incoterm;

  @Field(() => DateTimeScalar, { description: "When the distributor was onboarded." })
  @CreateDateColumn({ type: "timestamptz", precision: 3 })
  createdAt: Date;

  @Field(() => DateTimeScalar, { description: "When any of these fields last changed." })
  @UpdateDateColumn({ type: "timestamptz", precision: 3 })
  updatedAt: Date;
}
