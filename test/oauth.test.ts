import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";
import { ApiScope } from "../src/core/access";
import { ApiClient } from "../src/modules/accounts";
import { ClientViewerDocument, RotateApiClientSecretDocument } from "./generated/graphql";
import { createApiClient, createDistributor, twoTenants } from "./support/factories";
import { ok, startFacet, type GraphQLResult, type TestFacet } from "./support/harness";

let facet: TestFacet;
beforeAll(async () => {
  facet = await startFacet();
});
afterAll(() => facet.stop());

interface TokenResponse {
  access_token?: string;
  token_type?: string;
  expires_in?: number;
  scope?: string;
  error?: string;
  error_description?: string;
}

// RFC 6749 §2.3.1: each part is application/x-www-form-urlencoded before it goes into Basic.
const formEncode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);
const basic = (clientId: string, secret: string) => `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(secret)}`).toString("base64")}`;

async function requestToken(form: Record<string, string>, authorization?: string) {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (authorization !== undefined) headers.authorization = authorization;
  const response = await fetch(await facet.url("/oauth/token"), { method: "POST", headers, body: new URLSearchParams(form).toString() });
  return { status: response.status, headers: response.headers, body: (await response.json()) as TokenResponse };
}

const withBasic = (clientId: string, secret: string, form: Record<string, string> = {}) =>
  requestToken({ grant_type: "client_credentials", ...form }, basic(clientId, secret));
const withBody = (clientId: string, secret: string, form: Record<string, string> = {}) =>
  requestToken({ grant_type: "client_credentials", client_id: clientId, client_secret: secret, ...form });

async function tokenFor(clientId: string, secret: string, form: Record<string, string> = {}): Promise<string> {
  const { status, body } = await withBasic(clientId, secret, form);
  expect(status).toBe(200);
  return body.access_token!;
}

async function post<TData, TVars>(document: TypedDocumentNode<TData, TVars>, variables: TVars, token: string) {
  const response = await fetch(await facet.url("/graphql"), {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: print(document), variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResult<TData> };
}

const clientViewer = (token: string) => post(ClientViewerDocument, {}, token);

async function expectTokenRefusedOnGraphQL(token: string) {
  const { status, body } = await clientViewer(token);
  expect(status).toBe(401);
  expect(body).toEqual({ errors: [{ message: "The access token is invalid, expired or revoked", extensions: { code: "UNAUTHENTICATED" } }] });
}

const INVALID_CLIENT = { error: "invalid_client", error_description: "Client authentication failed" };
const BASIC_CHALLENGE = 'Basic realm="facet", charset="UTF-8"';

async function readClient(scopes: ApiScope[] = [ApiScope.CATALOG_READ, ApiScope.ORDERS_READ]) {
  const distributor = await createDistributor(facet.dataSource);
  // Characters that §2.3.1's form encoding changes, so a server that skips decoding fails.
  const { client, secret } = await createApiClient(facet.dataSource, distributor, { scopes, secret: `s3cret: with+plus/%25 and é ${Date.now()}` });
  return { distributor, client, secret };
}

describe("POST /oauth/token", () => {
  it("issues a bearer token to a client authenticating with HTTP Basic", async () => {
    const { distributor, client, secret } = await readClient();
    const { status, headers, body } = await withBasic(client.clientId, secret);
    expect(status).toBe(200);
    expect(headers.get("cache-control")).toBe("no-store");
    expect(headers.get("pragma")).toBe("no-cache");
    expect(body).toEqual({ access_token: expect.any(String), token_type: "Bearer", expires_in: facet.config.jwt.accessTokenTtlSeconds, scope: "catalog:read orders:read" });

    const viewer = await clientViewer(body.access_token!);
    expect(viewer.status).toBe(200);
    expect(ok(viewer.body).viewer).toEqual({ scopes: ["CATALOG_READ", "ORDERS_READ"], apiClient: { clientId: client.clientId }, distributor: { code: distributor.code } });
  });

  it("issues a bearer token to a client sending its credentials in the form body", async () => {
    const { distributor, client, secret } = await readClient();
    const { status, headers, body } = await withBody(client.clientId, secret);
    expect(status).toBe(200);
    expect(headers.get("cache-control")).toBe("no-store");
    expect(body).toEqual({ access_token: expect.any(String), token_type: "Bearer", expires_in: facet.config.jwt.accessTokenTtlSeconds, scope: "catalog:read orders:read" });
    expect(ok((await clientViewer(body.access_token!)).body).viewer).toEqual({
      scopes: ["CATALOG_READ", "ORDERS_READ"],
      apiClient: { clientId: client.clientId },
      distributor: { code: distributor.code },
    });
  });

  it("issues the demo ERP client a token with all eight scopes", async () => {
    const { status, body } = await withBasic("erp-atelier-paris", "facet-demo-erp-secret");
    expect(status).toBe(200);
    expect(body.scope!.split(" ").sort()).toEqual([...Object.values(ApiScope)].sort());
    expect(body.scope!.split(" ")).toHaveLength(8);
    expect(ok((await clientViewer(body.access_token!)).body).viewer).toEqual({
      scopes: ["CATALOG_READ", "ORDERS_READ", "ORDERS_WRITE", "BRIEFS_READ", "BRIEFS_WRITE", "SHIPMENTS_READ", "FEEDBACK_WRITE", "WEBHOOKS_WRITE"],
      apiClient: { clientId: "erp-atelier-paris" },
      distributor: { code: "atelier-paris" },
    });
  });

  it("refuses a bad secret and an unknown client id with the same answer", async () => {
    const { client, secret } = await readClient();
    const badSecret = await withBasic(client.clientId, `${secret}x`);
    expect(badSecret.status).toBe(401);
    expect(badSecret.headers.get("www-authenticate")).toBe(BASIC_CHALLENGE);
    expect(badSecret.headers.get("cache-control")).toBe("no-store");
    expect(badSecret.body).toEqual(INVALID_CLIENT);

    const unknown = await withBasic("no-such-client", secret);
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get("www-authenticate")).toBe(BASIC_CHALLENGE);
    expect(unknown.body).toEqual(INVALID_CLIENT);

    const badSecretInBody = await withBody(client.clientId, "wrong");
    expect(badSecretInBody.status).toBe(401);
    expect(badSecretInBody.body).toEqual(INVALID_CLIENT);
  });

  it("refuses a revoked client, and its earlier tokens stop working", async () => {
    const { client, secret } = await readClient();
    const token = await tokenFor(client.clientId, secret);
    expect((await clientViewer(token)).status).toBe(200);

    await facet.dataSource.manager.update(ApiClient, { id: client.id }, { revokedAt: new Date() });
    const refused = await withBasic(client.clientId, secret);
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual(INVALID_CLIENT);
    await expectTokenRefusedOnGraphQL(token);
  });

  it("refuses a scope the client was not granted", async () => {
    const { client, secret } = await readClient();
    const { status, headers, body } = await withBasic(client.clientId, secret, { scope: "catalog:read orders:write" });
    expect(status).toBe(400);
    expect(headers.get("cache-control")).toBe("no-store");
    expect(body).toEqual({ error: "invalid_scope", error_description: "Scope not granted to this client: orders:write" });
  });

  it("refuses an unknown scope", async () => {
    const { client, secret } = await readClient();
    const { status, body } = await withBasic(client.clientId, secret, { scope: "catalog:read catalog:everything" });
    expect(status).toBe(400);
    expect(body).toEqual({ error: "invalid_scope", error_description: "Unknown scope: catalog:everything" });
  });

  it("narrows the token to a requested subset of the client's scopes", async () => {
    const { client, secret } = await readClient([ApiScope.CATALOG_READ, ApiScope.ORDERS_READ, ApiScope.ORDERS_WRITE]);
    const { status, body } = await withBasic(client.clientId, secret, { scope: "orders:read catalog:read" });
    expect(status).toBe(200);
    expect(body.scope).toBe("orders:read catalog:read");
    expect(ok((await clientViewer(body.access_token!)).body).viewer!.scopes).toEqual(["CATALOG_READ", "ORDERS_READ"]);
  });

  it("requires grant_type", async () => {
    const { client, secret } = await readClient();
    const { status, headers, body } = await requestToken({}, basic(client.clientId, secret));
    expect(status).toBe(400);
    expect(headers.get("cache-control")).toBe("no-store");
    expect(body).toEqual({ error: "invalid_request", error_description: "grant_type is required" });
  });

  it("supports only the client credentials grant", async () => {
    const { client, secret } = await readClient();
    const { status, body } = await requestToken({ grant_type: "password", username: "a@b.example", password: "x" }, basic(client.clientId, secret));
    expect(status).toBe(400);
    expect(body).toEqual({ error: "unsupported_grant_type", error_description: "Only grant_type=client_credentials is supported" });
  });

  it("asks for client authentication when none is sent", async () => {
    const { status, headers, body } = await requestToken({ grant_type: "client_credentials" });
    expect(status).toBe(401);
    expect(headers.get("www-authenticate")).toBe(BASIC_CHALLENGE);
    expect(body).toEqual({ error: "invalid_client", error_description: "Client authentication is required" });
  });

  it("refuses credentials sent both with HTTP Basic and in the body", async () => {
    const { client, secret } = await readClient();
    const { status, body } = await withBasic(client.clientId, secret, { client_id: client.clientId, client_secret: secret });
    expect(status).toBe(400);
    expect(body).toEqual({ error: "invalid_request", error_description: "Authenticate with HTTP Basic or with client_id and client_secret, not both" });
  });

  it("after secret rotation, refuses the old secret and its tokens and accepts the new one", async () => {
    const { a } = await twoTenants(facet.dataSource, facet.config);
    const before = await tokenFor(a.client.clientId, a.secret);
    expect((await clientViewer(before)).status).toBe(200);

    const { rotateApiClientSecret: rotated } = ok(await facet.gql(RotateApiClientSecretDocument, { input: { id: a.ids.client } }, { token: a.tokens.admin }));
    expect(rotated.userErrors).toEqual([]);
    expect(rotated.apiClient?.id).toBe(a.ids.client);
    const newSecret = rotated.clientSecret!;
    expect(newSecret).not.toBe(a.secret);

    const old = await withBasic(a.client.clientId, a.secret);
    expect(old.status).toBe(401);
    expect(old.body).toEqual(INVALID_CLIENT);

    const after = await tokenFor(a.client.clientId, newSecret);
    expect(ok((await clientViewer(after)).body).viewer).toEqual({
      scopes: ["CATALOG_READ", "ORDERS_READ", "ORDERS_WRITE", "BRIEFS_READ", "BRIEFS_WRITE", "SHIPMENTS_READ", "FEEDBACK_WRITE", "WEBHOOKS_WRITE"],
      apiClient: { clientId: a.client.clientId },
      distributor: { code: a.distributor.code },
    });
    await expectTokenRefusedOnGraphQL(before);
    await expectTokenRefusedOnGraphQL(a.tokens.client);
  });
});
