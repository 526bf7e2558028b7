import { isObjectType, type GraphQLField, type GraphQLObjectType, type GraphQLResolveInfo, type GraphQLSchema } from "graphql";
import { getMetadataStorage } from "type-graphql";
import { Allow } from "../src/graphql/access";
import { ALL_SCOPES, ANYONE, Roles, SIGNED_IN, UserRole, type ApiScope } from "../src/core/access";
import type { Principal, RequestContext } from "../src/core/context";
import { buildFacetSchema } from "../src/server/schema";
import { testConfig } from "./support/harness";

// Facet is deny-by-default: every root field declares who may call it with @Allow, which records
// the rule in the field's `extensions.access`. This walks the built schema, so a field added
// without a rule fails here, and calls each field's resolver as callers the rule leaves out,
// so a rule that is declared but not enforced fails too.

const VALID_RULES = new Set<string>([...Object.values(UserRole), ...ALL_SCOPES, ANYONE, SIGNED_IN]);

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildFacetSchema();
});

type Field = GraphQLField<unknown, unknown>;
const accessOf = (field: Field): unknown => (field.extensions as { access?: unknown }).access;

function rootFields(): { name: string; field: Field }[] {
  return [schema.getQueryType()!, schema.getMutationType()!].flatMap((type) => Object.values(type.getFields()).map((field) => ({ name: `${type.name}.${field.name}`, field })));
}

function objectFields(): { name: string; field: Field }[] {
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]);
  return Object.values(schema.getTypeMap())
    .filter((type): type is GraphQLObjectType => isObjectType(type) && !type.name.startsWith("__") && !roots.has(type))
    .flatMap((type) => Object.values(type.getFields()).map((field) => ({ name: `${type.name}.${field.name}`, field })));
}

/** What is wrong with a field's declared rule, or null when it is a usable rule. */
function ruleProblem(access: unknown): string | null {
  if (access === undefined) return "no access rule";
  if (!Array.isArray(access)) return `access is not a list: ${JSON.stringify(access)}`;
  if (access.length === 0) return "an empty access rule";
  const unknown = access.filter((rule) => !VALID_RULES.has(rule));
  return unknown.length ? `unknown rules ${JSON.stringify(unknown)}` : null;
}

const config = testConfig();
const context = (principal: Principal | null): RequestContext =>
  // No database: a denied caller must be stopped before the resolver runs.
  ({ requestId: "access-test", config, principal, db: undefined as never, dataSource: undefined as never, loaders: new Map(), ip: undefined });

const TENANT = "00000000-0000-4000-8000-000000000002";

/** Every kind of caller the rule leaves out: each role it does not name, and an API client with every scope it does not name. */
function outsiders(rules: string[]): Principal[] {
  if (rules.includes(ANYONE) || rules.includes(SIGNED_IN)) return [];
  const users: Principal[] = Object.values(UserRole)
    .filter((role) => !rules.includes(role))
    .map((role) => ({ kind: "user", id: "00000000-0000-4000-8000-000000000001", role, distributorId: (Roles.STAFF as readonly UserRole[]).includes(role) ? null : TENANT }));
  const scopes = ALL_SCOPES.filter((scope) => !rules.includes(scope)) as ApiScope[];
  const clients: Principal[] = scopes.length ? [{ kind: "apiClient", id: "00000000-0000-4000-8000-000000000003", scopes, distributorId: TENANT }] : [];
  return [...users, ...clients];
}

const describeCaller = (p: Principal) => (p.kind === "user" ? p.role : `client with ${p.scopes.join(" ")}`);

async function codeOfCall(field: Field, principal: Principal | null): Promise<unknown> {
  try {
    await field.resolve!({}, {}, context(principal), {} as GraphQLResolveInfo);
    return "resolved";
  } catch (error) {
    return (error as { extensions?: { code?: unknown } }).extensions?.code ?? `threw ${String(error)}`;
  }
}

describe("the schema walk", () => {
  it("finds an access rule of known roles, scopes, SIGNED_IN or ANYONE on every Query and Mutation field", () => {
    const fields = rootFields();
    expect(fields.length).toBeGreaterThan(40);
    const problems = fields.map(({ name, field }) => [name, ruleProblem(accessOf(field))]).filter(([, problem]) => problem !== null);
    expect(problems).toEqual([]);
  });

  it("lets anonymous callers reach only login", () => {
    const open = rootFields().filter(({ field }) => (accessOf(field) as string[]).includes(ANYONE));
    expect(open.map((f) => f.name)).toEqual(["Mutation.login"]);
  });

  it("refuses anonymous callers on every other root field before its resolver runs", async () => {
    const results: [string, unknown][] = [];
    for (const { name, field } of rootFields()) {
      if ((accessOf(field) as string[]).includes(ANYONE)) continue;
      results.push([name, await codeOfCall(field, null)]);
    }
    expect(results.filter(([, code]) => code !== "UNAUTHENTICATED")).toEqual([]);
    expect(results.length).toBe(rootFields().length - 1);
  });

  it("refuses every caller a root field's rule leaves out", async () => {
    const results: [string, string, unknown][] = [];
    for (const { name, field } of rootFields()) {
      for (const principal of outsiders(accessOf(field) as string[])) results.push([name, describeCaller(principal), await codeOfCall(field, principal)]);
    }
    expect(results.filter(([, , code]) => code !== "FORBIDDEN")).toEqual([]);
    // Most root fields are for some callers only; the walk must have tried them.
    expect(new Set(results.map(([name]) => name)).size).toBeGreaterThan(30);
  });

  it("finds a valid rule on every role-gated object field, and the gate enforced", async () => {
    const gated = objectFields().filter(({ field }) => accessOf(field) !== undefined);
    expect(gated.map((f) => f.name)).toEqual(expect.arrayContaining(["Distributor.users", "Distributor.apiClients"]));
    expect(gated.map(({ name, field }) => [name, ruleProblem(accessOf(field))]).filter(([, problem]) => problem !== null)).toEqual([]);
    const results: [string, string, unknown][] = [];
    for (const { name, field } of gated) {
      const rules = accessOf(field) as string[];
      if (!rules.includes(ANYONE)) results.push([name, "anonymous", await codeOfCall(field, null)]);
      for (const principal of outsiders(rules)) results.push([name, describeCaller(principal), await codeOfCall(field, principal)]);
    }
    expect(results.filter(([, caller, code]) => code !== (caller === "anonymous" ? "UNAUTHENTICATED" : "FORBIDDEN"))).toEqual([]);
    // A distributor's people and integrations are for its admins and staff: buyers and API clients are refused.
    expect(results.filter(([name]) => name === "Distributor.users").map(([, caller]) => caller)).toEqual(["anonymous", "BUYER", `client with ${ALL_SCOPES.join(" ")}`]);
  });

  it("finds every type-graphql authorization declared through Allow, so the rule shown is the rule enforced", () => {
    const storage = getMetadataStorage() as unknown as { authorizedFields: { target: Function; fieldName: string; roles: string[] }[] };
    const declared = new Map<string, unknown>();
    for (const { name, field } of [...rootFields(), ...objectFields()]) {
      const access = accessOf(field);
      if (access !== undefined) declared.set(name.split(".")[1] + "|" + JSON.stringify(access), access);
    }
    const undeclared = storage.authorizedFields.filter((f) => !declared.has(`${f.fieldName}|${JSON.stringify(f.roles)}`)).map((f) => `${f.target.name}.${f.fieldName}`);
    expect(undeclared).toEqual([]);
    // A class-wide @Authorized would apply rules that no field shows.
    expect((getMetadataStorage() as unknown as { authorizedResolver: unknown[] }).authorizedResolver).toEqual([]);
  });
});

describe("Allow", () => {
  it("refuses to declare an empty rule", () => {
    expect(() => Allow()).toThrow("Allow() needs at least one rule");
  });
});
