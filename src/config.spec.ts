import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ConfigError, loadConfig } from "./config";

const SECRET = "0123456789abcdef0123456789abcdef"; // exactly 32 bytes
const DATABASE_URL = "postgres://facet@db.internal:5432/facet";
const rsaPem = (bits: number) => generateKeyPairSync("rsa", { modulusLength: bits }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "facet-config-"));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const production = (env: NodeJS.ProcessEnv) => () => loadConfig({ NODE_ENV: "production", DATA_DIR: dataDir, ...env });

describe("loadConfig with NODE_ENV=production", () => {
  it("starts with a real database and a real secret, migrating on start unless told not to", () => {
    const config = production({ DATABASE_URL, JWT_SECRET: SECRET })();
    expect(config).toMatchObject({ env: "production", databaseUrl: DATABASE_URL, migrateOnStart: true, jwt: { algorithm: "HS256", signingKey: SECRET } });
    expect(production({ DATABASE_URL, JWT_SECRET: SECRET, MIGRATE_ON_START: "false" })().migrateOnStart).toBe(false);
  });

  it("refuses the embedded database", () => {
    expect(production({ JWT_SECRET: SECRET })).toThrow(ConfigError);
    expect(production({ JWT_SECRET: SECRET, DATABASE_URL: "" })).toThrow(/requires DATABASE_URL: the embedded database is for development only/);
  });

  it("refuses to start without a JWT secret or key, and generates none", () => {
    expect(production({ DATABASE_URL })).toThrow(/requires JWT_SECRET \(32\+ random bytes\) or JWT_PRIVATE_KEY/);
    expect(production({ DATABASE_URL, JWT_SECRET: "" })).toThrow(ConfigError);
    expect(existsSync(path.join(dataDir, "dev-jwt-secret"))).toBe(false);
  });

  it("refuses a JWT secret shorter than 32 bytes, counting bytes rather than characters", () => {
    expect(production({ DATABASE_URL, JWT_SECRET: SECRET.slice(1) })).toThrow(/JWT_SECRET must be at least 32 bytes/);
    expect(production({ DATABASE_URL, JWT_SECRET: "facet-demo-2026" })).toThrow(/at least 32 bytes/);
    // 16 two-byte characters are 32 bytes.
    expect(production({ DATABASE_URL, JWT_SECRET: "é".repeat(16) })().jwt.signingKey).toBe("é".repeat(16));
  });

  it("takes an RSA key of 2048 bits or more instead of a secret, and refuses a weak or unreadable one", () => {
    const key = rsaPem(2048);
    const config = production({ DATABASE_URL, JWT_PRIVATE_KEY: key.replace(/\n/g, "\\n"), JWT_SECRET: "short" })();
    expect(config.jwt.algorithm).toBe("RS256");
    expect(config.jwt.verifyingKey).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(production({ DATABASE_URL, JWT_PRIVATE_KEY: rsaPem(1024) })).toThrow(/at least 2048 bits/);
    expect(production({ DATABASE_URL, JWT_PRIVATE_KEY: "not a key" })).toThrow(/not a readable PEM private key/);
  });
});

describe("loadConfig outside production", () => {
  it("runs on the embedded database and keeps a generated secret in the data directory across starts", () => {
    const first = loadConfig({ NODE_ENV: "development", DATA_DIR: dataDir });
    expect(first.databaseUrl).toBeUndefined();
    expect(first.jwt.signingKey.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(path.join(dataDir, "dev-jwt-secret"), "utf8")).toBe(first.jwt.signingKey);
    expect(loadConfig({ NODE_ENV: "development", DATA_DIR: dataDir }).jwt.signingKey).toBe(first.jwt.signingKey);
  });

  it("still refuses a short JWT secret", () => {
    expect(() => loadConfig({ NODE_ENV: "development", DATA_DIR: dataDir, JWT_SECRET: "too short" })).toThrow(/at least 32 bytes/);
  });

  it("documents its defaults", () => {
    expect(loadConfig({ DATA_DIR: dataDir })).toMatchObject({
      env: "development",
      port: 4000,
      host: "0.0.0.0",
      workers: 1,
      migrateOnStart: true,
      dbPoolSize: 10,
      dbStatementTimeoutMs: 5000,
      dbConnectTimeoutMs: 5000,
      dbIdleTimeoutMs: 300_000,
      dbPreparedStatements: true,
      jwt: { issuer: "facet", audience: "facet-api", accessTokenTtlSeconds: 3600 },
      corsOrigins: [],
      bodyLimit: "100kb",
      shutdownGraceMs: 10_000,
      shutdownDelayMs: 0,
      replicas: { urls: [], maxLagMs: 5000, readYourWritesWaitMs: 250 },
      dbBudget: { expensivePerDistributor: 2, expensiveWaitMs: 2000 },
      logLevel: "info",
      redisUrl: undefined,
      rateLimit: { principal: { capacity: 20_000, restorePerSecond: 1000 }, anonymous: { capacity: 2000, restorePerSecond: 20 } },
    });
    expect(loadConfig({ NODE_ENV: "test", DATA_DIR: dataDir }).logLevel).toBe("warn");
  });

  it.each([
    ["NODE_ENV", "staging", /NODE_ENV must be development, production or test/],
    ["PORT", "http", /PORT must be an integer/],
    ["ACCESS_TOKEN_TTL_SECONDS", "30", /ACCESS_TOKEN_TTL_SECONDS must be an integer between 60 and 86400/],
    ["MIGRATE_ON_START", "maybe", /MIGRATE_ON_START must be true or false/],
    ["LOG_LEVEL", "verbose", /LOG_LEVEL must be debug, info, warn or error/],
    ["WEB_CONCURRENCY", "0", /WEB_CONCURRENCY must be an integer between 1 and 64/],
    ["DB_IDLE_TIMEOUT_MS", "-1", /DB_IDLE_TIMEOUT_MS must be an integer between 0 and 86400000/],
    ["DATABASE_REPLICA_URLS", "mysql://replica", /DATABASE_REPLICA_URLS must be postgres:\/\/ URLs/],
    ["DATABASE_REPLICA_URLS", "postgres://127.0.0.1:5433/facet", /DATABASE_REPLICA_URLS requires DATABASE_URL/],
  ])("refuses %s=%s", (name, value, message) => {
    expect(() => loadConfig({ DATA_DIR: dataDir, [name]: value })).toThrow(message);
  });

  it("reads BODY_LIMIT as a size in bytes, kilobytes or megabytes, and refuses anything else", () => {
    expect(loadConfig({ DATA_DIR: dataDir })).toMatchObject({ bodyLimit: "100kb", bodyLimitBytes: 100 * 1024 });
    expect(loadConfig({ DATA_DIR: dataDir, BODY_LIMIT: "1mb" }).bodyLimitBytes).toBe(1024 * 1024);
    expect(loadConfig({ DATA_DIR: dataDir, BODY_LIMIT: "2048" }).bodyLimitBytes).toBe(2048);
    for (const value of ["lots", "10gb", "100 kB extra", "0", "65mb"]) {
      expect(() => loadConfig({ DATA_DIR: dataDir, BODY_LIMIT: value })).toThrow(/BODY_LIMIT must be a size such as 100kb or 1mb/);
    }
  });

  it("runs workers only on a real PostgreSQL and with rate limits shared in Redis", () => {
    const db = { DATABASE_URL: "postgres://localhost/facet" };
    const redis = { REDIS_URL: "redis://localhost:6379" };
    expect(() => loadConfig({ DATA_DIR: dataDir, WEB_CONCURRENCY: "2", ...redis })).toThrow(/WEB_CONCURRENCY above 1 requires DATABASE_URL/);
    expect(() => loadConfig({ DATA_DIR: dataDir, WEB_CONCURRENCY: "2", ...db })).toThrow(/WEB_CONCURRENCY above 1 requires REDIS_URL/);
    expect(loadConfig({ DATA_DIR: dataDir, WEB_CONCURRENCY: "2", ...db, ...redis }).workers).toBe(2);
    expect(loadConfig({ DATA_DIR: dataDir, WEB_CONCURRENCY: "1" }).workers).toBe(1);
  });

  it("reads TRUST_PROXY as hops or addresses and CIDRs, and refuses anything else", () => {
    expect(loadConfig({ DATA_DIR: dataDir }).trustProxy).toBe(false);
    expect(loadConfig({ DATA_DIR: dataDir, TRUST_PROXY: "2" }).trustProxy).toBe(2);
    expect(loadConfig({ DATA_DIR: dataDir, TRUST_PROXY: "10.0.0.0/8, 192.168.1.1,::1" }).trustProxy).toEqual(["10.0.0.0/8", "192.168.1.1", "::1"]);
    for (const value of ["0", "11", "proxy.internal", "10.0.0.0/8,,x"]) {
      expect(() => loadConfig({ DATA_DIR: dataDir, TRUST_PROXY: value })).toThrow(/TRUST_PROXY/);
    }
  });

  it("keeps the header timeout within the request timeout", () => {
    expect(loadConfig({ DATA_DIR: dataDir }).http).toEqual({ headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5000, maxConnections: 1000, maxRequestsPerConnection: 1000 });
    expect(() => loadConfig({ DATA_DIR: dataDir, HEADERS_TIMEOUT_MS: "20000", REQUEST_TIMEOUT_MS: "10000" })).toThrow(/may not exceed REQUEST_TIMEOUT_MS/);
  });

  it("takes PENDING_ORDER_TTL_MINUTES of 5 minutes to a year, or 0 for never", () => {
    expect(loadConfig({ DATA_DIR: dataDir }).reservations).toEqual({ maxSharePercent: 50, maxUnits: 500, pendingTtlMinutes: 2880 });
    expect(loadConfig({ DATA_DIR: dataDir, PENDING_ORDER_TTL_MINUTES: "0" }).reservations.pendingTtlMinutes).toBe(0);
    expect(() => loadConfig({ DATA_DIR: dataDir, PENDING_ORDER_TTL_MINUTES: "3" })).toThrow(/0 \(never\) or between 5 and 525600/);
  });

  it("takes EXPORTER_COUNTRY as an ISO 3166 alpha-2 code, IN by default", () => {
    expect(loadConfig({ DATA_DIR: dataDir }).exporterCountry).toBe("IN");
    expect(loadConfig({ DATA_DIR: dataDir, EXPORTER_COUNTRY: " th " }).exporterCountry).toBe("TH");
    expect(() => loadConfig({ DATA_DIR: dataDir, EXPORTER_COUNTRY: "XX" })).toThrow(/EXPORTER_COUNTRY must be an ISO 3166 alpha-2 country code/);
  });

  it("takes EXPORTER_TIME_ZONE as an IANA time zone name, Asia/Kolkata by default", () => {
    expect(loadConfig({ DATA_DIR: dataDir }).exporterTimeZone).toBe("Asia/Kolkata");
    expect(loadConfig({ DATA_DIR: dataDir, EXPORTER_TIME_ZONE: " Asia/Bangkok " }).exporterTimeZone).toBe("Asia/Bangkok");
    expect(loadConfig({ DATA_DIR: dataDir, EXPORTER_TIME_ZONE: "UTC" }).exporterTimeZone).toBe("UTC");
    // An offset is no zone: PostgreSQL would read "+05:30" with the POSIX sign, the other way round.
    for (const zone of ["Asia/Mumbai", "+05:30", "IST; DROP TABLE holidays", "Asia/../Kolkata"]) {
      expect(() => loadConfig({ DATA_DIR: dataDir, EXPORTER_TIME_ZONE: zone })).toThrow(ConfigError);
    }
  });

  it("takes EXPORTER_WEEKEND_DAYS as day names, by default the exporter's country's", () => {
    expect(loadConfig({ DATA_DIR: dataDir }).exporterWeekendDays).toEqual([7]);
    expect(loadConfig({ DATA_DIR: dataDir, EXPORTER_COUNTRY: "TH" }).exporterWeekendDays).toEqual([6, 7]);
    expect(loadConfig({ DATA_DIR: dataDir, EXPORTER_WEEKEND_DAYS: "sun, sat" }).exporterWeekendDays).toEqual([6, 7]);
    expect(loadConfig({ DATA_DIR: dataDir, EXPORTER_WEEKEND_DAYS: "FRI" }).exporterWeekendDays).toEqual([5]);
    expect(loadConfig({ DATA_DIR: dataDir, EXPORTER_WEEKEND_DAYS: "NONE" }).exporterWeekendDays).toEqual([]);
    for (const days of ["SUNDAY", "SAT,SAT", "XYZ", "MON,TUE,WED,THU,FRI,SAT,SUN"]) {
      expect(() => loadConfig({ DATA_DIR: dataDir, EXPORTER_WEEKEND_DAYS: days })).toThrow(/EXPORTER_WEEKEND_DAYS must be/);
    }
  });
});
