import type { RequestContext } from "../../core/context";
import { tenantOf } from "../../core/tenancy";
import { groupLoader, keyedRows, loader, rowLoader, type LoaderFactory } from "../../db/loaders";
import { oneOf, rowsOfSql } from "../../db/rows";
import { sql } from "../../db/statements";
import { tenantQuery } from "../../db/tenancy";
import { paginate, type ConnectionArgs, type ConnectionResult, type Ordering } from "../../graphql/connection";
import { BadUserInputError } from "../../graphql/errors";
import { mutate } from "../../graphql/mutation";
import { idOfType } from "../../graphql/node";
import { Rejected, UserErrorCode, UserErrors, userError, type UserError } from "../../graphql/user-error";
import * as validate from "../../graphql/validate";
import { actorOf } from "../accounts";
import { isEventType, readableEventTypes, WEBHOOK_JOB_MAX_RUNS, WEBHOOK_JOBS } from "../events";
import { checkUrl, refusedHost, type DestinationRules } from "./address-guard";
import { newSecret } from "./signing";
import { WebhookAttempt, WebhookDelivery, WebhookDeliveryStatus, WebhookDisabledReason, WebhookEndpoint } from "./webhook.entity";
import type {
  CreateWebhookEndpointInput,
  CreateWebhookEndpointPayload,
  DeleteWebhookEndpointPayload,
  ResendWebhookDeliveryInput,
  ResendWebhookDeliveryPayload,
  RotateWebhookSecretPayload,
  UpdateWebhookEndpointInput,
  UpdateWebhookEndpointPayload,
  WebhookEndpointIdInput,
} from "./webhooks.inputs";

// A distributor's webhook endpoints and their deliveries (docs/webhooks.md). Its admins and its
// ERP clients with webhooks:write manage them; staff read everyone's (support) and write nothing.

/** Endpoints one distributor may have: each event is posted to each, so each costs a delivery per event. */
export const MAX_ENDPOINTS_PER_DISTRIBUTOR = 10;
/** How long the secret a rotation replaces still signs beside the new one. */
export const SECRET_OVERLAP_HOURS = 24;
/** Attempts a delivery lists, the latest. */
export const ATTEMPTS_LISTED = 20;

const NEWEST_ENDPOINTS: Ordering<WebhookEndpoint> = { name: "newest", keys: [{ sql: "w.createdAt", direction: "DESC", value: (w) => w.createdAt }], id: "w.id" };
const NEWEST_DELIVERIES: Ordering<WebhookDelivery> = { name: "newest", keys: [{ sql: "d.createdAt", direction: "DESC", value: (d) => d.createdAt }], id: "d.id" };

const rulesOf = (ctx: RequestContext): DestinationRules => ({ production: ctx.config.env === "production" });

// ---- reads -------------------------------------------------------------------------------------

export function listEndpoints(ctx: RequestContext, args: ConnectionArgs): Promise<ConnectionResult<WebhookEndpoint>> {
  return paginate(ctx.db, WebhookEndpoint, tenantQuery(ctx, WebhookEndpoint, "w"), args, NEWEST_ENDPOINTS);
}

export function findEndpointById(ctx: RequestContext, id: string): Promise<WebhookEndpoint | null> {
  return oneOf(ctx.db, WebhookEndpoint, tenantQuery(ctx, WebhookEndpoint, "w").andWhere("w.id = :id", { id }));
}

export function findDeliveryById(ctx: RequestContext, id: string): Promise<WebhookDelivery | null> {
  return oneOf(ctx.db, WebhookDelivery, tenantQuery(ctx, WebhookDelivery, "d").andWhere("d.id = :id", { id }));
}

/** Deliveries, newest first: of one endpoint when given (another distributor's lists nothing), of one status when given. */
export function listDeliveries(
  ctx: RequestContext,
  args: ConnectionArgs,
  endpointId: string | null | undefined,
  status: WebhookDeliveryStatus | null | undefined,
): Promise<ConnectionResult<WebhookDelivery>> {
  const qb = tenantQuery(ctx, WebhookDelivery, "d");
  if (endpointId != null) {
    const id = idOfType(endpointId, "WebhookEndpoint");
    if (!id) throw new BadUserInputError("endpointId", "Not the id of a webhook endpoint");
    qb.andWhere("d.endpointId = :endpointId", { endpointId: id });
  }
  if (status) qb.andWhere("d.status = :status", { status });
  return paginate(ctx.db, WebhookDelivery, qb, args, NEWEST_DELIVERIES);
}

const endpointById: LoaderFactory<string, WebhookEndpoint | null> = (ctx, projection) => {
  const read = keyedRows(ctx, WebhookEndpoint, projection, { from: "webhook_endpoints", key: "id", tenant: "distributor_id" });
  return rowLoader((ids) => read(ids), (w) => w.id);
};

export const endpointOf = (ctx: RequestContext, delivery: WebhookDelivery): Promise<WebhookEndpoint | null> => loader(ctx, endpointById).load(delivery.endpointId);

// The latest attempts of each delivery, oldest first. Attempts are reached only through a delivery
// the caller may see, and row-level security holds them to its distributor all the same.
const attemptsByDelivery: LoaderFactory<string, WebhookAttempt[]> = (ctx) =>
  groupLoader(
    async (ids) => {
      const metadata = ctx.db.connection.getMetadata(WebhookAttempt);
      const columns = metadata.columns.map((c) => `"${c.databaseName}"`).join(", ");
      return rowsOfSql(
        ctx.db,
        WebhookAttempt,
        `SELECT ${columns} FROM (
           SELECT a.*, row_number() OVER (PARTITION BY a.delivery_id ORDER BY a.number DESC) AS latest FROM webhook_attempts a WHERE a.delivery_id = ANY($1)
         ) a WHERE latest <= $2 ORDER BY delivery_id, number`,
        [ids, ATTEMPTS_LISTED],
      );
    },
    (a) => a.deliveryId,
  );

export const attemptsOf = (ctx: RequestContext, delivery: WebhookDelivery): Promise<WebhookAttempt[]> => loader(ctx, attemptsByDelivery).load(delivery.id);

// ---- validation --------------------------------------------------------------------------------

/** Checks a URL: its form and, by DNS, every address its host has now. Resolved before any transaction. */
async function checkedUrl(ctx: RequestContext, errors: UserErrors, value: string): Promise<string | undefined> {
  const path = ["input", "url"];
  const text = validate.text(errors, path, value, { max: 2000, label: "URL" });
  if (text === undefined) return undefined;
  const rules = rulesOf(ctx);
  const checked = checkUrl(text, rules);
  if (typeof checked === "string") {
    errors.add(path, `The URL is refused: ${checked}`, UserErrorCode.INVALID);
    return undefined;
  }
  const refused = await refusedHost(checked, rules);
  if (refused) {
    errors.add(path, `The URL is refused: ${refused}`, UserErrorCode.INVALID);
    return undefined;
  }
  return checked.url.toString();
}

function checkedEventTypes(ctx: RequestContext, errors: UserErrors, types: readonly string[]): string[] | undefined {
  const path = ["input", "eventTypes"];
  const unique = [...new Set(types.map((t) => t.trim()))];
  if (unique.length === 0) {
    errors.add(path, "Name at least one event type", UserErrorCode.REQUIRED);
    return undefined;
  }
  const unknown = unique.filter((t) => !isEventType(t));
  if (unknown.length > 0) {
    errors.add(path, `Unknown event types: ${unknown.slice(0, 10).map((t) => JSON.stringify(t.slice(0, 64))).join(", ")}`, UserErrorCode.INVALID);
    return undefined;
  }
  const readable = new Set<string>(readableEventTypes(ctx));
  const unreadable = unique.filter((t) => !readable.has(t));
  if (unreadable.length > 0) {
    errors.add(path, `You may not read these event types: ${unreadable.join(", ")}`, UserErrorCode.NOT_ALLOWED);
    return undefined;
  }
  return unique;
}

function checkedDescription(errors: UserErrors, value: string | null | undefined): string | undefined {
  if (value == null || value.trim() === "") return "";
  return validate.text(errors, ["input", "description"], value, { max: 500, label: "Description" });
}

function notFound(): never {
  throw new Rejected(userError(["input", "id"], "No such webhook endpoint", UserErrorCode.NOT_FOUND));
}

/** The caller's endpoint, locked for the change; another distributor's reads as missing. */
async function lockedEndpoint(tx: RequestContext, globalId: string): Promise<WebhookEndpoint> {
  const id = idOfType(globalId, "WebhookEndpoint");
  if (!id) notFound();
  const endpoint = await tenantQuery(tx, WebhookEndpoint, "w").andWhere("w.id = :id", { id }).setLock("pessimistic_write").getOne();
  return endpoint ?? notFound();
}

// ---- writes ------------------------------------------------------------------------------------

export async function createEndpoint(ctx: RequestContext, input: CreateWebhookEndpointInput): Promise<CreateWebhookEndpointPayload> {
  const errors = new UserErrors();
  const eventTypes = checkedEventTypes(ctx, errors, input.eventTypes);
  const description = checkedDescription(errors, input.description);
  const url = await checkedUrl(ctx, errors, input.url);
  if (errors.any || !url || !eventTypes || description === undefined) return { userErrors: errors.list };
  const distributorId = tenantOf(ctx)!;
  return mutate(ctx, async (tx) => {
    // One creation at a time per distributor, so that two at once cannot pass the bound together.
    await sql(tx.db, `SELECT pg_advisory_xact_lock(hashtext('facet:webhook-endpoints:' || $1))`, [distributorId]);
    const [{ n }] = await sql<{ n: number }>(tx.db, `SELECT count(*)::int AS n FROM webhook_endpoints WHERE distributor_id = $1`, [distributorId]);
    if (n >= MAX_ENDPOINTS_PER_DISTRIBUTOR) {
      throw new Rejected(userError(null, `A distributor may have at most ${MAX_ENDPOINTS_PER_DISTRIBUTOR} webhook endpoints; delete one first`, UserErrorCode.LIMIT_REACHED));
    }
    const actor = await actorOf(tx);
    const secret = newSecret();
    const [{ id }] = await sql<{ id: string }>(
      tx.db,
      `INSERT INTO webhook_endpoints (distributor_id, url, description, event_types, secret, created_by_user_id, created_by_api_client_id, created_by_name)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [distributorId, url, description, eventTypes, secret, actor.userId, actor.apiClientId, actor.name],
    );
    return { webhookEndpoint: (await findEndpointById(tx, id))!, secret, userErrors: [] as UserError[] };
  });
}

export async function updateEndpoint(ctx: RequestContext, input: UpdateWebhookEndpointInput): Promise<UpdateWebhookEndpointPayload> {
  const errors = new UserErrors();
  const eventTypes = input.eventTypes != null ? checkedEventTypes(ctx, errors, input.eventTypes) : null;
  const description = input.description != null ? checkedDescription(errors, input.description) : null;
  const url = input.url != null ? await checkedUrl(ctx, errors, input.url) : null;
  if (errors.any) return { userErrors: errors.list };
  return mutate(ctx, async (tx) => {
    const endpoint = await lockedEndpoint(tx, input.id);
    const changes: Record<string, unknown> = { updatedAt: () => "now()" };
    if (url) changes.url = url;
    if (eventTypes) changes.eventTypes = eventTypes;
    if (description != null) changes.description = description;
    if (input.enabled === false && endpoint.enabled) Object.assign(changes, { enabled: false, disabledReason: WebhookDisabledReason.MANUAL, disabledAt: () => "now()" });
    // Enabled again, it starts a new failure streak: its old one would disable it at the next failure.
    if (input.enabled === true && !endpoint.enabled) Object.assign(changes, { enabled: true, disabledReason: null, disabledAt: null, failingSince: null });
    await tx.db.update(WebhookEndpoint, { id: endpoint.id }, changes);
    return { webhookEndpoint: (await findEndpointById(tx, endpoint.id))!, userErrors: [] as UserError[] };
  });
}

export async function deleteEndpoint(ctx: RequestContext, input: WebhookEndpointIdInput): Promise<DeleteWebhookEndpointPayload> {
  return mutate(ctx, async (tx) => {
    const endpoint = await lockedEndpoint(tx, input.id);
    // Its deliveries and their attempts go with it; their jobs find nothing to send.
    await tx.db.delete(WebhookEndpoint, { id: endpoint.id });
    return { deletedWebhookEndpointId: endpoint.globalId, userErrors: [] as UserError[] };
  });
}

export async function rotateSecret(ctx: RequestContext, input: WebhookEndpointIdInput): Promise<RotateWebhookSecretPayload> {
  return mutate(ctx, async (tx) => {
    const endpoint = await lockedEndpoint(tx, input.id);
    const actor = await actorOf(tx);
    const secret = newSecret();
    // The secret replaced signs beside the new one for a while, so the receiver can switch without
    // losing a webhook; a secret replaced earlier stops at once.
    await sql(
      tx.db,
      `UPDATE webhook_endpoints
       SET previous_secret = secret, previous_secret_expires_at = now() + make_interval(hours => $2), secret = $3,
           secret_rotated_at = now(), secret_rotated_by_name = $4, updated_at = now()
       WHERE id = $1`,
      [endpoint.id, SECRET_OVERLAP_HOURS, secret, actor.name],
    );
    return { webhookEndpoint: (await findEndpointById(tx, endpoint.id))!, secret, userErrors: [] as UserError[] };
  });
}

export async function resendDelivery(ctx: RequestContext, input: ResendWebhookDeliveryInput): Promise<ResendWebhookDeliveryPayload> {
  return mutate(ctx, async (tx) => {
    const id = idOfType(input.id, "WebhookDelivery");
    const delivery = id ? await tenantQuery(tx, WebhookDelivery, "d").andWhere("d.id = :id", { id }).setLock("pessimistic_write").getOne() : null;
    if (!delivery) throw new Rejected(userError(["input", "id"], "No such webhook delivery", UserErrorCode.NOT_FOUND));
    if (delivery.status === WebhookDeliveryStatus.PENDING) {
      throw new Rejected(userError(["input", "id"], "The delivery is still being attempted; see nextAttemptAt", UserErrorCode.INVALID_STATE));
    }
    const endpoint = await findEndpointById(tx, delivery.endpointId);
    if (!endpoint?.enabled) throw new Rejected(userError(["input", "id"], "Its endpoint is disabled: enable it first (updateWebhookEndpoint)", UserErrorCode.INVALID_STATE));
    await sql(
      tx.db,
      `UPDATE webhook_deliveries SET status = 'PENDING', round_attempts = 0, next_attempt_at = now(), lease_token = NULL, leased_until = NULL, updated_at = now() WHERE id = $1`,
      [delivery.id],
    );
    // A job of the request's own: no unique key, since the delivery's first job may still be kept.
    await sql(tx.db, `INSERT INTO jobs (kind, payload, max_attempts) VALUES ($1, jsonb_build_object('delivery', $2::uuid), $3)`, [WEBHOOK_JOBS.deliver, delivery.id, WEBHOOK_JOB_MAX_RUNS]);
    return { webhookDelivery: (await findDeliveryById(tx, delivery.id))!, userErrors: [] as UserError[] };
  });
}
