import { createHmac, randomBytes } from "node:crypto";

// Standard Webhooks 1.0 signatures (https://www.standardwebhooks.com, "Signature scheme"): an
// HMAC-SHA256 of `${webhook-id}.${webhook-timestamp}.${body}`, keyed with the base64-decoded part
// of the secret after `whsec_`, sent as `v1,<base64>`; several signatures (during a rotation) are
// separated by spaces, and the receiver accepts the message when any of them matches.

const PREFIX = "whsec_";

/** A new signing secret: `whsec_` and the base64 of 32 random bytes. */
export function newSecret(): string {
  return PREFIX + randomBytes(32).toString("base64");
}

/** The `v1,` signature of one message with one secret. */
export function sign(secret: string, id: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, "base64");
  if (key.length === 0) throw new Error("an empty webhook secret");
  return `v1,${createHmac("sha256", key).update(`${id}.${timestampSeconds}.${body}`, "utf8").digest("base64")}`;
}

/** The `webhook-signature` header: one signature per secret, separated by spaces. */
export function signatureHeader(secrets: readonly string[], id: string, timestampSeconds: number, body: string): string {
  return secrets.map((secret) => sign(secret, id, timestampSeconds, body)).join(" ");
}

/** The body Facet sends: the event's type, when it happened (ISO 8601) and its data. */
export function webhookBody(event: { type: string; occurredAt: Date | string; data: Record<string, unknown> }): string {
  return JSON.stringify({ type: event.type, timestamp: new Date(event.occurredAt).toISOString(), data: event.data });
}
