import { print } from "graphql";
import type { QueryRunner } from "typeorm";
import { DeactivateUserDocument, LoginDocument, ViewerPersonDocument } from "./generated/graphql";
import { twoTenants } from "./support/factories";
import { startFacet, type TestFacet } from "./support/harness";
import { logged } from "./support/logs";

// Internal errors reach clients as a bare INTERNAL_SERVER_ERROR: no message of the driver, no
// SQL, no stack, whatever NODE_ENV says. The details go to the log under the request id.

interface HttpResult {
  status: number;
  requestId: string | null;
  text: string;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

async function post(facet: TestFacet, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<HttpResult> {
  const response = await fetch(await facet.url("/graphql"), {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  return { status: response.status, requestId: response.headers.get("x-request-id"), text, body: JSON.parse(text) };
}

// Words of the driver, the SQL and a stack that must never reach a client.
const LEAKS = /lock|timeout|terminat|pool|ECONN|SQL|SELECT|UPDATE|users|QueryFailed|TypeORM|postgres|driver|stack|\.ts:\d|\bat \w|Context creation/i;

function expectMasked(result: HttpResult) {
  expect(result.body.errors).toHaveLength(1);
  const [error] = result.body.errors!;
  expect(error.message).toBe("Internal server error");
  expect(error.extensions).toEqual({ code: "INTERNAL_SERVER_ERROR" });
  expect(result.text).not.toMatch(LEAKS);
}

// The embedded database runs every connection on one session, so no request can wait on another's lock there.
const realPostgres = process.env.FACET_TEST_EMBEDDED !== "1";

describe.each(["test", "production"])("with NODE_ENV=%s", (nodeEnv) => {
  let facet: TestFacet;
  beforeAll(async () => {
    facet = await startFacet({ NODE_ENV: nodeEnv, LOG_LEVEL: "error" });
  });
  afterAll(() => facet.stop());

  (realPostgres ? it : it.skip)("answers a lock that does not come in time as retryable, masked, and rolls its request back", async () => {
    const { a } = await twoTenants(facet.dataSource, facet.config);
    // Another transaction holds the buyer's row, so the deactivation's UPDATE gives up on the lock.
    const holder: QueryRunner = facet.dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    try {
      await holder.query(`SELECT 1 FROM users WHERE id = $1 FOR UPDATE`, [a.buyer.id]);
      const { result, lines } = await logged(() => post(facet, print(DeactivateUserDocument), { input: { id: a.ids.buyer } }, a.tokens.admin));
      // A moment's contention, not the request's fault nor a bug: try again (after mutate's own tries).
      expect(result.status).toBe(503);
      expect(result.body.data).toBeNull();
      expect(result.body.errors).toEqual([
        { message: "Facet is busy; retry in 3 s", locations: expect.any(Array), path: ["deactivateUser"], extensions: { code: "SERVICE_UNAVAILABLE", retryAfter: 3 } },
      ]);
      expect(result.text).not.toMatch(LEAKS);

      // The log has what the client was not told, under the id the client was given.
      expect(result.requestId).toMatch(/^[0-9a-f-]{36}$/);
      const entry = lines.find((l) => l.message === "a temporary database failure; the client was told to retry");
      expect(entry).toMatchObject({ level: "warn", requestId: result.requestId, path: ["deactivateUser"], error: { message: expect.stringMatching(/lock timeout/) } });
    } finally {
      await holder.rollbackTransaction();
      await holder.release();
    }
    const [row] = (await facet.dataSource.query(`SELECT active FROM users WHERE id = $1`, [a.buyer.id])) as { active: boolean }[];
    expect(row.active).toBe(true);
  });

  describe("when the database connection is gone", () => {
    let broken: TestFacet;
    let token: string;
    beforeAll(async () => {
      broken = await startFacet({ NODE_ENV: nodeEnv, LOG_LEVEL: "error" });
      token = (await twoTenants(broken.dataSource, broken.config)).a.tokens.buyer;
      await broken.url();
      await broken.dataSource.destroy();
    });
    afterAll(() => broken.server.stop());

    it("masks the failure of an anonymous sign-in", async () => {
      const { result, lines } = await logged(() => post(broken, print(LoginDocument), { input: { email: "someone@test.example", password: "whatever it is" } }));
      expect(result.status).toBe(200);
      expectMasked(result);
      expect(result.body.errors![0]).toMatchObject({ path: ["login"] });
      expect(lines.find((l) => l.message === "internal error")).toMatchObject({ requestId: result.requestId });
    });

    it("masks the failure to read a token's user, with HTTP 500", async () => {
      const { result, lines } = await logged(() => post(broken, print(ViewerPersonDocument), {}, token));
      expect(result.status).toBe(500);
      expect(result.body.data).toBeUndefined();
      expectMasked(result);
      expect(lines.find((l) => l.message === "internal error")).toMatchObject({ requestId: result.requestId });
    });
  });
});
