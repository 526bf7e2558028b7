import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import { Node } from "../../graphql/node";
import { DateTimeScalar } from "../../graphql/scalars";

export enum WebhookDisabledReason {
  MANUAL = "MANUAL",
  GONE = "GONE",
  FAILING = "FAILING",
}
registerEnumType(WebhookDisabledReason, {
  name: "WebhookDisabledReason",
  description: "Why Facet no longer delivers to a webhook endpoint.",
  valuesConfig: {
    MANUAL: { description: "Its owner disabled it (`updateWebhookEndpoint` with `enabled: false`)." },
    GONE: { description: "It answered `410 Gone`: the receiver asked for no more webhooks." },
    FAILING: { description: "It had no successful delivery for 5 days since it began failing." },
  },
});

export enum WebhookDeliveryStatus {
  PENDING = "PENDING",
  SUCCEEDED = "SUCCEEDED",
  FAILED = "FAILED",
}
registerEnumType(WebhookDeliveryStatus, {
  name: "WebhookDeliveryStatus",
  description: "Where a webhook delivery stands.",
  valuesConfig: {
    PENDING: { description: "Not delivered yet: an attempt is due or under way (`nextAttemptAt`)." },
    SUCCEEDED: { description: "An attempt was answered with a 2xx status." },
    FAILED: { description: "Every attempt of the retry schedule failed, or the endpoint was disabled; `resendWebhookDelivery` tries again." },
  },
});

// A distributor's receiver of webhooks: a URL, the event types it wants, and the secret Facet signs
// with (shown once, never read back: the columns are not selected by default).
@ObjectType({ simpleResolvers: true, implements: Node, description: "A URL of yours that Facet posts events to, signed as Standard Webhooks 1.0 says (docs/webhooks.md)." })
@Entity("webhook_endpoints")
export class WebhookEndpoint extends Node {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  distributorId: string;

  @Field(() => String, { description: "Where Facet posts: https (plain http only to this machine outside production)." })
  @Column({ type: "varchar", length: 2000 })
  url: string;

  @Field(() => String, { description: "What the endpoint is for, as its owner wrote it; may be empty." })
  @Column({ type: "varchar", length: 500, default: "" })
  description: string;

  @Field(() => [String], { description: "The event types posted to it, e.g. `order.status_changed`." })
  @Column({ type: "varchar", length: 64, array: true })
  eventTypes: string[];

  @Field(() => Boolean, { description: "False once disabled (`disabledReason` says why): nothing is posted until it is enabled again." })
  @Column({ type: "boolean", default: true })
  enabled: boolean;

  @Field(() => WebhookDisabledReason, { nullable: true, description: "Why it is disabled; null while enabled." })
  @Column({ type: "varchar", length: 16, nullable: true })
  disabledReason: WebhookDisabledReason | null;

  @Field(() => DateTimeScalar, { nullable: true, description: "When it was disabled; null while enabled." })
  @Column({ type: "timestamptz", precision: 3, nullable: true })
  disabledAt: Date | null;

  @Column({ type: "varchar", length: 100, select: false })
  secret: string;

  @Column({ type: "varchar", length: 100, nullable: true, select: false })
  previousSecret: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: "Until when the secret replaced by the last rotation still signs beside the new one; null when none does." })
  @Column({ type: "timestamptz", precision: 3, nullable: true })
  previousSecretExpiresAt: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: "When its deliveries began failing, with no success since; null when its last attempt succeeded." })
  @Column({ type: "timestamptz", precision: 3, nullable: true })
  failingSince: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: "When an attempt last succeeded." })
  @Column({ type: "timestamptz", precision: 3, nullable: true })
  lastSuccessAt: Date | null;

  @Field(() => DateTimeScalar, { description: "When it was created." })
  @Column({ type: "timestamptz", precision: 3 })
  createdAt: Date;

  @Field(() => DateTimeScalar, { description: "When it last changed." })
  @Column({ type: "timestamptz", precision: 3 })
  updatedAt: Date;

  @Column({ type: "uuid", nullable: true })
  createdByUserId: string | null;

  @Column({ type: "uuid", nullable: true })
  createdByApiClientId: string | null;

  @Field(() => String, { description: "Who created it: a person's name or an ERP client's." })
  @Column({ type: "varchar", length: 200 })
  createdByName: string;

  @Field(() => DateTimeScalar, { nullable: true, description: "When its secret was last rotated; null if never." })
  @Column({ type: "timestamptz", precision: 3, nullable: true })
  secretRotatedAt: Date | null;

  @Field(() => String, { nullable: true, description: "Who last rotated its secret; null if never." })
  @Column({ type: "varchar", length: 200, nullable: true })
  secretRotatedByName: string | null;
}

// One event for one endpoint: retried on the schedule until an attempt succeeds.
@ObjectType({ simpleResolvers: true, implements: Node, description: "One event posted (or to be posted) to one endpoint, with its attempts." })
@Entity("webhook_deliveries")
export class WebhookDelivery extends Node {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  distributorId: string;

  @Column({ type: "uuid" })
  endpointId: string;

  @Field(() => ID, { description: "The event's id: the `webhook-id` header of every attempt, and the `id` of the event in `events`." })
  @Column({ type: "uuid" })
  eventId: string;

  @Field(() => String, { description: "The event's type, e.g. `order.placed`." })
  @Column({ type: "varchar", length: 64 })
  eventType: string;

  @Field(() => WebhookDeliveryStatus, { description: "Where it stands." })
  @Column({ type: "varchar", length: 16 })
  status: WebhookDeliveryStatus;

  @Field(() => Int, { description: "Attempts made, resends included." })
  @Column({ type: "integer" })
  attemptCount: number;

  @Column({ type: "integer" })
  roundAttempts: number;

  @Field(() => DateTimeScalar, { nullable: true, description: "When the next attempt is due; null unless PENDING." })
  @Column({ type: "timestamptz", precision: 3, nullable: true })
  nextAttemptAt: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: "When the last attempt was made; null before the first." })
  @Column({ type: "timestamptz", precision: 3, nullable: true })
  lastAttemptAt: Date | null;

  @Field(() => Int, { nullable: true, description: "The HTTP status of the last attempt; null before the first or when it got no answer." })
  @Column({ type: "integer", nullable: true })
  lastStatusCode: number | null;

  @Field(() => String, { nullable: true, description: "Why the last attempt failed; null when it succeeded or none was made." })
  @Column({ type: "varchar", length: 500, nullable: true })
  lastError: string | null;

  @Field(() => DateTimeScalar, { description: "When the event was written, and the delivery with it." })
  @Column({ type: "timestamptz", precision: 3 })
  createdAt: Date;
}

@ObjectType({ simpleResolvers: true, description: "One try at posting a delivery: when, what came back and how long it took." })
@Entity("webhook_attempts")
export class WebhookAttempt {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  distributorId: string;

  @Column({ type: "uuid" })
  deliveryId: string;

  @Field(() => Int, { description: "Its number among the delivery's attempts, from 1." })
  @Column({ type: "integer" })
  number: number;

  @Field(() => DateTimeScalar, { description: "When it was made." })
  @Column({ type: "timestamptz", precision: 3 })
  attemptedAt: Date;

  @Field(() => Int, { description: "Milliseconds from the start of the request to the answer (or the failure)." })
  @Column({ type: "integer" })
  durationMs: number;

  @Field(() => Int, { nullable: true, description: "The HTTP status answered; null when no answer came (refused, unreachable, timed out)." })
  @Column({ type: "integer", nullable: true })
  statusCode: number | null;

  @Field(() => String, { nullable: true, description: "Why it failed; null when it succeeded." })
  @Column({ type: "varchar", length: 500, nullable: true })
  error: string | null;

  @Field(() => String, { nullable: true, description: "The first kilobyte of the answer's body, for debugging; null when there was none." })
  @Column({ type: "varchar", length: 1024, nullable: true })
  responseExcerpt: string | null;
}
