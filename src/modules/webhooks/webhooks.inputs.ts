import { Field, ID, InputType, ObjectType } from "type-graphql";
import { Connection } from "../../graphql/connection";
import { Payload } from "../../graphql/user-error";
import { WebhookDelivery, WebhookEndpoint } from "./webhook.entity";

export const WebhookEndpointConnection = Connection(WebhookEndpoint);
export const WebhookDeliveryConnection = Connection(WebhookDelivery);

@InputType({ description: "A new webhook endpoint." })
export class CreateWebhookEndpointInput {
  @Field(() => String, {
    description:
      "Where to post: an https URL on the public internet, without credentials, on port 443 or 1024–65535 (plain http only to this machine, outside production). Redirects are never followed.",
  })
  url: string;

  @Field(() => [String], { description: "The event types to post, e.g. `order.status_changed`: known types you may read (see `events`), at least one." })
  eventTypes: string[];

  @Field(() => String, { nullable: true, description: "What it is for, up to 500 characters." })
  description?: string | null;
}

@ObjectType({ simpleResolvers: true, description: "The result of `createWebhookEndpoint`." })
export class CreateWebhookEndpointPayload extends Payload {
  @Field(() => WebhookEndpoint, { nullable: true, description: "The endpoint created." })
  webhookEndpoint?: WebhookEndpoint | null;

  @Field(() => String, { nullable: true, description: "Its signing secret (`whsec_…`), shown this once: keep it to verify signatures." })
  secret?: string | null;
}

@InputType({ description: "Changes to a webhook endpoint; absent fields stay as they are." })
export class UpdateWebhookEndpointInput {
  @Field(() => ID, { description: "The endpoint." })
  id: string;

  @Field(() => String, { nullable: true, description: "A new URL, under the same rules as at creation." })
  url?: string | null;

  @Field(() => [String], { nullable: true, description: "The new event types, replacing the old." })
  eventTypes?: string[] | null;

  @Field(() => String, { nullable: true, description: "A new description." })
  description?: string | null;

  @Field(() => Boolean, { nullable: true, description: "False disables it; true enables it again (a disabled endpoint's failure streak starts afresh)." })
  enabled?: boolean | null;
}

@ObjectType({ simpleResolvers: true, description: "The result of `updateWebhookEndpoint`." })
export class UpdateWebhookEndpointPayload extends Payload {
  @Field(() => WebhookEndpoint, { nullable: true, description: "The endpoint as it now is." })
  webhookEndpoint?: WebhookEndpoint | null;
}

@InputType({ description: "A webhook endpoint to act on." })
export class WebhookEndpointIdInput {
  @Field(() => ID, { description: "The endpoint." })
  id: string;
}

@ObjectType({ simpleResolvers: true, description: "The result of `deleteWebhookEndpoint`." })
export class DeleteWebhookEndpointPayload extends Payload {
  @Field(() => ID, { nullable: true, description: "The id of the endpoint deleted, with its deliveries." })
  deletedWebhookEndpointId?: string | null;
}

@ObjectType({ simpleResolvers: true, description: "The result of `rotateWebhookSecret`." })
export class RotateWebhookSecretPayload extends Payload {
  @Field(() => WebhookEndpoint, { nullable: true, description: "The endpoint, with `previousSecretExpiresAt` set." })
  webhookEndpoint?: WebhookEndpoint | null;

  @Field(() => String, {
    nullable: true,
    description: "The new secret (`whsec_…`), shown this once. For 24 hours every webhook is signed with the old secret too, so switch to the new one within that time.",
  })
  secret?: string | null;
}

@InputType({ description: "A delivery to post again." })
export class ResendWebhookDeliveryInput {
  @Field(() => ID, { description: "The delivery (not PENDING), of an enabled endpoint." })
  id: string;
}

@ObjectType({ simpleResolvers: true, description: "The result of `resendWebhookDelivery`." })
export class ResendWebhookDeliveryPayload extends Payload {
  @Field(() => WebhookDelivery, { nullable: true, description: "The delivery, PENDING again with a new retry schedule." })
  webhookDelivery?: WebhookDelivery | null;
}
