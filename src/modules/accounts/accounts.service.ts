import { Brackets } from "typeorm";
import { UserRole, type ApiScope } from "../../core/access";
import { paginate, type ConnectionArgs, type ConnectionResult, type Ordering } from "../../graphql/connection";
import { isStaff, type RequestContext } from "../../core/context";
import { loader } from "../../db/loaders";
import { ForbiddenError } from "../../graphql/errors";
import { idOfType, toGlobalId } from "../../graphql/node";
import { Rejected, UserErrorCode, UserErrors, userError } from "../../graphql/user-error";
import * as validate from "../../graphql/validate";
import { mutate } from "../../graphql/mutation";
import { tenantQuery } from "../../db/tenancy";
import { apiClientById, distributorById, userById } from "./accounts.loaders";
import type {
  CreateApiClientInput,
  CreateApiClientPayload,
  CreateUserInput,
  CreateUserPayload,
  DeactivateUserPayload,
  DistributorFilter,
  ReactivateUserPayload,
  RevokeApiClientPayload,
  RotateApiClientSecretPayload,
  Viewer,
} from "./accounts.inputs";
import { ApiClient } from "./api-client.entity";
import { Distributor } from "./distributor.entity";
import { hashSecret, newClientId, newClientSecret } from "./secrets";
import { User } from "./user.entity";

const MIN_PASSWORD = 12;
const MAX_PASSWORD = 128;
const MIN_DISTINCT_PASSWORD_CHARACTERS = 5;

const distributorsByName: Ordering<Distributor> = {
  name: "name",
  keys: [{ sql: "d.name", direction: "ASC", value: (d) => d.name }],
  id: "d.id",
};
const usersByEmail: Ordering<User> = {
  name: "email",
  keys: [{ sql: "u.email", direction: "ASC", value: (u) => u.email }],
  id: "u.id",
};
const clientsByCreation: Ordering<ApiClient> = {
  name: "created",
  keys: [{ sql: "c.createdAt", direction: "ASC", value: (c) => c.createdAt }],
  id: "c.id",
};

export async function viewer(ctx: RequestContext): Promise<Viewer> {
  const principal = ctx.principal!;
  // The caller's own id: a client's normalised cache keeps one Viewer per account.
  const id = toGlobalId("Viewer", principal.id);
  const distributor = principal.distributorId ? loader(ctx, distributorById).load(principal.distributorId) : null;
  if (principal.kind === "user") {
    const [user, itsDistributor] = await Promise.all([loader(ctx, userById).load(principal.id), distributor]);
    return { id, user, apiClient: null, distributor: itsDistributor, role: principal.role, scopes: [] };
  }
  const [apiClient, itsDistributor] = await Promise.all([loader(ctx, apiClientById).load(principal.id), distributor]);
  return { id, user: null, apiClient, distributor: itsDistributor, role: null, scopes: [...principal.scopes] };
}

export function findDistributor(ctx: RequestContext, id: string): Promise<Distributor | null> {
  return loader(ctx, distributorById).load(id);
}

/**
 * A user by id, for `node(id:)`, under the rule of `Distributor.users`: the distributor's admins
 * (of their own distributor: the loader keeps to the caller's tenancy) and exporter staff; and
 * every user reads their own account, as `viewer.user` shows it. Anyone else finds nothing, as
 * for an id that does not exist.
 */
export async function findUser(ctx: RequestContext, id: string): Promise<User | null> {
  const p = ctx.principal;
  const self = p?.kind === "user" && p.id === id;
  if (!self && !isStaff(p) && !(p?.kind === "user" && p.role === UserRole.DISTRIBUTOR_ADMIN)) return null;
  return loader(ctx, userById).load(id);
}

// API clients carry credentials: only the distributor's admins, staff and the client itself see them.
function mayManageClients(ctx: RequestContext): boolean {
  const p = ctx.principal;
  return isStaff(p) || (p?.kind === "user" && p.role === UserRole.DISTRIBUTOR_ADMIN);
}

export async function findApiClient(ctx: RequestContext, id: string): Promise<ApiClient | null> {
  const p = ctx.principal;
  if (!mayManageClients(ctx) && !(p?.kind === "apiClient" && p.id === id)) return null;
  return loader(ctx, apiClientById).load(id);
}

export async function listDistributors(
  ctx: RequestContext,
  args: ConnectionArgs,
  filter: DistributorFilter | null | undefined,
): Promise<ConnectionResult<Distributor>> {
  const qb = tenantQuery(ctx, Distributor, "d", "id");
  const search = filter?.search?.trim();
  if (search) {
    const pattern = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    qb.andWhere(new Brackets((w) => w.where("d.name ILIKE :pattern", { pattern }).orWhere("d.code ILIKE :pattern", { pattern })));
  }
  if (filter?.country) qb.andWhere("d.country = :country", { country: filter.country });
  return paginate(ctx.db, Distributor, qb, args, distributorsByName);
}

function assertManages(ctx: RequestContext, distributorId: string, allowStaff: boolean): void {
  const p = ctx.principal;
  if (allowStaff && isStaff(p)) return;
  if (p?.kind === "user" && p.role === UserRole.DISTRIBUTOR_ADMIN && p.distributorId === distributorId) return;
  throw new ForbiddenError("Only the distributor's admins and exporter staff may see this");
}

export function listUsers(ctx: RequestContext, distributor: Distributor, args: ConnectionArgs): Promise<ConnectionResult<User>> {
  assertManages(ctx, distributor.id, true);
  const qb = tenantQuery(ctx, User, "u").andWhere("u.distributorId = :distributorId", { distributorId: distributor.id });
  return paginate(ctx.db, User, qb, args, usersByEmail);
}

export function listApiClients(ctx: RequestContext, distributor: Distributor, args: ConnectionArgs): Promise<ConnectionResult<ApiClient>> {
  assertManages(ctx, distributor.id, true);
  const qb = tenantQuery(ctx, ApiClient, "c").andWhere("c.distributorId = :distributorId", { distributorId: distributor.id });
  return paginate(ctx.db, ApiClient, qb, args, clientsByCreation);
}

/** The admin's own distributor; the resolvers only let distributor admins call the writes below. */
function adminDistributor(ctx: RequestContext): string {
  const p = ctx.principal;
  if (p?.kind !== "user" || p.role !== UserRole.DISTRIBUTOR_ADMIN || !p.distributorId) throw new ForbiddenError();
  return p.distributorId;
}

function validScopes(errors: UserErrors, scopes: ApiScope[] | null | undefined): ApiScope[] | undefined {
  const unique = [...new Set(scopes ?? [])];
  if (unique.length === 0) {
    errors.add(["input", "scopes"], "At least one scope is required", UserErrorCode.REQUIRED);
    return undefined;
  }
  return unique;
}

// An email is one account across Facet, so an email that is taken cannot be given to a new user,
// and saying so tells an admin that the address has an account. Facet tells no more than that:
// one answer, word for word, and the same statements, whether the address belongs to one of the
// admin's colleagues, to another distributor's user or to the exporter's staff, so the answer
// never reveals another distributor's people or staff. Telling nothing at all would take an
// invitation sent to the address, which Facet does not have.
const EMAIL_UNAVAILABLE = "This email cannot be given to a new user; use another address";

export async function createUser(ctx: RequestContext, input: CreateUserInput): Promise<CreateUserPayload> {
  const distributorId = adminDistributor(ctx);
  const errors = new UserErrors();
  const email = validate.email(errors, ["input", "email"], input.email);
  const name = validate.text(errors, ["input", "name"], input.name, { max: 200, label: "Name" });
  if (input.role !== UserRole.BUYER && input.role !== UserRole.DISTRIBUTOR_ADMIN) {
    errors.add(["input", "role"], "A distributor's user is a BUYER or a DISTRIBUTOR_ADMIN", UserErrorCode.NOT_ALLOWED);
  }
  const password = input.password ?? "";
  if (password.length < MIN_PASSWORD) errors.add(["input", "password"], `Password must be at least ${MIN_PASSWORD} characters`, UserErrorCode.TOO_SHORT);
  if (password.length > MAX_PASSWORD) errors.add(["input", "password"], `Password must be at most ${MAX_PASSWORD} characters`, UserErrorCode.TOO_LONG);
  // Length is the rule (NIST SP 800-63B), but a long run of a few characters guesses in no time.
  else if (password.length >= MIN_PASSWORD && new Set(password.replace(/\s/g, "")).size < MIN_DISTINCT_PASSWORD_CHARACTERS) {
    errors.add(["input", "password"], `Password must use at least ${MIN_DISTINCT_PASSWORD_CHARACTERS} different characters besides spaces`, UserErrorCode.INVALID);
  }
  if (errors.any || !email || !name) return { userErrors: errors.list };

  const passwordHash = await hashSecret(password);
  return mutate(ctx, async (tx) => {
    // One statement whoever holds the email: it inserts, or does nothing when the email is taken
    // (the unique index decides, also against a concurrent writer and rows row-level security
    // hides from the admin), so neither the answer nor the statements sent tell whose it is.
    const inserted = await tx.db
      .createQueryBuilder()
      .insert()
      .into(User)
      .values({ distributorId, email, name, role: input.role, passwordHash, active: true })
      .orIgnore()
      .returning(["id"])
      .execute();
    const id = (inserted.raw as { id?: string }[])[0]?.id;
    if (!id) throw new Rejected(userError(["input", "email"], EMAIL_UNAVAILABLE, UserErrorCode.TAKEN));
    return { user: (await tx.db.findOneBy(User, { id }))!, userErrors: [] };
  }, { unique: { users_email_key: { field: ["input", "email"], message: EMAIL_UNAVAILABLE } } });
}

async function ownUser(ctx: RequestContext, globalId: string): Promise<User | null> {
  const id = idOfType(globalId, "User");
  const user = id ? await ctx.db.findOneBy(User, { id, distributorId: adminDistributor(ctx) }) : null;
  return user;
}

async function setUserActive(ctx: RequestContext, globalId: string, active: boolean): Promise<{ user?: User; userErrors: ReturnType<typeof userError> }> {
  return mutate(ctx, async (tx) => {
    const user = await ownUser(tx, globalId);
    if (!user) throw new Rejected(userError(["input", "id"], "No such user", UserErrorCode.NOT_FOUND));
    if (!active && ctx.principal?.id === user.id) {
      throw new Rejected(userError(["input", "id"], "You cannot deactivate yourself", UserErrorCode.NOT_ALLOWED));
    }
    if (user.active === active) {
      throw new Rejected(userError(["input", "id"], active ? "The user is already active" : "The user is already deactivated", UserErrorCode.INVALID_STATE));
    }
    await tx.db.update(User, { id: user.id }, active ? { active, deactivatedAt: null } : { active, deactivatedAt: () => "now()", tokenVersion: () => "token_version + 1" });
    return { user: (await tx.db.findOneBy(User, { id: user.id }))!, userErrors: [] };
  });
}

export function deactivateUser(ctx: RequestContext, globalId: string): Promise<DeactivateUserPayload> {
  return setUserActive(ctx, globalId, false);
}

export function reactivateUser(ctx: RequestContext, globalId: string): Promise<ReactivateUserPayload> {
  return setUserActive(ctx, globalId, true);
}

export async function createApiClient(ctx: RequestContext, input: CreateApiClientInput): Promise<CreateApiClientPayload> {
  const distributorId = adminDistributor(ctx);
  const errors = new UserErrors();
  const name = validate.text(errors, ["input", "name"], input.name, { max: 200, label: "Name" });
  const scopes = validScopes(errors, input.scopes);
  if (errors.any || !name || !scopes) return { userErrors: errors.list };

  const clientSecret = newClientSecret();
  const secretHash = await hashSecret(clientSecret);
  return mutate(ctx, async (tx) => {
    const apiClient = await tx.db.save(tx.db.create(ApiClient, { distributorId, clientId: newClientId(), name, scopes, secretHash }));
    return { apiClient: (await tx.db.findOneBy(ApiClient, { id: apiClient.id }))!, clientSecret, userErrors: [] };
  });
}

async function ownClient(ctx: RequestContext, globalId: string): Promise<ApiClient> {
  const id = idOfType(globalId, "ApiClient");
  const client = id ? await ctx.db.findOneBy(ApiClient, { id, distributorId: adminDistributor(ctx) }) : null;
  if (!client) throw new Rejected(userError(["input", "id"], "No such API client", UserErrorCode.NOT_FOUND));
  if (client.revokedAt) throw new Rejected(userError(["input", "id"], "The API client is revoked", UserErrorCode.INVALID_STATE));
  return client;
}

export function revokeApiClient(ctx: RequestContext, globalId: string): Promise<RevokeApiClientPayload> {
  return mutate(ctx, async (tx) => {
    const client = await ownClient(tx, globalId);
    await tx.db.update(ApiClient, { id: client.id }, { revokedAt: () => "now()" });
    return { apiClient: (await tx.db.findOneBy(ApiClient, { id: client.id }))!, userErrors: [] };
  });
}

export async function rotateApiClientSecret(ctx: RequestContext, globalId: string): Promise<RotateApiClientSecretPayload> {
  const clientSecret = newClientSecret();
  const secretHash = await hashSecret(clientSecret);
  return mutate(ctx, async (tx) => {
    const client = await ownClient(tx, globalId);
    await tx.db.update(ApiClient, { id: client.id }, { secretHash, secretVersion: () => "secret_version + 1", secretIssuedAt: () => "now()" });
    return { apiClient: (await tx.db.findOneBy(ApiClient, { id: client.id }))!, clientSecret, userErrors: [] };
  });
}
