import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";
import jwt from "jsonwebtoken";
import { UserRole } from "../src/graphql/access";
import { User } from "../src/modules/accounts";
import { LoginDocument, ViewerRoleDocument } from "./generated/graphql";
import { createDistributor, createUser, TEST_PASSWORD, userToken } from "./support/factories";
import { startFacet, TEST_JWT_SECRET, type GraphQLResult, type TestFacet } from "./support/harness";

let facet: TestFacet;
beforeAll(async () => {
  facet = await startFacet();
});
afterAll(() => facet.stop());

async function post<TData, TVars>(document: TypedDocumentNode<TData, TVars>, variables: TVars, authorization?: string) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (authorization !== undefined) headers.authorization = authorization;
  const response = await fetch(await facet.url("/graphql"), { method: "POST", headers, body: JSON.stringify({ query: print(document), variables }) });
  return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResult<TData> };
}

const viewerRole = (authorization?: string) => post(ViewerRoleDocument, {}, authorization);

const now = () => Math.floor(Date.now() / 1000);
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

async function buyer(): Promise<User> {
  return createUser(facet.dataSource, { distributor: await createDistributor(facet.dataSource), role: UserRole.BUYER });
}

/** A user token as Facet would sign it, with one thing changed. */
function forge(user: User, { secret = TEST_JWT_SECRET, ...claims }: Record<string, unknown> & { secret?: string } = {}): string {
  const payload: Record<string, unknown> = { typ: "user", sub: user.id, iss: "facet", aud: "facet-api", iat: now(), exp: now() + facet.config.jwt.accessTokenTtlSeconds, ...claims };
  for (const key of Object.keys(payload)) if (payload[key] === undefined) delete payload[key];
  return jwt.sign(payload, secret, { algorithm: "HS256" });
}

async function expectRefused(authorization: string, message = "The access token is invalid, expired or revoked") {
  const { status, headers, body } = await viewerRole(authorization);
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
    expect(body).toEqual({ data: { viewer: { role: "BUYER" } }, extensions: { rateLimit: { cost: 1, limit: 20000, remaining: expect.any(Number), restoreRate: 1000 } } });
  });

  it("accepts a hand-signed token with Facet's claims, so the refusals below are about the one claim changed", async () => {
    const { status, body } = await viewerRole(`Bearer ${forge(await buyer())}`);
    expect(status).toBe(200);
    expect(body).toEqual({ data: { viewer: { role: "BUYER" } }, extensions: { rateLimit: { cost: 1, limit: 20000, remaining: expect.any(Number), restoreRate: 1000 } } });
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
    const payload = { typ: "user", sub: user.id, iss: "facet", aud: "facet-api", iat: now(), exp: now() + 3600 };
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

  it("without a token, refuses viewer through the authorization checker but lets login through", async () => {
    const anonymous = await viewerRole();
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toBe('Bearer realm="facet"');
    expect(anonymous.body.data).toBeNull();
    expect(anonymous.body.errors).toHaveLength(1);
    expect(anonymous.body.errors![0]).toMatchObject({ path: ["viewer"], extensions: { code: "UNAUTHENTICATED" } });

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
