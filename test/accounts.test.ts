import { randomUUID } from "node:crypto";
import type { GraphQLObjectType } from "graphql";
import { ApiScope, UserRole } from "../src/core/access";
import { toGlobalId } from "../src/graphql/node";
import { buildFacetSchema } from "../src/server/schema";
import {
  CreateApiClientDocument,
  CreateUserDocument,
  DeactivateUserDocument,
  DistributorMembersDocument,
  DistributorsDocument,
  LoginDocument,
  ManagedApiClientDocument,
  ManagedUserDocument,
  NodesDocument,
  ReactivateUserDocument,
  RevokeApiClientDocument,
  RotateApiClientSecretDocument,
  ViewerMembersDocument,
  ViewerPersonDocument,
  type ApiScope as GraphQLApiScope,
  type CreateUserInput,
} from "./generated/graphql";
import { createApiClient, createDistributor, createUser, TEST_PASSWORD, twoTenants, unique, userToken } from "./support/factories";
import { errorCodes, ok, startFacet, type GraphQLResult, type TestFacet } from "./support/harness";

let facet: TestFacet;
beforeAll(async () => {
  facet = await startFacet();
});
afterAll(() => facet.stop());

type Tenants = Awaited<ReturnType<typeof twoTenants>>;
const tenants = () => twoTenants(facet.dataSource, facet.config);
const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) => facet.dataSource.query(query, params) as Promise<T[]>;

// DateTime fields arrive as Date objects through executeOperation and as ISO strings over HTTP.
const timeOf = (value: string | null | undefined) => new Date(value as string).getTime();

type ById = (id: string, token: string) => Promise<GraphQLResult<Record<string, unknown>>>;

const unknownUserId = () => toGlobalId("User", randomUUID());
const unknownClientId = () => toGlobalId("ApiClient", randomUUID());

/** A bearer token the API no longer accepts: the request context refuses it before anything runs. */
async function expectTokenRefused(token: string) {
  await expect(facet.gql(ViewerPersonDocument, {}, { token })).rejects.toMatchObject({ extensions: { code: "UNAUTHENTICATED" } });
}

async function oauthToken(clientId: string, secret: string) {
  const response = await fetch(await facet.url("/oauth/token"), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: secret }).toString(),
  });
  return { status: response.status, body: (await response.json()) as { access_token?: string; error?: string } };
}

async function loginWorks(email: string, password: string): Promise<boolean> {
  const { login } = ok(await facet.gql(LoginDocument, { input: { email, password } }));
  return login.accessToken !== null;
}

/** Every text a row of these tables holds, to look for a plaintext secret. */
async function storedText(table: "api_clients" | "users", id: string): Promise<string> {
  const [row] = await sql<{ text: string }>(`SELECT t::text AS text FROM ${table} t WHERE id = $1`, [id]);
  return row.text;
}

describe("viewer", () => {
  it("tells a buyer and an admin who they are, with their distributor", async () => {
    const { a } = await tenants();
    for (const [person, role] of [[a.buyer, "BUYER"], [a.admin, "DISTRIBUTOR_ADMIN"]] as const) {
      const { viewer } = ok(await facet.gql(ViewerPersonDocument, {}, { token: role === "BUYER" ? a.tokens.buyer : a.tokens.admin }));
      expect(viewer).toEqual({
        role,
        scopes: [],
        user: { id: toGlobalId("User", person.id), email: person.email, name: person.name, role, active: true, distributor: { id: a.ids.distributor } },
        apiClient: null,
        distributor: { id: a.ids.distributor, code: a.distributor.code },
      });
    }
  });

  it("tells an API client its scopes and distributor, and no role", async () => {
    const { a } = await tenants();
    const { viewer } = ok(await facet.gql(ViewerPersonDocument, {}, { token: a.tokens.client }));
    expect(viewer).toEqual({
      role: null,
      scopes: ["CATALOG_READ", "ORDERS_READ", "ORDERS_WRITE", "BRIEFS_READ", "BRIEFS_WRITE", "SHIPMENTS_READ", "FEEDBACK_WRITE", "WEBHOOKS_WRITE"],
      user: null,
      apiClient: {
        id: a.ids.client,
        clientId: a.client.clientId,
        name: a.client.name,
        scopes: ["CATALOG_READ", "ORDERS_READ", "ORDERS_WRITE", "BRIEFS_READ", "BRIEFS_WRITE", "SHIPMENTS_READ", "FEEDBACK_WRITE", "WEBHOOKS_WRITE"],
        active: true,
        distributor: { id: a.ids.distributor },
      },
      distributor: { id: a.ids.distributor, code: a.distributor.code },
    });
  });

  it("tells staff their role, with no distributor", async () => {
    for (const role of [UserRole.EXPORT_MANAGER, UserRole.SUPPORT]) {
      const staff = await createUser(facet.dataSource, { role });
      const { viewer } = ok(await facet.gql(ViewerPersonDocument, {}, { token: userToken(facet.config, staff) }));
      expect(viewer).toEqual({
        role,
        scopes: [],
        user: { id: toGlobalId("User", staff.id), email: staff.email, name: staff.name, role, active: true, distributor: null },
        apiClient: null,
        distributor: null,
      });
    }
  });

  it("asks an anonymous caller to sign in", async () => {
    const result = await facet.gql(ViewerPersonDocument, {});
    expect(result.data).toBeUndefined();
    expect(errorCodes(result)).toEqual(["UNAUTHENTICATED"]);
  });
});

describe("distributors", () => {
  it("lists every distributor to export managers and support staff", async () => {
    const { a, b, staff } = await tenants();
    for (const token of [staff.manager, staff.support]) {
      for (const t of [a, b]) {
        const { distributors } = ok(await facet.gql(DistributorsDocument, { first: 5, filter: { search: t.distributor.code } }, { token }));
        expect(distributors!.edges.map((e) => e.node)).toEqual([{ id: t.ids.distributor, code: t.distributor.code, name: t.distributor.name, country: "FR" }]);
      }
    }
  });

  it("narrows by country", async () => {
    const { staff } = await tenants();
    const code = unique("ca");
    const canadian = await createDistributor(facet.dataSource, { code, country: "CA", currency: "CAD" });
    await createDistributor(facet.dataSource, { code: `${code}-fr`, country: "FR" });
    const { distributors } = ok(await facet.gql(DistributorsDocument, { filter: { search: code, country: "CA" } }, { token: staff.manager }));
    expect(distributors!.edges.map((e) => e.node.id)).toEqual([toGlobalId("Distributor", canadian.id)]);
  });

  it("is refused to buyers, admins and API clients", async () => {
    const { a } = await tenants();
    for (const token of [a.tokens.buyer, a.tokens.admin, a.tokens.client]) {
      const result = await facet.gql(DistributorsDocument, { first: 5 }, { token });
      expect(result.data).toEqual({ distributors: null });
      expect(errorCodes(result)).toEqual(["FORBIDDEN"]);
    }
  });
});

describe("createUser", () => {
  const input = (overrides: Partial<CreateUserInput> = {}): CreateUserInput => ({
    email: `${unique("new")}@Test.Example`,
    name: "  Camille Martin  ",
    role: "BUYER",
    password: "a long enough password",
    ...overrides,
  });
  const usersWithEmail = async (email: string) => Number((await sql<{ n: string }>(`SELECT count(*) AS n FROM users WHERE email = lower($1)`, [email]))[0].n);

  it("adds a buyer to the admin's own distributor, who can then sign in", async () => {
    const { a } = await tenants();
    const wanted = input();
    const { createUser: payload } = ok(await facet.gql(CreateUserDocument, { input: wanted }, { token: a.tokens.admin }));
    expect(payload.userErrors).toEqual([]);
    expect(payload.user).toEqual({
      id: expect.any(String),
      email: wanted.email.toLowerCase(),
      name: "Camille Martin",
      role: "BUYER",
      active: true,
      distributor: { id: a.ids.distributor },
    });

    const [row] = await sql<{ distributor_id: string; password_hash: string }>(`SELECT distributor_id, password_hash FROM users WHERE email = $1`, [wanted.email.toLowerCase()]);
    expect(row.distributor_id).toBe(a.distributor.id);
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(await storedText("users", (await sql<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [wanted.email.toLowerCase()]))[0].id)).not.toContain(wanted.password);

    expect(await loginWorks(wanted.email, wanted.password)).toBe(true);
    const members = ok(await facet.gql(ViewerMembersDocument, {}, { token: a.tokens.admin })).viewer!.distributor!.users!.nodes;
    expect(members.map((u) => u.id)).toContain(payload.user!.id);
  });

  it("adds another admin", async () => {
    const { a } = await tenants();
    const { createUser: payload } = ok(await facet.gql(CreateUserDocument, { input: input({ role: "DISTRIBUTOR_ADMIN" }) }, { token: a.tokens.admin }));
    expect(payload.userErrors).toEqual([]);
    expect(payload.user).toMatchObject({ role: "DISTRIBUTOR_ADMIN", distributor: { id: a.ids.distributor } });
  });

  it.each([
    ["a blank email", { email: "   " }, [[["input", "email"], "REQUIRED"]]],
    ["an email without a domain", { email: "camille@" }, [[["input", "email"], "INVALID"]]],
    ["an email over 254 characters", { email: `${"x".repeat(250)}@test.example` }, [[["input", "email"], "TOO_LONG"]]],
    ["a blank name", { name: " " }, [[["input", "name"], "REQUIRED"]]],
    ["a name over 200 characters", { name: "n".repeat(201) }, [[["input", "name"], "TOO_LONG"]]],
    ["a name with control characters", { name: "Camille\u0007" }, [[["input", "name"], "INVALID"]]],
    ["a staff role", { role: "EXPORT_MANAGER" as const }, [[["input", "role"], "NOT_ALLOWED"]]],
    ["the support role", { role: "SUPPORT" as const }, [[["input", "role"], "NOT_ALLOWED"]]],
    ["a password under 12 characters", { password: "elevenchars" }, [[["input", "password"], "TOO_SHORT"]]],
    ["a password over 128 characters", { password: "p".repeat(129) }, [[["input", "password"], "TOO_LONG"]]],
    ["a password of twelve spaces", { password: " ".repeat(12) }, [[["input", "password"], "INVALID"]]],
    ["a password of four characters repeated", { password: "abcdabcdabcd" }, [[["input", "password"], "INVALID"]]],
  ])("refuses %s, naming the field, and writes nothing", async (_case, overrides, expected) => {
    const { a } = await tenants();
    const wanted = input(overrides);
    const { createUser: payload } = ok(await facet.gql(CreateUserDocument, { input: wanted }, { token: a.tokens.admin }));
    expect(payload.user).toBeNull();
    expect(payload.userErrors.map((e) => [e.field, e.code])).toEqual(expected);
    expect(payload.userErrors.every((e) => e.message.length > 0)).toBe(true);
    if (wanted.email.includes("@test.example")) expect(await usersWithEmail(wanted.email)).toBe(0);
  });

  it("reports every bad field at once", async () => {
    const { a } = await tenants();
    const { createUser: payload } = ok(await facet.gql(CreateUserDocument, { input: { email: "nope", name: "", role: "SUPPORT", password: "short" } }, { token: a.tokens.admin }));
    expect(payload.userErrors.map((e) => [e.field, e.code])).toEqual([
      [["input", "email"], "INVALID"],
      [["input", "name"], "REQUIRED"],
      [["input", "role"], "NOT_ALLOWED"],
      [["input", "password"], "TOO_SHORT"],
    ]);
  });

  it("refuses an email already in use, in any case, by its own people, another distributor's or staff", async () => {
    const { a, b } = await tenants();
    const staff = await createUser(facet.dataSource, { role: UserRole.SUPPORT });
    for (const taken of [a.buyer.email, a.buyer.email.toUpperCase(), b.buyer.email, staff.email]) {
      const { createUser: payload } = ok(await facet.gql(CreateUserDocument, { input: input({ email: taken }) }, { token: a.tokens.admin }));
      expect(payload.user).toBeNull();
      expect(payload.userErrors).toEqual([{ field: ["input", "email"], code: "TAKEN", message: "This email cannot be given to a new user; use another address" }]);
      expect(await usersWithEmail(taken)).toBe(1);
    }
    // The refusal rolled back only itself: the admin's request goes on normally.
    expect(ok(await facet.gql(CreateUserDocument, { input: input() }, { token: a.tokens.admin })).createUser.userErrors).toEqual([]);
  });

  it("lets one of two concurrent requests for the same email win, and tells the other TAKEN", async () => {
    const { a, b } = await tenants();
    const email = `${unique("race")}@test.example`;
    const results = await Promise.all([
      facet.gql(CreateUserDocument, { input: input({ email }) }, { token: a.tokens.admin }),
      facet.gql(CreateUserDocument, { input: input({ email }) }, { token: b.tokens.admin }),
    ]);
    const payloads = results.map((r) => ok(r).createUser);
    expect(payloads.filter((p) => p.user !== null)).toHaveLength(1);
    expect(payloads.flatMap((p) => p.userErrors.map((e) => e.code))).toEqual(["TAKEN"]);
    expect(await usersWithEmail(email)).toBe(1);
  });

  it("is refused to buyers, staff and API clients, and writes nothing", async () => {
    const { a, staff } = await tenants();
    for (const token of [a.tokens.buyer, staff.manager, staff.support, a.tokens.client]) {
      const wanted = input();
      const result = await facet.gql(CreateUserDocument, { input: wanted }, { token });
      expect(result.data).toBeNull();
      expect(errorCodes(result)).toEqual(["FORBIDDEN"]);
      expect(await usersWithEmail(wanted.email)).toBe(0);
    }
    expect(errorCodes(await facet.gql(CreateUserDocument, { input: input() }))).toEqual(["UNAUTHENTICATED"]);
  });
});

describe("deactivateUser and reactivateUser", () => {
  const deactivate = (id: string, token: string) => facet.gql(DeactivateUserDocument, { input: { id } }, { token });
  const reactivate = (id: string, token: string) => facet.gql(ReactivateUserDocument, { input: { id } }, { token });
  const activeOf = async (id: string) => (await sql<{ active: boolean }>(`SELECT active FROM users WHERE id = $1`, [id]))[0].active;

  it("stops a user signing in and retires their tokens, then lets them back", async () => {
    const { a } = await tenants();
    const { deactivateUser } = ok(await deactivate(a.ids.buyer, a.tokens.admin));
    expect(deactivateUser.userErrors).toEqual([]);
    expect(deactivateUser.user).toEqual({ id: a.ids.buyer, active: false, deactivatedAt: expect.anything() });
    expect(timeOf(deactivateUser.user!.deactivatedAt)).toBeGreaterThan(0);
    expect(await activeOf(a.buyer.id)).toBe(false);
    await expectTokenRefused(a.tokens.buyer);
    expect(await loginWorks(a.buyer.email, TEST_PASSWORD)).toBe(false);

    const { reactivateUser } = ok(await reactivate(a.ids.buyer, a.tokens.admin));
    expect(reactivateUser.userErrors).toEqual([]);
    expect(reactivateUser.user).toEqual({ id: a.ids.buyer, active: true });
    const refetched = ok(await facet.gql(ManagedUserDocument, { id: a.ids.buyer }, { token: a.tokens.admin })).node;
    expect(refetched).toEqual({ id: a.ids.buyer, email: a.buyer.email, active: true, deactivatedAt: null });
    expect(await loginWorks(a.buyer.email, TEST_PASSWORD)).toBe(true);
    // A token from before the deactivation stays dead; a token from a fresh sign-in works.
    await expectTokenRefused(a.tokens.buyer);
    const fresh = ok(await facet.gql(LoginDocument, { input: { email: a.buyer.email, password: TEST_PASSWORD } })).login.accessToken!;
    expect(ok(await facet.gql(ViewerPersonDocument, {}, { token: fresh })).viewer!.user).toMatchObject({ email: a.buyer.email });
  });

  it("does not let an admin deactivate themself", async () => {
    const { a } = await tenants();
    const { deactivateUser } = ok(await deactivate(a.ids.admin, a.tokens.admin));
    expect(deactivateUser).toEqual({ user: null, userErrors: [{ field: ["input", "id"], code: "NOT_ALLOWED", message: "You cannot deactivate yourself" }] });
    expect(await activeOf(a.admin.id)).toBe(true);
  });

  it("refuses to repeat itself: deactivating a deactivated user, reactivating an active one", async () => {
    const { a } = await tenants();
    expect(ok(await deactivate(a.ids.buyer, a.tokens.admin)).deactivateUser.userErrors).toEqual([]);
    expect(ok(await deactivate(a.ids.buyer, a.tokens.admin)).deactivateUser).toEqual({
      user: null,
      userErrors: [{ field: ["input", "id"], code: "INVALID_STATE", message: "The user is already deactivated" }],
    });
    expect(ok(await reactivate(a.ids.admin, a.tokens.admin)).reactivateUser).toEqual({
      user: null,
      userErrors: [{ field: ["input", "id"], code: "INVALID_STATE", message: "The user is already active" }],
    });
  });

  it("answers another distributor's user, a staff member and a malformed id exactly as an unknown id, and changes nothing", async () => {
    const { a, b } = await tenants();
    const staff = await createUser(facet.dataSource, { role: UserRole.EXPORT_MANAGER });
    const foreign = [b.ids.buyer, b.ids.admin, toGlobalId("User", staff.id), b.ids.distributor, "not-an-id"];
    for (const mutation of [deactivate, reactivate] as ById[]) {
      const unknown = ok(await mutation(unknownUserId(), a.tokens.admin));
      expect(Object.values(unknown)[0]).toEqual({ user: null, userErrors: [{ field: ["input", "id"], code: "NOT_FOUND", message: "No such user" }] });
      for (const id of foreign) expect(ok(await mutation(id, a.tokens.admin))).toEqual(unknown);
    }
    // Deactivated B users answer the same to reactivation.
    await facet.dataSource.query(`UPDATE users SET active = false WHERE id = $1`, [b.buyer.id]);
    expect(ok(await reactivate(b.ids.buyer, a.tokens.admin)).reactivateUser.userErrors.map((e) => e.code)).toEqual(["NOT_FOUND"]);
    expect(await activeOf(b.buyer.id)).toBe(false);
    expect(await activeOf(b.admin.id)).toBe(true);
    expect(await activeOf(staff.id)).toBe(true);
  });

  it("is refused to buyers, staff and API clients", async () => {
    const { a, staff } = await tenants();
    for (const mutation of [deactivate, reactivate]) {
      for (const token of [a.tokens.buyer, staff.manager, staff.support, a.tokens.client]) {
        const result = await mutation(a.ids.buyer, token);
        expect(result.data).toBeNull();
        expect(errorCodes(result)).toEqual(["FORBIDDEN"]);
      }
    }
    expect(await activeOf(a.buyer.id)).toBe(true);
  });
});

describe("createApiClient", () => {
  const create = (token: string, name = "SAP S/4HANA production", scopes: GraphQLApiScope[] = ["CATALOG_READ", "ORDERS_READ"]) =>
    facet.gql(CreateApiClientDocument, { input: { name, scopes } }, { token });
  const clientCount = async (distributorId: string) => Number((await sql<{ n: string }>(`SELECT count(*) AS n FROM api_clients WHERE distributor_id = $1`, [distributorId]))[0].n);

  it("registers a client, shows its secret once and keeps only a hash", async () => {
    const { a } = await tenants();
    const { createApiClient: payload } = ok(await create(a.tokens.admin, "  SAP S/4HANA production ", ["ORDERS_READ", "CATALOG_READ", "ORDERS_READ"]));
    expect(payload.userErrors).toEqual([]);
    expect(payload.apiClient).toEqual({ id: expect.any(String), clientId: expect.stringMatching(/^cl_[0-9a-f]{24}$/), name: "SAP S/4HANA production", scopes: ["ORDERS_READ", "CATALOG_READ"], active: true });
    const secret = payload.clientSecret!;
    expect(secret).toMatch(/^fct_[A-Za-z0-9_-]{43}$/);

    const [row] = await sql<{ id: string; secret_hash: string; distributor_id: string }>(`SELECT id, secret_hash, distributor_id FROM api_clients WHERE client_id = $1`, [payload.apiClient!.clientId]);
    expect(row.distributor_id).toBe(a.distributor.id);
    expect(row.secret_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await storedText("api_clients", row.id)).not.toContain(secret);
    expect(await storedText("api_clients", row.id)).not.toContain(secret.slice(4));

    // The secret works, and nothing shows it again.
    const token = await oauthToken(payload.apiClient!.clientId, secret);
    expect(token.status).toBe(200);
    expect(ok(await facet.gql(ViewerPersonDocument, {}, { token: token.body.access_token })).viewer!.apiClient).toMatchObject({ id: payload.apiClient!.id });
  });

  it("has no field that could show a secret again", async () => {
    const type = (await buildFacetSchema()).getType("ApiClient") as GraphQLObjectType;
    expect(Object.keys(type.getFields()).filter((f) => /secret|hash/i.test(f))).toEqual(["secretIssuedAt"]);
  });

  it.each([
    ["a blank name", "  ", ["CATALOG_READ"], [[["input", "name"], "REQUIRED"]]],
    ["a name over 200 characters", "n".repeat(201), ["CATALOG_READ"], [[["input", "name"], "TOO_LONG"]]],
    ["a name with control characters", "ERP\u0007", ["CATALOG_READ"], [[["input", "name"], "INVALID"]]],
    ["no scopes", "ERP", [], [[["input", "scopes"], "REQUIRED"]]],
  ] as [string, string, GraphQLApiScope[], unknown][])("refuses %s, naming the field, and writes nothing", async (_case, name, scopes, expected) => {
    const { a } = await tenants();
    const { createApiClient: payload } = ok(await create(a.tokens.admin, name, scopes));
    expect(payload.apiClient).toBeNull();
    expect(payload.clientSecret).toBeNull();
    expect(payload.userErrors.map((e) => [e.field, e.code])).toEqual(expected);
    expect(await clientCount(a.distributor.id)).toBe(1);
  });

  it("is refused to buyers, staff and API clients, and writes nothing", async () => {
    const { a, staff } = await tenants();
    for (const token of [a.tokens.buyer, staff.manager, staff.support, a.tokens.client]) {
      const result = await create(token);
      expect(result.data).toBeNull();
      expect(errorCodes(result)).toEqual(["FORBIDDEN"]);
    }
    expect(await clientCount(a.distributor.id)).toBe(1);
  });
});

describe("revokeApiClient and rotateApiClientSecret", () => {
  const revoke = (id: string, token: string) => facet.gql(RevokeApiClientDocument, { input: { id } }, { token });
  const rotate = (id: string, token: string) => facet.gql(RotateApiClientSecretDocument, { input: { id } }, { token });
  const clientRow = async (id: string) =>
    (await sql<{ secret_hash: string; secret_version: number; revoked_at: Date | null }>(`SELECT secret_hash, secret_version, revoked_at FROM api_clients WHERE id = $1`, [id]))[0];

  it("revokes a client: no new tokens, and its tokens stop working", async () => {
    const { a } = await tenants();
    const { revokeApiClient } = ok(await revoke(a.ids.client, a.tokens.admin));
    expect(revokeApiClient.userErrors).toEqual([]);
    expect(revokeApiClient.apiClient).toEqual({ id: a.ids.client, active: false, revokedAt: expect.anything() });
    expect(timeOf(revokeApiClient.apiClient!.revokedAt)).toBeGreaterThan(0);
    expect((await clientRow(a.client.id)).revoked_at).not.toBeNull();
    await expectTokenRefused(a.tokens.client);
    expect(await oauthToken(a.client.clientId, a.secret)).toEqual({ status: 401, body: expect.objectContaining({ error: "invalid_client" }) });
    // Still listed for the admin, as revoked.
    const listed = ok(await facet.gql(ManagedApiClientDocument, { id: a.ids.client }, { token: a.tokens.admin })).node;
    expect(listed).toMatchObject({ id: a.ids.client, active: false });
  });

  it("rotates a secret: shown once, stored as a new hash, the old one and its tokens retired", async () => {
    const { a } = await tenants();
    const before = await clientRow(a.client.id);
    const { rotateApiClientSecret } = ok(await rotate(a.ids.client, a.tokens.admin));
    expect(rotateApiClientSecret.userErrors).toEqual([]);
    const secret = rotateApiClientSecret.clientSecret!;
    expect(secret).toMatch(/^fct_/);
    expect(secret).not.toBe(a.secret);
    expect(timeOf(rotateApiClientSecret.apiClient!.secretIssuedAt)).toBeGreaterThanOrEqual(a.client.secretIssuedAt.getTime());

    const after = await clientRow(a.client.id);
    expect(after.secret_version).toBe(before.secret_version + 1);
    expect(after.secret_hash).not.toBe(before.secret_hash);
    expect(after.secret_hash).toMatch(/^scrypt\$/);
    expect(await storedText("api_clients", a.client.id)).not.toContain(secret.slice(4));

    await expectTokenRefused(a.tokens.client);
    expect((await oauthToken(a.client.clientId, a.secret)).status).toBe(401);
    expect((await oauthToken(a.client.clientId, secret)).status).toBe(200);
  });

  it("refuses to revoke or rotate a revoked client", async () => {
    const { a } = await tenants();
    expect(ok(await revoke(a.ids.client, a.tokens.admin)).revokeApiClient.userErrors).toEqual([]);
    const revokedAt = (await clientRow(a.client.id)).revoked_at;
    const invalidState = [{ field: ["input", "id"], code: "INVALID_STATE", message: "The API client is revoked" }];
    expect(ok(await revoke(a.ids.client, a.tokens.admin)).revokeApiClient).toEqual({ apiClient: null, userErrors: invalidState });
    expect(ok(await rotate(a.ids.client, a.tokens.admin)).rotateApiClientSecret).toEqual({ apiClient: null, clientSecret: null, userErrors: invalidState });
    expect(await clientRow(a.client.id)).toMatchObject({ revoked_at: revokedAt, secret_version: 1 });
  });

  it("answers another distributor's client and a malformed id exactly as an unknown id, and changes nothing", async () => {
    const { a, b } = await tenants();
    const before = await clientRow(b.client.id);
    for (const mutation of [revoke, rotate] as ById[]) {
      const unknown = ok(await mutation(unknownClientId(), a.tokens.admin));
      expect(Object.values(unknown)[0]).toMatchObject({ apiClient: null, userErrors: [{ field: ["input", "id"], code: "NOT_FOUND", message: "No such API client" }] });
      for (const id of [b.ids.client, b.ids.distributor, a.ids.buyer, "not-an-id"]) expect(ok(await mutation(id, a.tokens.admin))).toEqual(unknown);
    }
    expect(await clientRow(b.client.id)).toEqual(before);
    expect((await oauthToken(b.client.clientId, b.secret)).status).toBe(200);
  });

  it("is refused to buyers, staff and API clients", async () => {
    const { a, staff } = await tenants();
    const before = await clientRow(a.client.id);
    for (const mutation of [revoke, rotate]) {
      for (const token of [a.tokens.buyer, staff.manager, staff.support, a.tokens.client]) {
        const result = await mutation(a.ids.client, token);
        expect(result.data).toBeNull();
        expect(errorCodes(result)).toEqual(["FORBIDDEN"]);
      }
    }
    expect(await clientRow(a.client.id)).toEqual(before);
  });
});

describe("tenancy of users and API clients", () => {
  let t: Tenants;
  beforeAll(async () => {
    t = await tenants();
  });

  it("shows an admin its own people and clients, and none of another distributor's", async () => {
    const extra = await createApiClient(facet.dataSource, t.a.distributor, { scopes: [ApiScope.CATALOG_READ] });
    const members = ok(await facet.gql(ViewerMembersDocument, {}, { token: t.a.tokens.admin })).viewer!.distributor!;
    expect(members.users!.nodes.map((u) => u.id).sort()).toEqual([t.a.ids.buyer, t.a.ids.admin].sort());
    expect(members.apiClients!.nodes.map((c) => c.id)).toEqual([t.a.ids.client, toGlobalId("ApiClient", extra.client.id)]);
  });

  it("answers an admin asking for another distributor's objects by id exactly as for unknown ids", async () => {
    const foreign = [t.b.ids.distributor, t.b.ids.buyer, t.b.ids.admin, t.b.ids.client];
    const unknown = [toGlobalId("Distributor", randomUUID()), unknownUserId(), unknownUserId(), unknownClientId()];
    for (const token of [t.a.tokens.admin, t.a.tokens.buyer, t.a.tokens.client]) {
      expect(ok(await facet.gql(NodesDocument, { ids: foreign }, { token }))).toEqual(ok(await facet.gql(NodesDocument, { ids: unknown }, { token })));
      expect(ok(await facet.gql(NodesDocument, { ids: foreign }, { token })).nodes).toEqual([null, null, null, null]);
      expect(ok(await facet.gql(ManagedUserDocument, { id: t.b.ids.buyer }, { token }))).toEqual({ node: null });
      expect(ok(await facet.gql(ManagedApiClientDocument, { id: t.b.ids.client }, { token }))).toEqual({ node: null });
      expect(ok(await facet.gql(DistributorMembersDocument, { id: t.b.ids.distributor }, { token }))).toEqual({ node: null });
    }
  });

  it("shows API clients to the distributor's admins and to the client itself, not to its buyers", async () => {
    expect(ok(await facet.gql(ManagedApiClientDocument, { id: t.a.ids.client }, { token: t.a.tokens.admin })).node).toMatchObject({ id: t.a.ids.client });
    expect(ok(await facet.gql(ManagedApiClientDocument, { id: t.a.ids.client }, { token: t.a.tokens.client })).node).toMatchObject({ id: t.a.ids.client });
    expect(ok(await facet.gql(ManagedApiClientDocument, { id: t.a.ids.client }, { token: t.a.tokens.buyer })).node).toBeNull();
  });

  it("refuses a distributor's member lists to its buyers and API clients", async () => {
    for (const token of [t.a.tokens.buyer, t.a.tokens.client]) {
      const result = await facet.gql(ViewerMembersDocument, {}, { token });
      expect(result.data?.viewer!.distributor).toEqual({ id: t.a.ids.distributor, users: null, apiClients: null });
      expect(errorCodes(result)).toEqual(["FORBIDDEN", "FORBIDDEN"]);
    }
  });

  it("shows staff any distributor's people and clients", async () => {
    for (const token of [t.staff.manager, t.staff.support]) {
      const { node } = ok(await facet.gql(DistributorMembersDocument, { id: t.b.ids.distributor }, { token }));
      expect(node).toMatchObject({ id: t.b.ids.distributor, name: t.b.distributor.name });
      const members = node as { users: { nodes: { id: string }[] }; apiClients: { nodes: { id: string }[] } };
      expect(members.users.nodes.map((u) => u.id).sort()).toEqual([t.b.ids.buyer, t.b.ids.admin].sort());
      expect(members.apiClients.nodes.map((c) => c.id)).toEqual([t.b.ids.client]);
    }
  });
});
