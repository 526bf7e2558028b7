import { Field, ID, ObjectType } from "type-graphql";
import { Column, Entity, PrimaryColumn } from "typeorm";
import { DateTimeScalar, JSONObjectScalar } from "../../graphql/scalars";

// A row of the outbox (migrations/1795002100000-events.ts): written by the transaction that made
// the change it tells of. Webhooks deliver it, subscriptions announce it, `events` lists it.
@ObjectType({ simpleResolvers: true, description: "Something that happened to an object you can read: the record webhooks deliver and `events` lists, kept 30 days." })
@Entity("events")
export class Event {
  @Field(() => ID, { description: "The event's id: also the `webhook-id` of each of its deliveries, the same on every retry, for de-duplication." })
  @PrimaryColumn("uuid")
  id: string;

  @Field(() => String, { description: "What happened, as `<subject>.<change>`, e.g. `order.status_changed` (the list is in docs/events.md)." })
  @Column({ type: "varchar", length: 64 })
  type: string;

  /** The distributor it belongs to; null for an event of the shared catalog, which every distributor sees. */
  @Column({ type: "uuid", nullable: true })
  distributorId: string | null;

  /** The database id of the object it is about. */
  @Column({ type: "uuid", nullable: true })
  subjectId: string | null;

  @Field(() => DateTimeScalar, { description: "When the change was made (the start of the transaction that made it)." })
  @Column({ type: "timestamptz", precision: 3 })
  occurredAt: Date;

  @Field(() => JSONObjectScalar, { description: "The ids of what changed (global ids, for `node(id:)`) and the fields that changed: never a whole object." })
  @Column({ type: "jsonb" })
  data: Record<string, unknown>;
}
