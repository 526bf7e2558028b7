import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { ApiScope, Readers, UserRole } from "../../core/access";
import type { RequestContext } from "../../core/context";
import { Allow } from "../../graphql/access";
import { ConnectionArgs, type ConnectionResult } from "../../graphql/connection";
import { WebhookAttempt, WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint } from "./webhook.entity";
import {
  CreateWebhookEndpointInput,
  CreateWebhookEndpointPayload,
  DeleteWebhookEndpointPayload,
  ResendWebhookDeliveryInput,
  ResendWebhookDeliveryPayload,
  RotateWebhookSecretPayload,
  UpdateWebhookEndpointInput,
  UpdateWebhookEndpointPayload,
  WebhookDeliveryConnection,
  WebhookEndpointConnection,
  WebhookEndpointIdInput,
} from "./webhooks.inputs";
import * as webhooks from "./webhooks.service";

// Who manages a distributor's webhooks: its admins and its ERP clients holding webhooks:write.
// Staff read everyone's (Readers.WEBHOOKS) and change nothing.
const WRITERS = [UserRole.DISTRIBUTOR_ADMIN, ApiScope.WEBHOOKS_WRITE] as const;

@Resolver()
export class WebhooksResolver {
  @Allow(...Readers.WEBHOOKS)
  @Query(() => WebhookEndpointConnection, { nullable: true, description: "Your distributor's webhook endpoints (staff: everyone's), newest first." })
  webhookEndpoints(@Ctx() ctx: RequestContext, @Args(() => ConnectionArgs) args: ConnectionArgs): Promise<ConnectionResult<WebhookEndpoint>> {
    return webhooks.listEndpoints(ctx, args);
  }

  @Allow(...Readers.WEBHOOKS)
  @Query(() => WebhookDeliveryConnection, { nullable: true, description: "Webhook deliveries of the last 30 days, newest first, with their attempts." })
  webhookDeliveries(
    @Ctx() ctx: RequestContext,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg("endpointId", () => ID, { nullable: true, description: "Only this endpoint's; all your endpoints' when absent." }) endpointId?: string | null,
    @Arg("status", () => WebhookDeliveryStatus, { nullable: true, description: "Only deliveries in this status." }) status?: WebhookDeliveryStatus | null,
  ): Promise<ConnectionResult<WebhookDelivery>> {
    return webhooks.listDeliveries(ctx, args, endpointId, status);
  }

  @Allow(...WRITERS)
  @Mutation(() => CreateWebhookEndpointPayload, {
    description: `Registers a URL to post events to, and answers its signing secret once. At most ${webhooks.MAX_ENDPOINTS_PER_DISTRIBUTOR} per distributor. Distributor admins and ERP clients with webhooks:write.`,
  })
  createWebhookEndpoint(@Ctx() ctx: RequestContext, @Arg("input", () => CreateWebhookEndpointInput) input: CreateWebhookEndpointInput): Promise<CreateWebhookEndpointPayload> {
    return webhooks.createEndpoint(ctx, input);
  }

  @Allow(...WRITERS)
  @Mutation(() => UpdateWebhookEndpointPayload, { description: "Changes an endpoint's URL, event types or description, or disables or enables it." })
  updateWebhookEndpoint(@Ctx() ctx: RequestContext, @Arg("input", () => UpdateWebhookEndpointInput) input: UpdateWebhookEndpointInput): Promise<UpdateWebhookEndpointPayload> {
    return webhooks.updateEndpoint(ctx, input);
  }

  @Allow(...WRITERS)
  @Mutation(() => DeleteWebhookEndpointPayload, { description: "Deletes an endpoint and its deliveries: nothing more is posted to it." })
  deleteWebhookEndpoint(@Ctx() ctx: RequestContext, @Arg("input", () => WebhookEndpointIdInput) input: WebhookEndpointIdInput): Promise<DeleteWebhookEndpointPayload> {
    return webhooks.deleteEndpoint(ctx, input);
  }

  @Allow(...WRITERS)
  @Mutation(() => RotateWebhookSecretPayload, {
    description: `Gives an endpoint a new signing secret, answered once; the old one keeps signing beside it for ${webhooks.SECRET_OVERLAP_HOURS} hours.`,
  })
  rotateWebhookSecret(@Ctx() ctx: RequestContext, @Arg("input", () => WebhookEndpointIdInput) input: WebhookEndpointIdInput): Promise<RotateWebhookSecretPayload> {
    return webhooks.rotateSecret(ctx, input);
  }

  @Allow(...WRITERS)
  @Mutation(() => ResendWebhookDeliveryPayload, { description: "Posts a delivery that succeeded or failed again, from the start of the retry schedule, with the same `webhook-id`." })
  resendWebhookDelivery(@Ctx() ctx: RequestContext, @Arg("input", () => ResendWebhookDeliveryInput) input: ResendWebhookDeliveryInput): Promise<ResendWebhookDeliveryPayload> {
    return webhooks.resendDelivery(ctx, input);
  }
}

@Resolver(() => WebhookDelivery)
export class WebhookDeliveryFieldResolver {
  @FieldResolver(() => WebhookEndpoint, { nullable: true, description: "The endpoint it is posted to." })
  endpoint(@Ctx() ctx: RequestContext, @Root() delivery: WebhookDelivery): Promise<WebhookEndpoint | null> {
    return webhooks.endpointOf(ctx, delivery);
  }

  @FieldResolver(() => [WebhookAttempt], { description: `Its attempts, oldest first: the latest ${webhooks.ATTEMPTS_LISTED} when there were more.` })
  attempts(@Ctx() ctx: RequestContext, @Root() delivery: WebhookDelivery): Promise<WebhookAttempt[]> {
    return webhooks.attemptsOf(ctx, delivery);
  }
}
