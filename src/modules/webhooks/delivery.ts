import type { DataSource, EntityManager } from "typeorm";
import { loadConfig, type Config } from "../../config";
import type { RequestContext } from "../../core/context";
import { retentionJob, RetryAt, type JobHandler } from "../../db/jobs";
import { withRequestRunner } from "../../db/request-scope";
import { sql } from "../../db/statements";
import { withTransaction } from "../../db/transaction";
import { toGlobalId } from "../../graphql/node";
import { log } from "../../logger";
import { EVENT_RETENTION_DAYS, recordEvents, WEBHOOK_JOB_MAX_RUNS, WEBHOOK_JOBS } from "../events";
import type { Resolver } from "./address-guard";
import { nextDelayMs } from "./schedule";
import { send, type Attempt } from "./sender";
import { signatureHeader, webhookBody } from "./signing";
import { WebhookDeliveryStatus, WebhookDisabledReason } from "./webhook.entity";

// Sending webhooks, on the job runner (src/db/jobs.ts). Each delivery has a job; a run claims the
// delivery with a lease of its own (a resend may have made a second job for it, and a process that
// died mid-attempt leaves a lease that ends), makes one attempt with no connection held, and
// records it under that lease: a run whose lease was taken over records nothing. Deliveries are
// at least once: an attempt whose answer was lost is made again, with the same `webhook-id`.

export interface WebhookJobOptions {
  /** The settings (config.webhooks, and config.env for the address rules); loaded from the environment when absent. */
  config?: Config;
  /** How host names are resolved at connection time; the system's resolver by default. */
  resolve?: Resolver;
  /** How long a run holds its delivery before another process may take it over. */
  leaseMs?: number;
}

interface Claimed {
  id: string;
  lease_token: string;
  distributor_id: string;
  endpoint_id: string;
  round_attempts: number;
  event_id: string;
  type: string;
  occurred_at: Date;
  data: Record<string, unknown>;
  url: string;
  enabled: boolean;
  secrets: string[];
}

function systemContext(config: Config, db: EntityManager, dataSource: DataSource, requestId: string): RequestContext {
  return { requestId, config, principal: null, db, dataSource, loaders: new Map(), ip: undefined };
}

async function claim(db: EntityManager, id: string, leaseMs: number): Promise<Claimed | { next: Date | null }> {
  const [row] = await sql<Claimed>(
    db,
    `WITH claimed AS (
       UPDATE webhook_deliveries SET lease_token = gen_random_uuid(), leased_until = now() + make_interval(secs => $2::double precision / 1000)
       WHERE id = $1 AND status = 'PENDING' AND next_attempt_at <= now() AND (leased_until IS NULL OR leased_until < now())
       RETURNING id, lease_token, distributor_id, endpoint_id, event_id, round_attempts
     )
     SELECT c.*, e.type, e.occurred_at, e.data, w.url, w.enabled,
            array_remove(ARRAY[w.secret, CASE WHEN w.previous_secret_expires_at > now() THEN w.previous_secret END], NULL) AS secrets
     FROM claimed c JOIN events e ON e.id = c.event_id JOIN webhook_endpoints w ON w.id = c.endpoint_id`,
    [id, leaseMs],
  );
  if (row) return row;
  // Not claimed: gone, finished, in another run's hands, or not due yet (its time moved).
  const [pending] = await sql<{ next_attempt_at: Date }>(db, `SELECT next_attempt_at FROM webhook_deliveries WHERE id = $1 AND status = 'PENDING' AND leased_until IS NULL`, [id]);
  return { next: pending?.next_attempt_at ?? null };
}

/** What an attempt's outcome does to its delivery and its endpoint. */
interface Outcome {
  status: WebhookDeliveryStatus;
  next: Date | null;
  /** Disable the endpoint for this reason, whatever its failures so far. */
  disable: WebhookDisabledReason | null;
}

function outcomeOf(attempt: Attempt, made: number, settings: Config["webhooks"]): Outcome {
  const code = attempt.statusCode;
  if (code !== null && code >= 200 && code < 300) return { status: WebhookDeliveryStatus.SUCCEEDED, next: null, disable: null };
  // 410 Gone: the receiver wants no more (Standard Webhooks, "Delivery success and failure").
  if (code === 410) return { status: WebhookDeliveryStatus.FAILED, next: null, disable: WebhookDisabledReason.GONE };
  const delay = nextDelayMs(settings.retryScheduleMs, made, attempt.retryAfterMs, settings.retryAfterMaxMs);
  if (delay === null) return { status: WebhookDeliveryStatus.FAILED, next: null, disable: null };
  return { status: WebhookDeliveryStatus.PENDING, next: new Date(Date.now() + delay), disable: null };
}

/**
 * Records an attempt under the run's lease, in one transaction: the attempt, the delivery's new
 * state, the endpoint's success or failure streak, and, when the endpoint is disabled by it, the
 * `webhook_endpoint.disabled` event its owner reads. False when the lease was lost.
 */
async function record(ctx: RequestContext, claimed: Claimed, attemptedAt: Date, attempt: Attempt, settings: Config["webhooks"]): Promise<Outcome | null> {
  return withTransaction(ctx, async (tx) => {
    let outcome = outcomeOf(attempt, claimed.round_attempts + 1, settings);
    const succeeded = outcome.status === WebhookDeliveryStatus.SUCCEEDED;
    // The endpoint first: its failure streak decides whether this delivery goes on.
    const [endpoint] = await sql<{ failing_since: Date | null; url: string }>(
      tx.db,
      `UPDATE webhook_endpoints
       SET last_success_at = CASE WHEN $2 THEN $3::timestamptz ELSE last_success_at END,
           failing_since = CASE WHEN $2 THEN NULL ELSE COALESCE(failing_since, $3::timestamptz) END
       WHERE id = $1 RETURNING failing_since, url`,
      [claimed.endpoint_id, succeeded, attemptedAt.toISOString()],
    );
    let disable = outcome.disable;
    if (!succeeded && !disable && endpoint?.failing_since && Date.now() - new Date(endpoint.failing_since).getTime() >= settings.disableAfterFailingMs) {
      disable = WebhookDisabledReason.FAILING;
    }
    if (disable) outcome = { status: WebhookDeliveryStatus.FAILED, next: null, disable };
    const updated = await sql<{ attempt_count: number }>(
      tx.db,
      `UPDATE webhook_deliveries
       SET status = $3, attempt_count = attempt_count + 1, round_attempts = round_attempts + 1, next_attempt_at = $4,
           last_attempt_at = $5, last_status_code = $6, last_error = $7, lease_token = NULL, leased_until = NULL, updated_at = now()
       WHERE id = $1 AND lease_token = $2
       RETURNING attempt_count`,
      [claimed.id, claimed.lease_token, outcome.status, outcome.next?.toISOString() ?? null, attemptedAt.toISOString(), attempt.statusCode, attempt.error?.slice(0, 500) ?? null],
    );
    if (updated.length === 0) {
      // Another run took the delivery over: what this one saw is not recorded, and the endpoint's
      // streak is left as it was.
      throw new LeaseLost();
    }
    await sql(
      tx.db,
      `INSERT INTO webhook_attempts (distributor_id, delivery_id, number, attempted_at, duration_ms, status_code, error, response_excerpt)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [claimed.distributor_id, claimed.id, updated[0].attempt_count, attemptedAt.toISOString(), attempt.durationMs, attempt.statusCode, attempt.error?.slice(0, 500) ?? null, attempt.responseExcerpt],
    );
    if (disable) {
      const disabled = await sql(
        tx.db,
        `UPDATE webhook_endpoints SET enabled = false, disabled_reason = $2, disabled_at = now(), updated_at = now() WHERE id = $1 AND enabled RETURNING id`,
        [claimed.endpoint_id, disable],
      );
      // Only the run that disabled it tells of it, once.
      if (disabled.length > 0) {
        await recordEvents(tx, [
          {
            type: "webhook_endpoint.disabled",
            distributorId: claimed.distributor_id,
            subjectId: claimed.endpoint_id,
            data: { webhookEndpointId: toGlobalId("WebhookEndpoint", claimed.endpoint_id), url: endpoint?.url ?? claimed.url, reason: disable },
          },
        ]);
        log.warn("a webhook endpoint was disabled", { endpoint: claimed.endpoint_id, distributor: claimed.distributor_id, reason: disable });
      }
    }
    return outcome;
  }).catch((error: unknown) => {
    if (error instanceof LeaseLost) return null;
    throw error;
  });
}

class LeaseLost extends Error {}

/** The job that makes the due attempt of one delivery. */
function deliverJob(options: WebhookJobOptions, settings: () => Config): JobHandler {
  return {
    kind: WEBHOOK_JOBS.deliver,
    leaseMs: options.leaseMs,
    async run(job, { dataSource }) {
      const config = settings();
      const deliveryId = String(job.payload.delivery);
      // The delivery's lease outlasts an attempt's time limit, so no second run starts while one is under way.
      const leaseMs = options.leaseMs ?? config.webhooks.timeoutMs + 30_000;
      const claimed = await withRequestRunner(dataSource, undefined, (db) => claim(db, deliveryId, leaseMs));
      if (!("lease_token" in claimed)) {
        if (claimed.next && claimed.next.getTime() > Date.now()) throw new RetryAt(claimed.next, "not due yet");
        return;
      }
      if (!claimed.enabled) {
        await withRequestRunner(dataSource, undefined, (db) =>
          sql(
            db,
            `UPDATE webhook_deliveries SET status = 'FAILED', next_attempt_at = NULL, last_error = 'the endpoint is disabled', lease_token = NULL, leased_until = NULL, updated_at = now()
             WHERE id = $1 AND lease_token = $2`,
            [claimed.id, claimed.lease_token],
          ),
        );
        return;
      }
      const body = webhookBody({ type: claimed.type, occurredAt: claimed.occurred_at, data: claimed.data });
      const attemptedAt = new Date();
      const timestamp = Math.floor(attemptedAt.getTime() / 1000);
      const headers = {
        "webhook-id": claimed.event_id,
        "webhook-timestamp": String(timestamp),
        "webhook-signature": signatureHeader(claimed.secrets, claimed.event_id, timestamp, body),
      };
      const attempt = await send(claimed.url, headers, body, {
        timeoutMs: config.webhooks.timeoutMs,
        rules: { production: config.env === "production" },
        resolve: options.resolve,
      });
      const outcome = await withRequestRunner(dataSource, undefined, (db) => record(systemContext(config, db, dataSource, `webhook-${job.id}`), claimed, attemptedAt, attempt, config.webhooks));
      if (outcome?.status === WebhookDeliveryStatus.PENDING && outcome.next) throw new RetryAt(outcome.next, attempt.error ?? "failed");
    },
  };
}

/**
 * Writes the deliveries of shared-catalog events (no distributor) to every distributor's enabled
 * endpoints subscribed to their type, in the system's scope, and a job for each. Safe to run
 * twice: a delivery exists once per event and endpoint.
 */
const FAN_OUT: JobHandler = {
  kind: WEBHOOK_JOBS.fanOut,
  async run(job, { dataSource }) {
    const ids = (job.payload.events as string[]) ?? [];
    await withRequestRunner(dataSource, undefined, (db) =>
      sql(
        db,
        `WITH deliveries AS (
           INSERT INTO webhook_deliveries (distributor_id, endpoint_id, event_id, event_type)
           SELECT w.distributor_id, w.id, e.id, e.type
           FROM events e JOIN webhook_endpoints w ON w.enabled AND e.type = ANY(w.event_types) AND w.created_at <= e.occurred_at
           WHERE e.id = ANY($1::uuid[]) AND e.distributor_id IS NULL
           ON CONFLICT ON CONSTRAINT webhook_deliveries_event_endpoint DO NOTHING
           RETURNING id
         )
         INSERT INTO jobs (kind, payload, max_attempts) SELECT $2, jsonb_build_object('delivery', id), $3 FROM deliveries`,
        [ids, WEBHOOK_JOBS.deliver, WEBHOOK_JOB_MAX_RUNS],
      ),
    );
  },
};

/** Deletes deliveries (and their attempts) older than the events they deliver, once an hour. */
const RETENTION = retentionJob("webhooks.retention", "webhook_deliveries", "created_at", EVENT_RETENTION_DAYS);

/** The webhook jobs with these options (tests give their own settings and resolver). */
export function webhookJobs(options: WebhookJobOptions = {}): JobHandler[] {
  let loaded: Config | undefined = options.config;
  const settings = () => (loaded ??= loadConfig());
  return [deliverJob(options, settings), FAN_OUT, RETENTION];
}
