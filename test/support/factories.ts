import { randomBytes } from "node:crypto";
import type { DataSource } from "typeorm";
import type { Config } from "../../src/config";
import { ALL_SCOPES, type ApiScope, UserRole } from "../../src/core/access";
import { toGlobalId } from "../../src/graphql/node";
import { Incoterm } from "../../src/graphql/scalars";
import { ApiClient, Distributor, User } from "../../src/modules/accounts";
import { signAccessToken } from "../../src/modules/accounts/access-token";
import { hashSecret } from "../../src/modules/accounts/secrets";

// Each test builds its own distributors and people, with unique codes and emails, so test files
// can share one database and run in any order.
export const unique = (prefix: string) => `${prefix}-${randomBytes(5).toString("hex")}`;

export const TEST_PASSWORD = "correct horse battery staple";
let passwordHash: Promise<string> | undefined;

export async function createDistributor(ds: DataSource, overrides: Partial<Distributor> = {}): Promise<Distributor> {
  const code = overrides.code ?? unique("dist");
  return ds.manager.save(
    ds.manager.create(Distributor, {
      code,
      name: `Distributor ${code}`,
      country: "FR",
      currency: "EUR",
      defaultIncoterm: Incoterm.DAP,
      ...overrides,
    }),
  );
}

export async function createUser(
  ds: DataSource,
  { distributor, role = UserRole.BUYER, active = true, email }: { distributor?: Distributor | null; role?: UserRole; active?: boolean; email?: string } = {},
): Promise<User> {
  passwordHash ??= hashSecret(TEST_PASSWORD);
  return ds.manager.save(
    ds.manager.create(User, {
      email: email ?? `${unique(role.toLowerCase())}@test.example`,
      name: "Test Person",
      role,
      passwordHash: await passwordHash,
      active,
      deactivatedAt: active ? null : new Date(),
      distributorId: distributor?.id ?? null,
    }),
  );
}

export async function createApiClient(
  ds: DataSource,
  distributor: Distributor,
  { scopes = [...ALL_SCOPES], secret = `secret-${randomBytes(8).toString("hex")}` }: { scopes?: ApiScope[]; secret?: string } = {},
): Promise<{ client: ApiClient; secret: string }> {
  const client = await ds.manager.save(
    ds.manager.create(ApiClient, { distributorId: distributor.id, clientId: unique("client"), name: "Test ERP", scopes, secretHash: await hashSecret(secret) }),
  );
  return { client, secret };
}

export function userToken(config: Config, user: User): string {
  return signAccessToken(config, { typ: "user", sub: user.id, tv: user.tokenVersion ?? 1 }).token;
}

export function clientToken(config: Config, client: ApiClient, scopes: readonly string[] = client.scopes): string {
  return signAccessToken(config, { typ: "client", sub: client.id, scope: scopes.join(" "), sv: client.secretVersion }).token;
}

/** Two distributors, each with a buyer, an admin and an ERP client; plus staff. */
export async function twoTenants(ds: DataSource, config: Config) {
  const make = async () => {
    const distributor = await createDistributor(ds);
    const buyer = await createUser(ds, { distributor, role: UserRole.BUYER });
    const admin = await createUser(ds, { distributor, role: UserRole.DISTRIBUTOR_ADMIN });
    const { client, secret } = await createApiClient(ds, distributor);
    return {
      distributor,
      buyer,
      admin,
      client,
      secret,
      ids: { distributor: toGlobalId("Distributor", distributor.id), buyer: toGlobalId("User", buyer.id), admin: toGlobalId("User", admin.id), client: toGlobalId("ApiClient", client.id) },
      tokens: { buyer: userToken(config, buyer), admin: userToken(config, admin), client: clientToken(config, client) },
    };
  };
  const a = await make();
  const b = await make();
  const manager = await createUser(ds, { role: UserRole.EXPORT_MANAGER });
  const support = await createUser(ds, { role: UserRole.SUPPORT });
  return { a, b, staff: { manager: userToken(config, manager), support: userToken(config, support) } };
}
