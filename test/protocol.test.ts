import { ApiScope } from "../src/core/access";
import { User } from "../src/modules/accounts";
import { clientToken, createApiClient, createDistributor, userToken } from "./support/factories";
import { startFacet, type TestFacet } from "./support/harness";

// GraphQL over HTTP as clients send it (Apollo Client, urql, Relay, GraphiQL): every mistake of
// theirs answers 4xx with Apollo's code where Apollo has one, never a 500; one refused root field
// leaves its siblings' data; objects a normalised cache keeps have ids.

let facet: TestFacet;
let buyer: string;
beforeAll(async () => {
  facet = await startFacet({ NODE_ENV: "production" });
  buyer = userToken(facet.config, await facet.dataSource.manager.findOneByOrFail(User, { email: "buyer@atelier-paris.example" }));
});
afterAll(() => facet.stop());

interface Answer {
  status: number;
  body: { data?: Record<string, any> | null; errors?: { message: string; path?: string[]; extensions: { code: string } }[] };
}

async function send(body: unknown, token: string | undefined = buyer): Promise<Answer> {
  const response = await fetch(await facet.url("/graphql"), {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Answer["body"] };
}
const codeOf = (answer: Answer) => [answer.status, answer.body.errors?.[0]?.extensions.code];

describe("a request the client got wrong", () => {
  it("names an operation the document does not have: 400, OPERATION_RESOLUTION_FAILURE", async () => {
    const answer = await send({ query: "query A { viewer { role } }", operationName: "B" });
    expect(codeOf(answer)).toEqual([400, "OPERATION_RESOLUTION_FAILURE"]);
    expect(answer.body.errors![0].message).toBe('Unknown operation named "B".');
  });

  it("holds two operations and names neither: 400, OPERATION_RESOLUTION_FAILURE", async () => {
    expect(codeOf(await send({ query: "query A { viewer { role } } query B { viewer { role } }" }))).toEqual([400, "OPERATION_RESOLUTION_FAILURE"]);
  });

  it("runs the operation it names when the document holds several", async () => {
    const answer = await send({ query: "query A { viewer { role } } query B { viewer { scopes } }", operationName: "B" });
    expect([answer.status, answer.body]).toEqual([200, { data: { viewer: { scopes: [] } }, extensions: expect.anything() }]);
  });

  it("is a subscription: 400, BAD_REQUEST, pointing at the WebSocket", async () => {
    const answer = await send({ query: "subscription S { myOrdersUpdated { id } }" });
    expect(codeOf(answer)).toEqual([400, "BAD_REQUEST"]);
    expect(answer.body.errors![0].message).toMatch(/WebSocket/);
  });

  it("does not parse, does not validate, is a batch or an unknown persisted query: Apollo's own codes", async () => {
    expect(codeOf(await send({ query: "{ viewer { " }))).toEqual([400, "GRAPHQL_PARSE_FAILED"]);
    expect(codeOf(await send({ query: "{ viewer { nope } }" }))).toEqual([400, "GRAPHQL_VALIDATION_FAILED"]);
    expect(codeOf(await send([{ query: "{ viewer { role } }" }]))).toEqual([400, "BAD_REQUEST"]);
    expect(codeOf(await send({ extensions: { persistedQuery: { version: 1, sha256Hash: "0".repeat(64) } } }))).toEqual([200, "PERSISTED_QUERY_NOT_FOUND"]);
  });
});

describe("root fields", () => {
  it("answer each for itself: a field the caller may not read is null beside its siblings' data", async () => {
    const distributor = await createDistributor(facet.dataSource);
    const { client } = await createApiClient(facet.dataSource, distributor, { scopes: [ApiScope.ORDERS_READ] });
    const answer = await send({ query: "{ viewer { scopes } orders(first: 1) { nodes { number } } products(first: 1) { nodes { styleCode } } }" }, clientToken(facet.config, client));
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({ viewer: { scopes: ["ORDERS_READ"] }, orders: { nodes: [] }, products: null });
    expect(answer.body.errors!.map((e) => [e.path, e.extensions.code])).toEqual([[["products"], "FORBIDDEN"]]);
  });
});

describe("objects a client's cache normalises", () => {
  it("have ids that stay the same from one request to the next: the viewer, order lines, tracking events, brief comments", async () => {
    const query = `{
      viewer { id }
      orders(first: 20) { nodes { lines { id } shipments { events(first: 5) { nodes { id } } } } }
      designBriefs(first: 20) { nodes { comments(first: 5) { nodes { id } } } }
    }`;
    const first = await send({ query });
    const again = await send({ query });
    expect(first.status).toBe(200);
    expect(again.body.data).toEqual(first.body.data);
    const data = first.body.data!;
    const lines = data.orders.nodes.flatMap((o: any) => o.lines.map((l: any) => l.id));
    const events = data.orders.nodes.flatMap((o: any) => o.shipments.flatMap((s: any) => s.events.nodes.map((e: any) => e.id)));
    const comments = data.designBriefs.nodes.flatMap((b: any) => b.comments.nodes.map((c: any) => c.id));
    for (const ids of [lines, events, comments]) {
      expect(ids.length).toBeGreaterThan(0);
      expect(new Set(ids).size).toBe(ids.length);
    }
    expect(typeof data.viewer.id).toBe("string");
  });
});

describe("orderBy", () => {
  it("may be left out or given as null on every list, which then takes its default order", async () => {
    const named = await send({ query: "{ products(first: 5, orderBy: NAME) { nodes { styleCode } } }" });
    for (const orderBy of ["", ", orderBy: null"]) {
      const answer = await send({ query: `{ products(first: 5${orderBy}) { nodes { styleCode } } }` });
      expect(answer.body.data).toEqual(named.body.data);
    }
    const newest = await send({ query: "{ orders(first: 5, orderBy: NEWEST) { nodes { number } } }" });
    expect((await send({ query: "{ orders(first: 5, orderBy: null) { nodes { number } } }" })).body.data).toEqual(newest.body.data);
  });
});
