import { Readers } from "../../core/access";
import { registerNode } from "../../graphql/node";
import { WebhookAttempt, WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint } from "./webhook.entity";
import { WebhookDeliveryFieldResolver, WebhooksResolver } from "./webhooks.resolver";
import { findDeliveryById, findEndpointById } from "./webhooks.service";
import { webhookJobs } from "./delivery";

registerNode(WebhookEndpoint, "WebhookEndpoint", Readers.WEBHOOKS, findEndpointById);
registerNode(WebhookDelivery, "WebhookDelivery", Readers.WEBHOOKS, findDeliveryById);

export const webhooksEntities = [WebhookEndpoint, WebhookDelivery, WebhookAttempt];
export const webhooksResolvers = [WebhooksResolver, WebhookDeliveryFieldResolver] as const;
/** The jobs that send webhooks, with the settings of the process's environment. */
export const webhooksJobs = webhookJobs();

export { webhookJobs, type WebhookJobOptions } from "./delivery";
export { WebhookAttempt, WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint };
