import { Field, ObjectType } from "type-graphql";
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from "typeorm";
import { LocalDateScalar } from "../../graphql/scalars";

// A day the exporter's workshop is closed besides its weekly days off: a public holiday of its
// country or a closure of its own (Diwali week). Kept by the export managers; no business day
// falls on it. Not a distributor's: every caller sees the same calendar.
@ObjectType({ simpleResolvers: true, description: "A day the exporter's workshop is closed besides its weekly days off: no lead time counts it." })
@Entity("holidays")
export class Holiday {
  // The audit log names a row by its id.
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Field(() => LocalDateScalar, { description: "The day, in the exporter's calendar." })
  @Column({ type: "date", unique: true })
  date: string;

  @Field(() => String, { description: 'What it is, e.g. "Christmas Day" or "Diwali: workshop closed".' })
  @Column({ type: "varchar", length: 100 })
  name: string;

  @CreateDateColumn({ type: "timestamptz", precision: 3, select: false })
  createdAt: Date;
}
