import { ApolloServer } from "@apollo/server";
import { buildSchema, getIntrospectionQuery, parse, type DocumentNode } from "graphql";
import { BriefCreateDocument, BriefListDocument } from "./generated/graphql";
import { briefCompany, type BriefCompany } from "./support/briefs-factories";
import { errorCodes, ok, startFacet, type TestFacet } from "./support/harness";

// An operation runs on graphql-js the first time Facet sees it and compiled (graphql-jit) from
// the second on: each case asks the same thing three times, so that the interpreted run, the run
// that compiles and a run of the compiled function answer alike.

let facet: TestFacet;
let company: BriefCompany;
beforeAll(async () => {
  facet = await startFacet();
  company = await briefCompany(facet);
});
afterAll(() => facet.stop());

const thrice = async <T>(ask: () => Promise<T>): Promise<T[]> => [await ask(), await ask(), await ask()];
const withoutBudget = (result: { data?: unknown; errors?: unknown }) => ({ data: result.data ?? null, errors: result.errors ?? [] });

describe("the compiled executor", () => {
  it("fills in the defaults of input fields left out, every time", async () => {
    // plating, stones and referenceImages are non-null fields with defaults: graphql-jit alone would refuse the input.
    const input = { title: "Compiled signet", category: "RING", metal: "GOLD", fineness: 750, quantity: 12 } as const;
    const created = await thrice(async () => ok(await facet.gql(BriefCreateDocument, { input }, { token: company.tokens.buyer })).createDesignBrief);
    for (const { designBrief, userErrors } of created) {
      expect(userErrors).toEqual([]);
      expect(designBrief).toMatchObject({ title: "Compiled signet", plating: "NONE", stones: [], referenceImages: [] });
    }
    expect(new Set(created.map((c) => c.designBrief!.id)).size).toBe(3);
  });

  it("answers a repeated list the same", async () => {
    const pages = await thrice(async () => withoutBudget(await facet.gql(BriefListDocument, { first: 10 }, { token: company.tokens.buyer })));
    expect((pages[0].data as { designBriefs: { edges: unknown[] } }).designBriefs.edges.length).toBeGreaterThanOrEqual(3);
    expect(pages[1]).toEqual(pages[0]);
    expect(pages[2]).toEqual(pages[0]);
  });

  it("reports a resolver's error the same, with its code, argument and path", async () => {
    const refusals = await thrice(async () => withoutBudget(await facet.gql(BriefListDocument, { first: 10, after: "bm90LWEtY3Vyc29y" }, { token: company.tokens.buyer })));
    expect(errorCodes(refusals[0] as never)).toEqual(["BAD_USER_INPUT"]);
    expect(refusals[0].errors).toEqual([expect.objectContaining({ path: ["designBriefs"], extensions: expect.objectContaining({ argument: "after" }) })]);
    expect(refusals[1]).toEqual(refusals[0]);
    expect(refusals[2]).toEqual(refusals[0]);
  });

  it("answers introspection the same", async () => {
    const introspection = parse(getIntrospectionQuery()) as DocumentNode;
    const answers = await thrice(async () => withoutBudget(await facet.gql(introspection as never, {}, { token: company.tokens.manager })));
    expect(answers[0].errors).toEqual([]);
    expect((answers[0].data as { __schema: { types: unknown[] } }).__schema.types.length).toBeGreaterThan(50);
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });
});

describe("Apollo's gateway request context (patches/@apollo+server+5.5.1.patch)", () => {
  it("keeps the response's HTTP status on a class, not on accessors of each request's own object, and still writes it through", async () => {
    const schema = buildSchema("type Query { hello: String }");
    let http: { status?: number } | undefined;
    const server = new ApolloServer({
      gateway: {
        async load() {
          return {
            executor: async (requestContext) => {
              http = requestContext.response!.http as { status?: number };
              http.status = 203;
              return { data: { hello: "world" } };
            },
          };
        },
        onSchemaLoadOrUpdate(callback) {
          callback({ apiSchema: schema, coreSupergraphSdl: "" });
          return () => undefined;
        },
        async stop() {},
      },
    });
    await server.start();
    try {
      const response = await server.executeOperation({ query: "{ hello }" });
      expect(response.http.status).toBe(203);
      // Each request's literal with its own accessors had a hidden class of its own, which kept
      // the whole request alive through the young generation's collections.
      expect(Object.getOwnPropertyDescriptor(http!, "status")).toBeUndefined();
      expect(Object.getPrototypeOf(http!).constructor.name).toBe("GatewayResponseHttp");
    } finally {
      await server.stop();
    }
  });
});
