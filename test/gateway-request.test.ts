import { getHeapSpaceStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { ApolloServer, HeaderMap } from "@apollo/server";
import { GraphQLObjectType, GraphQLSchema, GraphQLString } from "graphql";
import { compiledExecutor } from "../src/graphql/executor";
import {
  apolloGatewayRequestContext,
  gatewayRequestContext,
  gatewayRequestContextInUse,
  GatewayHttpResponse,
  setGatewayRequestBuilder,
  type GatewayRequestContext,
} from "../src/graphql/gateway-request";

// Apollo Server builds the request context a gateway's executor gets (Facet's compiled executor
// is one) for every operation; Facet has it built by gatewayRequestContext instead, because
// Apollo's own keeps every operation's objects past the young generation's collections (see
// src/graphql/gateway-request.ts). These tests run Apollo's real pipeline over a small schema.

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as (options: { type: "minor" | "major" }) => void;

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: "Query",
    fields: {
      hello: {
        type: GraphQLString,
        args: { name: { type: GraphQLString } },
        resolve: (_root, { name }: { name?: string }, context: { greeting?: string }) => `${context.greeting ?? "hello"} ${name ?? "world"}`,
      },
    },
  }),
});

async function startApollo(executor?: (context: GatewayRequestContext) => Promise<unknown>): Promise<ApolloServer> {
  const gateway = compiledExecutor(schema);
  const server = new ApolloServer({ gateway: executor ? { ...gateway, load: async () => ({ executor: executor as never }) } : gateway });
  await server.start();
  return server;
}

describe("the gateway request context", () => {
  it("is built by Facet's builder once a compiled executor exists", () => {
    compiledExecutor(schema);
    expect(gatewayRequestContextInUse()).toBe(true);
    expect(typeof apolloGatewayRequestContext).toBe("function");
  });

  it("carries what Apollo's did, with the status written through to the response", async () => {
    let seen: GatewayRequestContext | undefined;
    const server = await startApollo(async (context) => {
      seen = context;
      context.response!.http!.status = 202;
      context.response!.http!.headers.set("x-answered-by", "gateway");
      return { data: { hello: "hi" } };
    });
    try {
      const response = await server.executeHTTPGraphQLRequest({
        httpGraphQLRequest: {
          method: "POST",
          headers: new HeaderMap([
            ["content-type", "application/json"],
            ["x-request-id", "r-1"],
          ]),
          search: "a=1",
          body: { query: "query Greet($name: String) { hello(name: $name) }", operationName: "Greet", variables: { name: "Ada" } },
        },
        context: async () => ({ marker: "context" }),
      });
      expect(response.status).toBe(202);
      expect(response.headers.get("x-answered-by")).toBe("gateway");
      expect(seen!.request).toMatchObject({ query: expect.stringContaining("hello(name: $name)"), operationName: "Greet", variables: { name: "Ada" } });
      expect(seen!.request.http!.method).toBe("POST");
      expect(seen!.request.http!.url).toBe("https://unknown-url.invalid/?a=1");
      expect(seen!.request.http!.headers.get("x-request-id")).toBe("r-1");
      expect(seen!.request.http!.headers.has("content-type")).toBe(true);
      expect(seen!.context).toEqual({ marker: "context" });
      expect(seen!.operationName).toBe("Greet");
      expect(seen!.operation.operation).toBe("query");
      expect(seen!.document.kind).toBe("Document");
      expect(seen!.queryHash).toMatch(/^[0-9a-f]{64}$/);
      // The status is the class's, not an accessor of the object's own.
      expect(seen!.response!.http).toBeInstanceOf(GatewayHttpResponse);
      expect(Object.getOwnPropertyDescriptor(seen!.response!.http!, "status")).toBeUndefined();
    } finally {
      await server.stop();
    }
  });

  it("answers through the compiled executor, the first time and compiled", async () => {
    const server = await startApollo();
    try {
      for (let i = 0; i < 3; i++) {
        const response = await server.executeOperation({ query: `{ hello(name: "Grace") }` }, { contextValue: { greeting: "hi" } });
        expect(response.body).toEqual({ kind: "single", singleResult: { data: { hello: "hi Grace" } } });
      }
    } finally {
      await server.stop();
    }
  });

  it("leaves nothing of an operation to outlive the young generation's collections", async () => {
    const server = await startApollo();
    const oldSpace = () => getHeapSpaceStatistics().find((space) => space.space_name === "old_space")!.space_used_size;
    // What the old generation gained from 200 operations, each with a context of 500 objects
    // (about 6 MB in all), once two young-generation collections have run after them: what
    // survived those was promoted there. (A full collection first, so that it starts clean.)
    // Each context is small beside the young generation, so that it is rarely there for two of
    // the collections that run while the operations do.
    const promoted = async (): Promise<number> => {
      gc({ type: "major" });
      const before = oldSpace();
      for (let i = 0; i < 200; i++) {
        const contextValue = { payload: Array.from({ length: 500 }, (_, j) => ({ j, label: `row ${j}` })) };
        await server.executeOperation({ query: `{ hello }` }, { contextValue });
      }
      await new Promise((resolve) => setImmediate(resolve));
      gc({ type: "minor" });
      gc({ type: "minor" });
      return oldSpace() - before;
    };
    const MB = 1024 * 1024;
    try {
      setGatewayRequestBuilder(gatewayRequestContext);
      await promoted(); // the first round also fills caches and compiles the operation
      expect(await promoted()).toBeLessThan(1 * MB);

      // Apollo's own builder: the contexts are promoted (a full collection frees them). Should V8
      // stop keeping them, this says so, and Facet's builder can go.
      setGatewayRequestBuilder(apolloGatewayRequestContext);
      expect(await promoted()).toBeGreaterThan(4 * MB);
    } finally {
      setGatewayRequestBuilder(gatewayRequestContext);
      await server.stop();
    }
  });
});
