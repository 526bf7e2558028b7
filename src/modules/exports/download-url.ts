import { createHmac, timingSafeEqual } from "node:crypto";
import type { Config } from "../../config";

// A download URL is its own bearer: whoever holds it may download the file until it expires, with
// no token. So it names one export, its distributor and its expiry, signed with HMAC-SHA256 under
// the server's secret (EXPORT_URL_SECRET, or one derived from the JWT key: see config.ts). Changing
// any of them breaks the signature; reading `url` again signs a fresh one while the file is kept.

const SIGNATURE = /^[0-9a-f]{64}$/;

/** The path of an export's file on the download route (src/server/exports.ts). */
export const downloadPath = (exportId: string) => `/exports/bulk/${exportId}.jsonl`;

function sign(secret: string, exportId: string, distributorId: string, expires: number): Buffer {
  return createHmac("sha256", secret).update(`facet-bulk-export\n${exportId}\n${distributorId}\n${expires}`).digest();
}

/** A signed URL valid until `expires` (Unix seconds); absolute when PUBLIC_URL is set. */
export function signedDownloadUrl(config: Config, exportId: string, distributorId: string, expires: number): string {
  const signature = sign(config.exports.urlSecret, exportId, distributorId, expires).toString("hex");
  return `${config.exports.publicUrl ?? ""}${downloadPath(exportId)}?expires=${expires}&signature=${signature}`;
}

/**
 * When a URL read now expires: URL_TTL from now, rounded up to the minute (so that `url` and
 * `urlExpiresAt` read in one response agree), and never after the file itself is deleted.
 */
export function urlExpiry(config: Config, fileExpiresAt: Date, now = Date.now()): number {
  const wanted = Math.ceil((now / 1000 + config.exports.urlTtlSeconds) / 60) * 60;
  return Math.min(wanted, Math.floor(fileExpiresAt.getTime() / 1000));
}

export type DownloadCheck = "valid" | "expired" | "bad signature";

/** Checks a download URL's expiry and signature, comparing in constant time. */
export function checkDownload(config: Config, exportId: string, distributorId: string, expires: string, signature: string, now = Date.now()): DownloadCheck {
  if (!/^\d{1,12}$/.test(expires) || !SIGNATURE.test(signature)) return "bad signature";
  const expected = sign(config.exports.urlSecret, exportId, distributorId, Number(expires));
  if (!timingSafeEqual(expected, Buffer.from(signature, "hex"))) return "bad signature";
  return Number(expires) * 1000 <= now ? "expired" : "valid";
}
