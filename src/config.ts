import { createHmac, createPrivateKey, createPublicKey, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { COUNTRIES, CURRENCIES } from "./core/iso-codes";
import { defaultWeekend, isTimeZone, WEEKDAYS } from "./core/working-week";

export type JwtKeys =
  | { algorithm: "HS256"; signingKey: string; verifyingKey: string }
  | { algorithm: "RS256"; signingKey: string; verifyingKey: string };

export interface Config {
  env: "development" | "production" | "test";
  port: number;
  host: string;
  /** Worker processes sharing the port (one per core, say); 1 runs Facet in this process. */
  workers: number;
  /** A real PostgreSQL server; when absent Facet runs on the embedded database. */
  databaseUrl: string | undefined;
  dataDir: string;
  migrateOnStart: boolean;
  dbPoolSize: number;
  dbStatementTimeoutMs: number;
  dbConnectTimeoutMs: number;
  dbIdleTimeoutMs: number;
  /**
   * How long a Facet session may sit idle inside an open transaction before PostgreSQL ends it. An
   * open transaction holds back the sync horizon (see src/db/sql.ts) of every `updatedSince` list.
   */
  dbIdleInTransactionTimeoutMs: number;
  /** Whether a connection prepares its parameterized statements by name (see src/db/statements.ts). */
  dbPreparedStatements: boolean;
  /** Bearer token that GET /metrics requires; /metrics is off when absent. */
  metricsToken: string | undefined;
  jwt: JwtKeys & { issuer: string; audience: string; accessTokenTtlSeconds: number };
  corsOrigins: string[];
  /** The largest GraphQL request body, as configured ("100kb") and in bytes. */
  bodyLimit: string;
  bodyLimitBytes: number;
  shutdownGraceMs: number;
  /** How long readiness reports 503 before the listener closes, so load balancers stop sending. */
  shutdownDelayMs: number;
  logLevel: "debug" | "info" | "warn" | "error";
  /** Shared rate-limit buckets across instances; in-process buckets when absent. */
  redisUrl: string | undefined;
  rateLimit: {
    principal: { capacity: number; restorePerSecond: number };
    anonymous: { capacity: number; restorePerSecond: number };
    /** Shared by all of a distributor's users and API clients, beside each one's own bucket. */
    distributor: { capacity: number; restorePerSecond: number };
  };
  /**
   * Which proxies' X-Forwarded-For names the client: false (none, the TCP peer is the client), a
   * number of hops, or the proxies' addresses and CIDR ranges.
   */
  trustProxy: false | number | string[];
  /** The largest GraphQL answer, as configured ("10mb") and in bytes. */
  responseLimit: string;
  responseLimitBytes: number;
  http: {
    /** How long a client may take to send its request headers. */
    headersTimeoutMs: number;
    /** How long a client may take to send its whole request. */
    requestTimeoutMs: number;
    /** How long an idle keep-alive connection is kept. */
    keepAliveTimeoutMs: number;
    /** Open connections one process accepts; more are refused at once. */
    maxConnections: number;
    /**
     * Requests one keep-alive connection carries before its answer closes it, so that clients spread
     * again over the workers (and instances) there are now.
     */
    maxRequestsPerConnection: number;
  };
  reservations: {
    /** The share (percent) of a variant's available stock one PENDING order may reserve. */
    maxSharePercent: number;
    /** The units of one variant one PENDING order may reserve. */
    maxUnits: number;
    /** Minutes a PENDING order keeps its reservations unless the exporter confirms it; 0: for ever. */
    pendingTtlMinutes: number;
  };
  /** PostgreSQL streaming replicas that read-only operations are sent to (see src/db/replicas.ts). */
  replicas: {
    urls: string[];
    /** A replica whose replay is further behind the primary than this is not read from. */
    maxLagMs: number;
    /** How long a read waits for a replica to replay its caller's own last write before it reads from the primary. */
    readYourWritesWaitMs: number;
  };
  /** How much of the database one distributor's expensive lists (searches) may take at once. */
  dbBudget: {
    /** Expensive lists of one distributor running at once in one process; more wait their turn. */
    expensivePerDistributor: number;
    /** How long an expensive list waits for its turn before it is refused (429 RATE_LIMITED, Retry-After). */
    expensiveWaitMs: number;
  };
  /** The exporter's country (ISO 3166 alpha-2): where its shipments leave from unless one says otherwise, and so which export declaration they carry. */
  exporterCountry: string;
  /** The exporter's IANA time zone: its "today" starts lead times and bounds dates, never UTC's. */
  exporterTimeZone: string;
  /** The exporter's weekly days off, ISO weekdays (1 = Monday … 7 = Sunday): not business days. */
  exporterWeekendDays: readonly number[];
  /**
   * The length of the slot `variant.availability_changed` events are gathered in: at most one
   * event per variant per slot, written at its end with what is available then.
   */
  availabilityEventIntervalMs: number;
  /**
   * How old, in business days on the exporter's working calendar, the latest fix of a metal may be
   * before metal-linked pricing refuses it (src/modules/pricing, `freshFix`).
   */
  metalPriceMaxAgeBusinessDays: number;
  /**
   * The longest a design brief's quote may hold its price (a LOCKED quote's `validUntil`), in
   * calendar days after the exporter's today; a longer quote states a metal surcharge instead.
   */
  quotePriceLockMaxDays: number;
  /** The currency reports and KPIs add money in, converting through the recorded exchange rates. */
  baseCurrency: keyof typeof CURRENCIES;
  /** The job runner (webhook deliveries, bulk exports, periodic work; src/db/jobs.ts). */
  jobs: {
    /** Whether `npm start` runs jobs in its own process(es) besides serving; `npm run worker` always does. */
    inProcess: boolean;
    /** Jobs one process runs at once. */
    concurrency: number;
  };
  /** Webhook deliveries (src/modules/webhooks, docs/webhooks.md). */
  webhooks: {
    /** How long one delivery attempt may take, connection to last byte read. */
    timeoutMs: number;
    /** The delay before each attempt, the first included (0: at once); its length is the number of attempts. */
    retryScheduleMs: readonly number[];
    /** The longest `Retry-After` a receiver's answer may impose before the next attempt. */
    retryAfterMaxMs: number;
    /** An endpoint that has not had a success for this long since its first failure is disabled. */
    disableAfterFailingMs: number;
  };
  /** Bulk exports (src/modules/exports, docs/bulk-export.md). */
  exports: {
    /** Signs download URLs: EXPORT_URL_SECRET, or derived from the JWT signing key. */
    urlSecret: string;
    /** How long a download URL is valid after `url` is read. */
    urlTtlSeconds: number;
    /** Days a completed export's file is kept before it is deleted. */
    retentionDays: number;
    /** Exports of one distributor queued or running at once; more are refused. */
    maxActivePerDistributor: number;
    /** The public origin download URLs start with (PUBLIC_URL); relative URLs when absent. */
    publicUrl: string | undefined;
  };
  /** Live GraphQL subscriptions over WebSocket at /graphql (docs/subscriptions.md); every cap is per process. */
  subscriptions: {
    /** Open WebSocket connections of one user or API client; more are closed with 4029. */
    connectionsPerUser: number;
    /** Open WebSocket connections of one distributor's people and clients together; more are closed with 4029. */
    connectionsPerDistributor: number;
    /** Subscriptions running at once on one connection; more are answered with an error. */
    perConnection: number;
    /** Objects one subscription holds pending for a subscriber that has not taken them; beyond, its socket is closed with 4008. */
    buffer: number;
    /** Bytes a socket may have queued unsent (a peer that stopped reading) before it is closed with 4008, as configured and in bytes. */
    socketBuffer: string;
    socketBufferBytes: number;
    /** How long a new connection has to send connection_init before it is closed with 4408. */
    initTimeoutMs: number;
    /** How often a connection is pinged; one that has not answered by the next ping is dropped. */
    keepAliveMs: number;
  };
}

export class ConfigError extends Error {}

const MIN_SECRET_BYTES = 32;
const DEV_SECRET_FILE = "dev-jwt-secret";

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 * 1024 };

/** A size such as "100kb" or "1mb" (b, kb, mb; 1kb is 1024 bytes), and its bytes. */
function size(env: NodeJS.ProcessEnv, name: string, fallback: string): [text: string, bytes: number] {
  const text = (env[name] || fallback).trim();
  const match = /^(\d{1,9})\s*(b|kb|mb)?$/i.exec(text);
  const bytes = match ? Number(match[1]) * SIZE_UNITS[(match[2] ?? "b").toLowerCase()] : NaN;
  if (!match || bytes < 1 || bytes > 64 * 1024 * 1024) throw new ConfigError(`${name} must be a size such as 100kb or 1mb, at most 64mb, got "${text}"`);
  return [text, bytes];
}

const ADDRESS = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]+)(\/\d{1,3})?$/i;

/** TRUST_PROXY: unset or "false" (no proxy), a number of hops, or comma-separated addresses and CIDRs. */
function trustProxy(env: NodeJS.ProcessEnv): Config["trustProxy"] {
  const raw = (env.TRUST_PROXY ?? "").trim();
  if (raw === "" || raw.toLowerCase() === "false") return false;
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops < 1 || hops > 10) throw new ConfigError(`TRUST_PROXY as a number of hops must be between 1 and 10, got "${raw}"`);
    return hops;
  }
  const entries = raw.split(",").map((entry) => entry.trim()).filter(Boolean);
  const bad = entries.find((entry) => !ADDRESS.test(entry));
  if (bad !== undefined || entries.length === 0) {
    throw new ConfigError(`TRUST_PROXY must be a number of hops or proxy addresses and CIDRs separated by commas, got "${bad ?? raw}"`);
  }
  return entries;
}

/** DATABASE_REPLICA_URLS: PostgreSQL URLs separated by commas; none by default. */
function replicaUrls(env: NodeJS.ProcessEnv): string[] {
  const urls = (env.DATABASE_REPLICA_URLS ?? "").split(",").map((url) => url.trim()).filter(Boolean);
  const bad = urls.find((url) => !/^postgres(ql)?:\/\//i.test(url));
  if (bad !== undefined) throw new ConfigError(`DATABASE_REPLICA_URLS must be postgres:// URLs separated by commas, got "${bad}"`);
  if (urls.length > 0 && !env.DATABASE_URL) throw new ConfigError("DATABASE_REPLICA_URLS requires DATABASE_URL: replicas follow a PostgreSQL server, not the embedded database");
  return urls;
}

/**
 * WEBHOOK_RETRY_SCHEDULE_MS: the delay in milliseconds before each attempt of a webhook delivery,
 * separated by commas, the first attempt's included; by default the Standard Webhooks example
 * schedule (at once, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h: about 3 days).
 */
function webhookSchedule(env: NodeJS.ProcessEnv): number[] {
  const raw = (env.WEBHOOK_RETRY_SCHEDULE_MS ?? "").trim();
  if (raw === "") return [0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 50_400_000, 72_000_000, 86_400_000];
  const delays = raw.split(",").map((part) => Number(part.trim()));
  if (delays.length > 20 || delays.some((d) => !Number.isInteger(d) || d < 0 || d > 7 * 86_400_000)) {
    throw new ConfigError(`WEBHOOK_RETRY_SCHEDULE_MS must be 1 to 20 delays in milliseconds (0 to 7 days) separated by commas, got "${raw}"`);
  }
  return delays;
}

/** PENDING_ORDER_TTL_MINUTES: 5 minutes to a year, or 0 for PENDING orders that never expire. */
function pendingTtl(env: NodeJS.ProcessEnv): number {
  const minutes = int(env, "PENDING_ORDER_TTL_MINUTES", 2880, 0, 525_600);
  if (minutes > 0 && minutes < 5) throw new ConfigError(`PENDING_ORDER_TTL_MINUTES must be 0 (never) or between 5 and 525600, got "${minutes}"`);
  return minutes;
}

/** EXPORTER_COUNTRY: an ISO 3166 alpha-2 code; IN (the exporter's workshops are in India) by default. */
function exporterCountry(env: NodeJS.ProcessEnv): string {
  const code = (env.EXPORTER_COUNTRY || "IN").trim().toUpperCase();
  if (!Object.hasOwn(COUNTRIES, code)) throw new ConfigError(`EXPORTER_COUNTRY must be an ISO 3166 alpha-2 country code such as IN, got "${code}"`);
  return code;
}

/** BASE_CURRENCY: an ISO 4217 code Facet knows; USD (the currency of the metal fixes) by default. */
function baseCurrency(env: NodeJS.ProcessEnv): keyof typeof CURRENCIES {
  const code = (env.BASE_CURRENCY || "USD").trim().toUpperCase();
  if (!Object.hasOwn(CURRENCIES, code)) throw new ConfigError(`BASE_CURRENCY must be an ISO 4217 currency code such as USD, got "${code}"`);
  return code as keyof typeof CURRENCIES;
}

/** EXPORTER_TIME_ZONE: an IANA time zone name; Asia/Kolkata (the exporter is in India) by default. */
function exporterTimeZone(env: NodeJS.ProcessEnv): string {
  const zone = (env.EXPORTER_TIME_ZONE || "Asia/Kolkata").trim();
  if (!isTimeZone(zone)) throw new ConfigError(`EXPORTER_TIME_ZONE must be an IANA time zone name such as Asia/Kolkata, got "${zone}"`);
  return zone;
}

/**
 * EXPORTER_WEEKEND_DAYS: the weekly days off as three-letter English names separated by commas
 * (`SUN`, `SAT,SUN`), or `NONE`; by default the exporter's country's (Sunday in India, else
 * Saturday and Sunday). At least one day a week must be a working day.
 */
function exporterWeekendDays(env: NodeJS.ProcessEnv, country: string): readonly number[] {
  const raw = (env.EXPORTER_WEEKEND_DAYS ?? "").trim().toUpperCase();
  if (raw === "") return defaultWeekend(country);
  if (raw === "NONE") return [];
  const names = raw.split(",").map((name) => name.trim());
  const days = names.map((name) => WEEKDAYS.findIndex((day) => day.startsWith(name) && name.length === 3) + 1);
  if (days.includes(0) || new Set(days).size !== days.length || days.length > 6) {
    throw new ConfigError(`EXPORTER_WEEKEND_DAYS must be distinct day names such as SUN or SAT,SUN (at most six), or NONE, got "${raw}"`);
  }
  return days.sort((a, b) => a - b);
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (["true", "1", "yes"].includes(raw.toLowerCase())) return true;
  if (["false", "0", "no"].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

// PEM keys arrive through environment variables, where newlines are often escaped.
function pem(raw: string): string {
  return raw.includes("\\n") ? raw.replace(/\\n/g, "\n") : raw;
}

function jwtKeys(env: NodeJS.ProcessEnv, production: boolean, dataDir: string): JwtKeys {
  if (env.JWT_PRIVATE_KEY) {
    let privateKey;
    try {
      privateKey = createPrivateKey(pem(env.JWT_PRIVATE_KEY));
    } catch {
      throw new ConfigError("JWT_PRIVATE_KEY is not a readable PEM private key");
    }
    if (privateKey.asymmetricKeyType !== "rsa" || (privateKey.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
      throw new ConfigError("JWT_PRIVATE_KEY must be an RSA key of at least 2048 bits");
    }
    return {
      algorithm: "RS256",
      signingKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      verifyingKey: createPublicKey(privateKey).export({ type: "spki", format: "pem" }).toString(),
    };
  }
  if (env.JWT_SECRET) {
    if (Buffer.byteLength(env.JWT_SECRET) < MIN_SECRET_BYTES) {
      throw new ConfigError(`JWT_SECRET must be at least ${MIN_SECRET_BYTES} bytes of random data`);
    }
    return { algorithm: "HS256", signingKey: env.JWT_SECRET, verifyingKey: env.JWT_SECRET };
  }
  if (production) {
    throw new ConfigError("NODE_ENV=production requires JWT_SECRET (32+ random bytes) or JWT_PRIVATE_KEY (RSA PEM)");
  }
  // Outside production a random secret is kept under the data directory, so tokens survive restarts.
  const file = path.join(dataDir, DEV_SECRET_FILE);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(48).toString("base64url"), { mode: 0o600 });
  }
  const secret = readFileSync(file, "utf8").trim();
  return { algorithm: "HS256", signingKey: secret, verifyingKey: secret };
}

const MIN_METRICS_TOKEN_LENGTH = 16;

function metricsToken(env: NodeJS.ProcessEnv): string | undefined {
  const token = env.METRICS_TOKEN || undefined;
  if (token !== undefined && (token.length < MIN_METRICS_TOKEN_LENGTH || !/^[A-Za-z0-9\-_.~+/]+=*$/.test(token))) {
    throw new ConfigError(`METRICS_TOKEN must be at least ${MIN_METRICS_TOKEN_LENGTH} characters of letters, digits and -_.~+/`);
  }
  return token;
}

/**
 * Bulk export settings. The URL secret is EXPORT_URL_SECRET, or else derived from the JWT signing
 * key (an HMAC of it under a fixed label), so every instance that verifies tokens verifies
 * download URLs alike, and the key itself signs nothing but tokens.
 */
function exportSettings(env: NodeJS.ProcessEnv, jwtSigningKey: () => string): Config["exports"] {
  const own = env.EXPORT_URL_SECRET;
  if (own !== undefined && own !== "" && Buffer.byteLength(own) < MIN_SECRET_BYTES) {
    throw new ConfigError(`EXPORT_URL_SECRET must be at least ${MIN_SECRET_BYTES} bytes of random data`);
  }
  const publicUrl = (env.PUBLIC_URL ?? "").trim().replace(/\/+$/, "") || undefined;
  if (publicUrl !== undefined && !/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/i.test(publicUrl)) {
    throw new ConfigError(`PUBLIC_URL must be an http(s) URL such as https://api.example.com, got "${publicUrl}"`);
  }
  return {
    urlSecret: own || createHmac("sha256", jwtSigningKey()).update("facet bulk export download URLs").digest("base64url"),
    urlTtlSeconds: int(env, "EXPORT_URL_TTL_SECONDS", 3600, 60, 86_400),
    retentionDays: int(env, "EXPORT_RETENTION_DAYS", 7, 1, 90),
    maxActivePerDistributor: int(env, "EXPORTS_PER_DISTRIBUTOR", 2, 1, 20),
    publicUrl,
  };
}

/** The SUBSCRIPTION* settings (see Config["subscriptions"]). */
function subscriptions(env: NodeJS.ProcessEnv): Config["subscriptions"] {
  const [socketBuffer, socketBufferBytes] = size(env, "SUBSCRIPTION_SOCKET_BUFFER", "1mb");
  return {
    connectionsPerUser: int(env, "SUBSCRIPTION_CONNECTIONS_PER_USER", 10, 1, 10_000),
    connectionsPerDistributor: int(env, "SUBSCRIPTION_CONNECTIONS_PER_DISTRIBUTOR", 200, 1, 1_000_000),
    perConnection: int(env, "SUBSCRIPTIONS_PER_CONNECTION", 20, 1, 1000),
    buffer: int(env, "SUBSCRIPTION_BUFFER", 100, 1, 100_000),
    socketBuffer,
    socketBufferBytes,
    initTimeoutMs: int(env, "SUBSCRIPTION_INIT_TIMEOUT_MS", 5000, 100, 60_000),
    keepAliveMs: int(env, "SUBSCRIPTION_KEEP_ALIVE_MS", 12_000, 100, 300_000),
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const nodeEnv = env.NODE_ENV ?? "development";
  if (nodeEnv !== "development" && nodeEnv !== "production" && nodeEnv !== "test") {
    throw new ConfigError(`NODE_ENV must be development, production or test, got "${nodeEnv}"`);
  }
  const production = nodeEnv === "production";
  const databaseUrl = env.DATABASE_URL || undefined;
  if (production && !databaseUrl) {
    throw new ConfigError("NODE_ENV=production requires DATABASE_URL: the embedded database is for development only");
  }
  const dataDir = path.resolve(env.DATA_DIR || ".data");
  const [bodyLimit, bodyLimitBytes] = size(env, "BODY_LIMIT", "100kb");
  const [responseLimit, responseLimitBytes] = size(env, "RESPONSE_LIMIT", "10mb");
  const workers = int(env, "WEB_CONCURRENCY", 1, 1, 64);
  // Workers share nothing but the port: the embedded database lives in one process, and buckets
  // kept in memory would give each worker a budget of its own.
  if (workers > 1 && !databaseUrl) throw new ConfigError("WEB_CONCURRENCY above 1 requires DATABASE_URL: the embedded database serves one process");
  if (workers > 1 && !env.REDIS_URL) throw new ConfigError("WEB_CONCURRENCY above 1 requires REDIS_URL, so that the workers share one set of rate limits");
  const headersTimeoutMs = int(env, "HEADERS_TIMEOUT_MS", 10_000, 1000, 120_000);
  const requestTimeoutMs = int(env, "REQUEST_TIMEOUT_MS", 30_000, 1000, 600_000);
  if (headersTimeoutMs > requestTimeoutMs) throw new ConfigError(`HEADERS_TIMEOUT_MS (${headersTimeoutMs}) may not exceed REQUEST_TIMEOUT_MS (${requestTimeoutMs})`);
  const logLevel = env.LOG_LEVEL ?? (nodeEnv === "test" ? "warn" : "info");
  if (!["debug", "info", "warn", "error"].includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be debug, info, warn or error, got "${logLevel}"`);
  }
  return {
    env: nodeEnv,
    port: int(env, "PORT", 4000, 0, 65535),
    host: env.HOST || "0.0.0.0",
    workers,
    databaseUrl,
    dataDir,
    migrateOnStart: bool(env, "MIGRATE_ON_START", true),
    dbPoolSize: int(env, "DB_POOL_SIZE", 10, 1, 200),
    dbStatementTimeoutMs: int(env, "DB_STATEMENT_TIMEOUT_MS", 5000, 100, 600_000),
    dbConnectTimeoutMs: int(env, "DB_CONNECT_TIMEOUT_MS", 5000, 100, 120_000),
    dbIdleTimeoutMs: int(env, "DB_IDLE_TIMEOUT_MS", 300_000, 0, 86_400_000),
    dbIdleInTransactionTimeoutMs: int(env, "DB_IDLE_IN_TRANSACTION_TIMEOUT_MS", 10_000, 1000, 3_600_000),
    dbPreparedStatements: bool(env, "DB_PREPARED_STATEMENTS", true),
    metricsToken: metricsToken(env),
    jwt: {
      ...jwtKeys(env, production, dataDir),
      issuer: env.JWT_ISSUER || "facet",
      audience: env.JWT_AUDIENCE || "facet-api",
      accessTokenTtlSeconds: int(env, "ACCESS_TOKEN_TTL_SECONDS", 3600, 60, 86_400),
    },
    corsOrigins: (env.CORS_ORIGINS ?? "")
      .split(",")
      .map((origin) => origin.trim())
      .filter(Boolean),
    bodyLimit,
    bodyLimitBytes,
    responseLimit,
    responseLimitBytes,
    trustProxy: trustProxy(env),
    http: {
      headersTimeoutMs,
      requestTimeoutMs,
      keepAliveTimeoutMs: int(env, "KEEP_ALIVE_TIMEOUT_MS", 5000, 1000, 120_000),
      maxConnections: int(env, "MAX_CONNECTIONS", 1000, 10, 100_000),
      maxRequestsPerConnection: int(env, "MAX_REQUESTS_PER_CONNECTION", 1000, 1, 1_000_000),
    },
    reservations: {
      maxSharePercent: int(env, "RESERVATION_MAX_SHARE_PERCENT", 50, 1, 100),
      maxUnits: int(env, "RESERVATION_MAX_UNITS", 500, 1, 1_000_000),
      pendingTtlMinutes: pendingTtl(env),
    },
    replicas: {
      urls: replicaUrls(env),
      maxLagMs: int(env, "REPLICA_MAX_LAG_MS", 5000, 100, 600_000),
      readYourWritesWaitMs: int(env, "REPLICA_WAIT_MS", 250, 0, 10_000),
    },
    dbBudget: {
      expensivePerDistributor: int(env, "EXPENSIVE_QUERIES_PER_DISTRIBUTOR", 2, 1, 100),
      expensiveWaitMs: int(env, "EXPENSIVE_QUERY_WAIT_MS", 2000, 0, 60_000),
    },
    exporterCountry: exporterCountry(env),
    exporterTimeZone: exporterTimeZone(env),
    exporterWeekendDays: exporterWeekendDays(env, exporterCountry(env)),
    availabilityEventIntervalMs: int(env, "AVAILABILITY_EVENT_INTERVAL_MS", 60_000, 1000, 3_600_000),
    metalPriceMaxAgeBusinessDays: int(env, "METAL_PRICE_MAX_AGE_BUSINESS_DAYS", 2, 0, 30),
    quotePriceLockMaxDays: int(env, "QUOTE_PRICE_LOCK_MAX_DAYS", 7, 0, 366),
    baseCurrency: baseCurrency(env),
    jobs: {
      inProcess: bool(env, "RUN_JOBS", true),
      concurrency: int(env, "JOB_CONCURRENCY", 4, 1, 100),
    },
    webhooks: {
      timeoutMs: int(env, "WEBHOOK_TIMEOUT_MS", 15_000, 100, 30_000),
      retryScheduleMs: webhookSchedule(env),
      retryAfterMaxMs: int(env, "WEBHOOK_RETRY_AFTER_MAX_MS", 86_400_000, 0, 7 * 86_400_000),
      disableAfterFailingMs: int(env, "WEBHOOK_DISABLE_AFTER_FAILING_MS", 5 * 86_400_000, 1000, 30 * 86_400_000),
    },
    exports: exportSettings(env, () => jwtKeys(env, production, dataDir).signingKey),
    subscriptions: subscriptions(env),
    shutdownGraceMs: int(env, "SHUTDOWN_GRACE_MS", 10_000, 0, 120_000),
    // In production a load balancer polls /readyz: it must see the 503 before the listener closes.
    shutdownDelayMs: int(env, "SHUTDOWN_DELAY_MS", production ? 2000 : 0, 0, 60_000),
    logLevel: logLevel as Config["logLevel"],
    redisUrl: env.REDIS_URL || undefined,
    rateLimit: {
      principal: {
        capacity: int(env, "RATE_LIMIT_POINTS", 20_000, 100, 10_000_000),
        restorePerSecond: int(env, "RATE_LIMIT_RESTORE_PER_SECOND", 1000, 1, 1_000_000),
      },
      anonymous: {
        capacity: int(env, "RATE_LIMIT_ANONYMOUS_POINTS", 2000, 10, 1_000_000),
        restorePerSecond: int(env, "RATE_LIMIT_ANONYMOUS_RESTORE_PER_SECOND", 20, 1, 100_000),
      },
      distributor: {
        capacity: int(env, "RATE_LIMIT_DISTRIBUTOR_POINTS", 60_000, 100, 100_000_000),
        restorePerSecond: int(env, "RATE_LIMIT_DISTRIBUTOR_RESTORE_PER_SECOND", 3000, 1, 10_000_000),
      },
    },
  };
}
