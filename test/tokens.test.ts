import { createHmac, generateKeyPairSync } from "node:crypto";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";
import jwt from "jsonwebtoken";
import { ApiScope, UserRole } from "../src/core/access";
import { toGlobalId } from "../src/graphql/node";
import { User } from "../src/modules/accounts";
import { signAccessToken, verifyAccessToken } from "../src/modules/accounts/access-token";
import { ClientViewerDocument, CreateUserDocument, LoginDocument, RevokeApiClientDocument, RotateApiClientSecretDocument, ViewerDocument, ViewerRoleDocument } from "./generated/graphql";
import { clientToken, createApiClient, createDistributor, createUser, TEST_PASSWORD, userToken } from "./support/factories";
import { ok, startFacet, TEST_JWT_SECRET, type GraphQLResult, type TestFacet } from "./support/harness";

let facet: TestFacet;
beforeAll(async () => {
  facet = await startFacet();
});
afterAll(() => facet.stop());

async function post<TData, TVars>(document: TypedDocumentNode<TData, TVars>, variables: TVars, authorization?: string, on: TestFacet = facet) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (authorization !== undefined) headers.authorization = authorization;
  const response = await fetch(await on.url("/graphql"), { method: "POST", headers, body: JSON.stringify({ query: print(document), variables }) });
  return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResult<TData> };
}

const viewerRole = (authorization?: string, on: TestFacet = facet) => post(ViewerRoleDocument, {}, authorization, on);

const now = () => Math.floor(Date.now() / 1000);
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

async function buyer(): Promise<User> {
  return createUser(facet.dataSource, { distributor: await createDistributor(facet.dataSource), role: UserRole.BUYER });
}

/** A user token as Facet would sign it, with one thing changed. */
function forge(user: User, { secret = TEST_JWT_SECRET, ...claims }: Record<string, unknown> & { secret?: string } = {}): string {
  const payload: Record<string, unknown> = { typ: "user", sub: user.id, tv: 1, iss: "facet", aud: "facet-api", iat: now(), exp: now() + facet.config.jwt.accessTokenTtlSeconds, ...claims };
  for (const key of Object.keys(payload)) if (payload[key] === undefined) delete payload[key];
  return jwt.sign(payload, secret, { algorithm: "HS256" });
}

async function expectRefused(authorization: string, message = "The access token is invalid, expired or revoked", on: TestFacet = facet) {
  const { status, headers, body } = await viewerRole(authorization, on);
  expect(status).toBe(401);
  expect(headers.get("www-authenticate")).toBe('Bearer realm="facet"');
  expect(body).toEqual({ errors: [{ message, extensions: { code: "UNAUTHENTICATED" } }] });
  expect(body).not.toHaveProperty("data");
}

describe("bearer tokens over HTTP", () => {
  it("accepts a token Facet issued", async () => {
    const user = await buyer();
    const { status, body } = await viewerRole(`Bearer ${userToken(facet.config, user)}`);
    expect(status).toBe(200);
    expect(body).toEqual({ data: { viewer: { role: "BUYER" } }, extensions: { rateLimit: { requestedCost: 1, cost: 1, limit: 20000, remaining: expect.any(Number), restoreRate: 1000 } } });
  });

  it("accepts a hand-signed token with Facet's claims, so the refusals below are about the one claim changed", async () => {
    const { status, body } = await viewerRole(`Bearer ${forge(await buyer())}`);
    expect(status).toBe(200);
    expect(body).toEqual({ data: { viewer: { role: "BUYER" } }, extensions: { rateLimit: { requestedCost: 1, cost: 1, limit: 20000, remaining: expect.any(Number), restoreRate: 1000 } } });
  });

  it("refuses an expired token", async () => {
    await expectRefused(`Bearer ${forge(await buyer(), { iat: now() - 3600, exp: now() - 60 })}`);
  });

  it("still accepts a token expired by less than the clock tolerance", async () => {
    const { status } = await viewerRole(`Bearer ${forge(await buyer(), { iat: now() - 3600, exp: now() - 5 })}`);
    expect(status).toBe(200);
  });

  it("refuses a token signed with another secret", async () => {
    await expectRefused(`Bearer ${forge(await buyer(), { secret: "another-secret-that-is-long-enough-for-hs256-xyz" })}`);
  });

  it("refuses a token for another audience", async () => {
    await expectRefused(`Bearer ${forge(await buyer(), { aud: "some-other-api" })}`);
  });

  it("refuses a token from another issuer", async () => {
    await expectRefused(`Bearer ${forge(await buyer(), { iss: "someone-else" })}`);
  });

  it("refuses an unsigned token (alg none)", async () => {
    const user = await buyer();
    const payload = { typ: "user", sub: user.id, tv: 1, iss: "facet", aud: "facet-api", iat: now(), exp: now() + 3600 };
    await expectRefused(`Bearer ${base64url({ alg: "none", typ: "JWT" })}.${base64url(payload)}.`);
  });

  it("refuses a token without exp", async () => {
    await expectRefused(`Bearer ${forge(await buyer(), { exp: undefined })}`);
  });

  it("refuses a token whose lifetime exceeds the configured TTL", async () => {
    const ttl = facet.config.jwt.accessTokenTtlSeconds;
    await expectRefused(`Bearer ${forge(await buyer(), { iat: now(), exp: now() + ttl + 120 })}`);
  });

  it("refuses a valid token once its user is deactivated", async () => {
    const user = await buyer();
    const authorization = `Bearer ${userToken(facet.config, user)}`;
    expect((await viewerRole(authorization)).status).toBe(200);
    await facet.dataSource.manager.update(User, { id: user.id }, { active: false, deactivatedAt: new Date() });
    await expectRefused(authorization);
  });

  it("refuses an Authorization header that is not a bearer token", async () => {
    await expectRefused("Token abc", "The Authorization header must be 'Bearer <access token>'");
  });

  it("without a token, refuses viewer before it runs but lets login through", async () => {
    const anonymous = await viewerRole();
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toBe('Bearer realm="facet"');
    expect(anonymous.body.data).toBeUndefined();
    expect(anonymous.body.errors).toHaveLength(1);
    expect(anonymous.body.errors![0]).toMatchObject({ extensions: { code: "UNAUTHENTICATED" } });

    const user = await buyer();
    const { status, body } = await post(LoginDocument, { input: { email: user.email, password: TEST_PASSWORD } });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data?.login.userErrors).toEqual([]);
    expect(body.data?.login.user?.email).toBe(user.email);
    const { body: viewer } = await viewerRole(`Bearer ${body.data!.login.accessToken}`);
    expect(viewer).toEqual({ data: { viewer: { role: "BUYER" } }, extensions: { rateLimit: expect.objectContaining({ cost: 1 }) } });
  });
});

describe("a token verified once", () => {
  afterEach(() => jest.restoreAllMocks());

  it("is not verified again while it lasts, and is refused once it expires", async () => {
    const token = forge(await buyer(), { iat: now(), exp: now() + 60 });
    const claims = verifyAccessToken(facet.config, token);
    expect(claims).toMatchObject({ typ: "user", tv: 1 });
    const verify = jest.spyOn(jwt, "verify");
    expect(verifyAccessToken(facet.config, token)).toBe(claims);
    expect(verify).not.toHaveBeenCalled();

    // Expired as jsonwebtoken counts it: from exp plus the 30 s clock tolerance on.
    const exp = (jwt.decode(token) as { exp: number }).exp;
    jest.spyOn(Date, "now").mockReturnValue((exp + 29) * 1000);
    expect(verifyAccessToken(facet.config, token)).toBe(claims);
    jest.spyOn(Date, "now").mockReturnValue((exp + 30) * 1000);
    expect(verifyAccessToken(facet.config, token)).toBeNull();
    jest.spyOn(Date, "now").mockReturnValue((exp + 29) * 1000);
    expect(verifyAccessToken(facet.config, token)).toMatchObject({ typ: "user" });
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it("lends nothing to a token that differs from it in its signature, or to another configuration", async () => {
    const token = forge(await buyer());
    expect(verifyAccessToken(facet.config, token)).not.toBeNull();
    const [header, payload, signature] = token.split(".");
    const flipped = `${signature.slice(0, -2)}${signature.at(-2) === "A" ? "B" : "A"}${signature.at(-1)}`;
    expect(verifyAccessToken(facet.config, `${header}.${payload}.${flipped}`)).toBeNull();
    const other = { ...facet.config, jwt: { ...facet.config.jwt, verifyingKey: "another-secret-that-is-long-enough-for-hs256-xyz" } };
    expect(verifyAccessToken(other, token)).toBeNull();
  });

  it("keeps at most 10,000 tokens, forgetting the oldest first", async () => {
    const user = await buyer();
    const first = forge(user, { jti: "first" });
    expect(verifyAccessToken(facet.config, first)).not.toBeNull();
    for (let i = 0; i < 10_000; i++) expect(verifyAccessToken(facet.config, forge(user, { jti: `t${i}` }))).not.toBeNull();
    const verify = jest.spyOn(jwt, "verify");
    const last = forge(user, { jti: "t9999" });
    expect(verifyAccessToken(facet.config, last)).not.toBeNull();
    expect(verify).not.toHaveBeenCalled();
    expect(verifyAccessToken(facet.config, first)).not.toBeNull();
    expect(verify).toHaveBeenCalledTimes(1);
  });
});

/** A JWT put together by hand: any header, any payload, any signature. */
function handmade(header: object, payload: object, sign: (input: string) => string): string {
  const input = `${base64url(header)}.${base64url(payload)}`;
  return `${input}.${sign(input)}`;
}

const hmac = (key: string | Buffer) => (input: string) => createHmac("sha256", key).update(input).digest("base64url");

function claimsFor(user: User, ttl = facet.config.jwt.accessTokenTtlSeconds): Record<string, unknown> {
  return { typ: "user", sub: user.id, tv: 1, iss: "facet", aud: "facet-api", iat: now(), exp: now() + ttl };
}

/** A genuine token with its payload swapped for another, keeping the original signature. */
function tampered(token: string, change: (payload: Record<string, unknown>) => Record<string, unknown>): string {
  const [header, payload, signature] = token.split(".");
  const changed = change(JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>);
  return `${header}.${base64url(changed)}.${signature}`;
}

describe("forged and altered tokens", () => {
  it("refuses a genuine token whose payload was changed, keeping the original signature", async () => {
    const user = await buyer();
    const staff = await createUser(facet.dataSource, { role: UserRole.EXPORT_MANAGER });
    const token = userToken(facet.config, user);
    expect((await viewerRole(`Bearer ${token}`)).status).toBe(200);
    await expectRefused(`Bearer ${tampered(token, (p) => ({ ...p, sub: staff.id }))}`);
    await expectRefused(`Bearer ${tampered(token, (p) => ({ ...p, role: UserRole.EXPORT_MANAGER }))}`);
    await expectRefused(`Bearer ${tampered(token, (p) => ({ ...p, exp: (p.exp as number) + 86_400 }))}`);
    await expectRefused(`Bearer ${tampered(token, (p) => ({ ...p, typ: "client", scope: "orders:read", sv: 1 }))}`);
  });

  it("refuses a token signed with the right secret but another HMAC algorithm than Facet's HS256", async () => {
    const user = await buyer();
    await expectRefused(`Bearer ${jwt.sign(claimsFor(user), TEST_JWT_SECRET, { algorithm: "HS512" })}`);
    await expectRefused(`Bearer ${jwt.sign(claimsFor(user), TEST_JWT_SECRET, { algorithm: "HS384" })}`);
  });

  it("refuses an RS256 token offered to a Facet that signs with HS256", async () => {
    const user = await buyer();
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    await expectRefused(`Bearer ${jwt.sign(claimsFor(user), privateKey, { algorithm: "RS256" })}`);
  });

  it("refuses a token with an empty signature or one that is not yet valid", async () => {
    const user = await buyer();
    const [header, payload] = jwt.sign(claimsFor(user), TEST_JWT_SECRET, { algorithm: "HS256" }).split(".");
    await expectRefused(`Bearer ${header}.${payload}.`);
    await expectRefused(`Bearer ${forge(user, { nbf: now() + 3600 })}`);
    await expectRefused(`Bearer ${handmade({ alg: "HS256", typ: "JWT" }, claimsFor(user), hmac(""))}`);
  });

  it("ignores key hints in the header: kid and jku pointing elsewhere change nothing", async () => {
    const user = await buyer();
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const attacker = jwt.sign(claimsFor(user), privateKey, { algorithm: "RS256", keyid: "../../../dev/null", header: { alg: "RS256", jku: "https://evil.example/jwks.json" } });
    await expectRefused(`Bearer ${attacker}`);
    await expectRefused(`Bearer ${handmade({ alg: "HS256", typ: "JWT", kid: "/dev/null" }, claimsFor(user), hmac(""))}`);
  });
});

describe("a Facet that signs with RS256 (JWT_PRIVATE_KEY)", () => {
  let rsa: TestFacet;
  let publicKeyPem: string;
  beforeAll(async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    publicKeyPem = publicKey.export({ type: "spki", format: "pem" }).toString();
    rsa = await startFacet({ JWT_PRIVATE_KEY: privateKey.export({ type: "pkcs8", format: "pem" }).toString() });
  });
  afterAll(() => rsa.stop());

  const rsaBuyer = async () => createUser(rsa.dataSource, { distributor: await createDistributor(rsa.dataSource) });

  it("accepts the tokens it issued", async () => {
    const user = await rsaBuyer();
    const { token } = signAccessToken(rsa.config, { typ: "user", sub: user.id, tv: 1 });
    expect(jwt.decode(token, { complete: true })?.header.alg).toBe("RS256");
    const { status, body } = await viewerRole(`Bearer ${token}`, rsa);
    expect(status).toBe(200);
    expect(body.data).toEqual({ viewer: { role: "BUYER" } });
  });

  it("refuses algorithm confusion: an HS256 token keyed with its own public key", async () => {
    const user = await rsaBuyer();
    // The classic attack: the verifier's public key is no secret, so a verifier that let the
    // token pick HS256 would check the HMAC with the public key and accept it.
    for (const key of [publicKeyPem, publicKeyPem.trim(), Buffer.from(publicKeyPem)]) {
      await expectRefused(`Bearer ${handmade({ alg: "HS256", typ: "JWT" }, claimsFor(user), hmac(key))}`, undefined, rsa);
    }
  });

  it("refuses an HS256 token signed with the HS256 secret it would use without a private key", async () => {
    const user = await rsaBuyer();
    await expectRefused(`Bearer ${jwt.sign(claimsFor(user), TEST_JWT_SECRET, { algorithm: "HS256" })}`, undefined, rsa);
  });

  it("refuses an RS256 token signed with another key, and an unsigned one", async () => {
    const user = await rsaBuyer();
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    await expectRefused(`Bearer ${jwt.sign(claimsFor(user), privateKey, { algorithm: "RS256" })}`, undefined, rsa);
    await expectRefused(`Bearer ${base64url({ alg: "none", typ: "JWT" })}.${base64url(claimsFor(user))}.`, undefined, rsa);
  });

  it("refuses a genuine RS256 token whose payload was changed", async () => {
    const user = await rsaBuyer();
    const other = await rsaBuyer();
    const { token } = signAccessToken(rsa.config, { typ: "user", sub: user.id, tv: 1 });
    await expectRefused(`Bearer ${tampered(token, (p) => ({ ...p, sub: other.id }))}`, undefined, rsa);
  });
});

describe("tokens of API clients", () => {
  it("stop working the moment the client is revoked", async () => {
    const distributor = await createDistributor(facet.dataSource);
    const admin = userToken(facet.config, await createUser(facet.dataSource, { distributor, role: UserRole.DISTRIBUTOR_ADMIN }));
    const { client } = await createApiClient(facet.dataSource, distributor);
    const token = clientToken(facet.config, client);
    expect((await viewerRole(`Bearer ${token}`)).body.data).toEqual({ viewer: { role: null } });
    const revoked = ok(await facet.gql(RevokeApiClientDocument, { input: { id: toGlobalId("ApiClient", client.id) } }, { token: admin }));
    expect(revoked.revokeApiClient.userErrors).toEqual([]);
    await expectRefused(`Bearer ${token}`);
  });

  it("stop working when the client's secret is rotated, and a raised secret version does not revive them", async () => {
    const distributor = await createDistributor(facet.dataSource);
    const admin = userToken(facet.config, await createUser(facet.dataSource, { distributor, role: UserRole.DISTRIBUTOR_ADMIN }));
    const { client } = await createApiClient(facet.dataSource, distributor);
    const token = clientToken(facet.config, client);
    expect((await viewerRole(`Bearer ${token}`)).status).toBe(200);
    const rotated = ok(await facet.gql(RotateApiClientSecretDocument, { input: { id: toGlobalId("ApiClient", client.id) } }, { token: admin }));
    expect(rotated.rotateApiClientSecret.userErrors).toEqual([]);
    await expectRefused(`Bearer ${token}`);
    await expectRefused(`Bearer ${tampered(token, (p) => ({ ...p, sv: (p.sv as number) + 1 }))}`);
  });

  it("carry only the scopes the client still has", async () => {
    const distributor = await createDistributor(facet.dataSource);
    const { client } = await createApiClient(facet.dataSource, distributor, { scopes: [ApiScope.CATALOG_READ] });
    // A token naming more scopes than the client was granted, signed by Facet: the extra ones count for nothing.
    const token = clientToken(facet.config, client, ["catalog:read", "orders:read", "orders:write"]);
    const { body } = await post(ClientViewerDocument, {}, `Bearer ${token}`);
    expect(body.data?.viewer!.scopes).toEqual(["CATALOG_READ"]);
  });
});

describe("a request's caller", () => {
  const raw = async (query: string, authorization: string) => {
    const response = await fetch(await facet.url("/graphql"), { method: "POST", headers: { "content-type": "application/json", authorization }, body: JSON.stringify({ query }) });
    return { status: response.status, body: (await response.json()) as GraphQLResult<Record<string, unknown>> };
  };
  const CALLER = /FROM users u WHERE u\.id = \$1 AND u\.active AND u\.token_version = \$2/;

  it("is read afresh, with its connection's scope, in the request's first statement, every time and only once", async () => {
    const token = userToken(facet.config, await buyer());
    for (let again = 0; again < 2; again++) {
      const sent = await facet.statements.during(async () => ok(await facet.gql(ViewerDocument, {}, { token })));
      expect(sent[0].query).toMatch(CALLER);
      expect(sent[0].query).toContain("set_config('role', 'facet_rls', false)");
      expect(sent.filter((s) => CALLER.test(s.query))).toHaveLength(1);
    }
  });

  it("is answered as the account now is when it changed since", async () => {
    const user = await buyer();
    const authorization = `Bearer ${userToken(facet.config, user)}`;
    expect((await viewerRole(authorization)).body.data).toEqual({ viewer: { role: "BUYER" } });
    await facet.dataSource.query(`UPDATE users SET role = 'DISTRIBUTOR_ADMIN' WHERE id = $1`, [user.id]);
    const { status, body } = await viewerRole(authorization);
    expect(status).toBe(200);
    expect(body.data).toEqual({ viewer: { role: "DISTRIBUTOR_ADMIN" } });
  });

  it("is refused once deactivated, also for a request that needs no statement of its own", async () => {
    const user = await buyer();
    const authorization = `Bearer ${userToken(facet.config, user)}`;
    expect(await raw("{ __typename }", authorization)).toEqual({ status: 200, body: { data: { __typename: "Query" }, extensions: expect.anything() } });
    const sent = await facet.statements.during(() => raw("{ __typename }", authorization));
    // The caller and its scope, then the scope's reset as the connection goes back.
    expect(sent.map((s) => s.query)).toEqual([expect.stringMatching(CALLER), expect.stringContaining("set_config('role', 'none', false)")]);
    await facet.dataSource.query(`UPDATE users SET active = false WHERE id = $1`, [user.id]);
    expect(await raw("{ __typename }", authorization)).toEqual({
      status: 401,
      body: { errors: [{ message: "The access token is invalid, expired or revoked", extensions: { code: "UNAUTHENTICATED" } }] },
    });
  });

  it("runs nothing of the operation once deactivated: the caller is read before it starts", async () => {
    const distributor = await createDistributor(facet.dataSource);
    const admin = await createUser(facet.dataSource, { distributor, role: UserRole.DISTRIBUTOR_ADMIN });
    const authorization = `Bearer ${userToken(facet.config, admin)}`;
    expect((await viewerRole(authorization)).body.data).toEqual({ viewer: { role: "DISTRIBUTOR_ADMIN" } });
    await facet.dataSource.query(`UPDATE users SET active = false WHERE id = $1`, [admin.id]);
    const email = `after-deactivation-${admin.id}@example.com`;
    const sent = await facet.statements.during(async () => {
      const { status, body } = await post(CreateUserDocument, { input: { email, name: "Never Made", password: TEST_PASSWORD, role: UserRole.BUYER } }, authorization);
      expect(status).toBe(401);
      expect(body).toEqual({ errors: [{ message: "The access token is invalid, expired or revoked", extensions: { code: "UNAUTHENTICATED" } }] });
    });
    expect(sent.map((s) => s.query)).toEqual([expect.stringMatching(CALLER)]);
    expect(await facet.dataSource.query(`SELECT id FROM users WHERE email = $1`, [email])).toEqual([]);
  });

  it("keeps only the scopes its client still has, when they were narrowed since", async () => {
    const distributor = await createDistributor(facet.dataSource);
    const { client } = await createApiClient(facet.dataSource, distributor, { scopes: [ApiScope.CATALOG_READ, ApiScope.ORDERS_READ] });
    const authorization = `Bearer ${clientToken(facet.config, client, ["catalog:read", "orders:read"])}`;
    expect((await post(ClientViewerDocument, {}, authorization)).body.data?.viewer!.scopes).toEqual(["CATALOG_READ", "ORDERS_READ"]);
    await facet.dataSource.query(`UPDATE api_clients SET scopes = '{catalog:read}' WHERE id = $1`, [client.id]);
    expect((await post(ClientViewerDocument, {}, authorization)).body.data?.viewer!.scopes).toEqual(["CATALOG_READ"]);
  });
});
