import { buildSchema, isObjectType, type GraphQLField, type GraphQLObjectType, type GraphQLResolveInfo, type GraphQLSchema } from "graphql";
import { getMetadataStorage } from "type-graphql";
import { Allow, domainCrossings, type Crossing } from "../src/graphql/access";
import { ALL_SCOPES, ANYONE, ApiScope, Readers, Roles, ruleWithin, SIGNED_IN, UserRole, type AccessRule } from "../src/core/access";
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
  return [schema.getQueryType()!, schema.getMutationType()!, schema.getSubscriptionType()!].flatMap((type) => Object.values(type.getFields()).map((field) => ({ name: `${type.name}.${field.name}`, field })));
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

// A field that leads into another domain's type checks that type's readers: the domain's object
// types name them once (registerNode), and the walk below works out, from the built schema, who
// may reach each type by any path. A field through which anyone outside the readers of the type
// it returns could reach it must carry a rule within those readers, and be nullable, so that a
// refused caller gets null there with a FORBIDDEN error and the rest of the response stands.

/** What is wrong with a crossing, or null when it is checked as the type it returns is. */
function crossingProblem(c: Crossing): string | null {
  const outsiders = c.reach.filter((rule) => !ruleWithin([rule], c.readers));
  if (c.access === undefined) return `no rule: ${outsiders.join(", ")} would read ${c.returns} through it`;
  if (!ruleWithin(c.access, c.readers)) return `its rule ${JSON.stringify(c.access)} lets in callers ${c.returns}'s readers leave out`;
  if (!c.nullable) return "not nullable: a refusal would null its parent";
  return null;
}

describe("fields that cross into another domain", () => {
  it("carry a rule within the readers of the type they return, and are nullable", () => {
    const crossings = domainCrossings(schema).filter((c) => !c.answer);
    expect(crossings.map((c) => c.field)).toEqual(
      expect.arrayContaining(["OrderLineView.variant", "Order.shipments", "Order.designBrief", "Shipment.order", "DesignBrief.order", "ShipmentFeedback.shipment"]),
    );
    expect(crossings.map((c) => [c.field, crossingProblem(c)]).filter(([, problem]) => problem !== null)).toEqual([]);
  });

  it("gate an order line's variant with the catalog's readers", () => {
    const variant = schema.getType("OrderLineView") as GraphQLObjectType;
    expect(accessOf(variant.getFields().variant)).toEqual(Readers.CATALOG);
  });

  it("leave only mutations' answers unchecked: each shows its writer the object it wrote", () => {
    // A client that may write a domain but not read it (orders:write, briefs:write,
    // feedback:write) reads back what it wrote; the fields of that object that lead further
    // are checked like any other (an order's lines' variants, a report's shipment).
    const answers = domainCrossings(schema)
      .filter((c) => c.answer)
      .map((c) => `${c.field} → ${c.returns}`)
      .sort();
    expect(answers).toEqual([
      "AcceptDesignBriefQuotePayload.designBrief → DesignBrief",
      "AddDesignBriefCommentPayload.designBrief → DesignBrief",
      "CancelOrderPayload.order → Order",
      "CreateDesignBriefPayload.designBrief → DesignBrief",
      "DeclineDesignBriefQuotePayload.designBrief → DesignBrief",
      "PlaceOrderPayload.order → Order",
      "ReorderPayload.order → Order",
      "RequestDesignBriefRevisionPayload.designBrief → DesignBrief",
      "SubmitDesignBriefPayload.designBrief → DesignBrief",
      "SubmitShipmentFeedbackPayload.feedback → ShipmentFeedback",
      "UpdateDesignBriefPayload.designBrief → DesignBrief",
      "UpdateShipmentFeedbackPayload.feedback → ShipmentFeedback",
      "WithdrawDesignBriefPayload.designBrief → DesignBrief",
    ]);
  });

  it("finds a crossing without its rule however it is reached: directly, through a view type, or past a mutation's answer", () => {
    const toy = buildSchema(`
      type Query { order: Order, view: OrderView }
      type Mutation { report: ReportPayload }
      type Order { number: String, variant: Variant, lines: [OrderLineView!]! }
      type OrderLineView { variant: Variant, gated: Variant }
      type OrderView { order: Order }
      type Variant { sku: String, product: Product! }
      type Product { name: String }
      type ReportPayload { report: Report }
      type Report { order: Order }
    `);
    const rules: Record<string, readonly AccessRule[]> = { Order: Readers.ORDERS, Variant: Readers.CATALOG, Product: Readers.CATALOG, Report: Readers.SHIPMENTS };
    const setAccess = (type: string, field: string, access: readonly string[]) => {
      (toy.getType(type) as GraphQLObjectType).getFields()[field].extensions = { access };
    };
    setAccess("Query", "order", Readers.ORDERS);
    setAccess("Query", "view", Readers.ORDERS);
    setAccess("Mutation", "report", [ApiScope.FEEDBACK_WRITE]);
    setAccess("OrderLineView", "gated", Readers.CATALOG);
    const found = domainCrossings(toy, (name) => rules[name]);
    expect(found.map((c) => [c.field, c.answer, crossingProblem(c) === null]).sort()).toEqual([
      // Reaching Order past the answer, a feedback:write client would read it and the variants.
      ["Order.variant", false, false],
      ["OrderLineView.gated", false, true],
      ["OrderLineView.variant", false, false],
      ["Report.order", false, false],
      ["ReportPayload.report", true, false],
      // Product is reached from Variant by orders:read callers through the ungated fields.
      ["Variant.product", false, false],
    ]);
  });
});

describe("Allow", () => {
  it("refuses to declare an empty rule", () => {
    expect(() => Allow()).toThrow("Allow() needs at least one rule");
  });
});
