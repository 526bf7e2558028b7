import { auditServer, serverAudits, type AuditResult } from "graphql-http";
import { startFacet, type TestFacet } from "./support/harness";

// The GraphQL-over-HTTP conformance audits of graphql-http, over real HTTP. They send anonymous
// requests, some of them introspecting (`__type`), so they run against the test configuration,
// where introspection is open; in production it is for signed-in callers only.
let facet: TestFacet;
beforeAll(async () => {
  facet = await startFacet();
});
afterAll(() => facet.stop());

describe("GraphQL over HTTP server audits", () => {
  for (const audit of serverAudits({ url: () => facet.url("/graphql"), fetchFn: fetch })) {
    it(`${audit.id} ${audit.name}`, async () => {
      const result = await audit.fn();
      if (result.status === "error") throw new Error(`${result.reason}`);
      expect(["ok", "notice", "warn"]).toContain(result.status);
    });
  }
});

describe("GraphQL over HTTP server audits in production", () => {
  let production: TestFacet;
  beforeAll(async () => {
    production = await startFacet({ NODE_ENV: "production" });
  });
  afterAll(() => production.stop());

  // These two introspect anonymously (`{ __type(name: "Run🏃Swim🏊") … }`), which production
  // refuses: they fail for that reason and no other.
  const INTROSPECTING = ["28B9", "BF61"];

  it("fail only where they introspect anonymously", async () => {
    const results: AuditResult[] = await auditServer({ url: await production.url("/graphql"), fetchFn: fetch });
    const errors = results.filter((r) => r.status === "error");
    expect(errors.map((r) => r.id).sort()).toEqual(INTROSPECTING);
    for (const error of errors) {
      if (error.status === "ok") continue;
      expect(error.response.status).toBe(401);
      expect(await error.response.json()).toMatchObject({ errors: [{ extensions: { code: "UNAUTHENTICATED" } }] });
    }
  });
});
