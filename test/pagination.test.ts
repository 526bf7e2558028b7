import { UserRole } from "../src/core/access";
import { fromGlobalId, toGlobalId } from "../src/graphql/node";
import { Distributor } from "../src/modules/accounts";
import {
  DistributorApiClientsDocument,
  DistributorMembersDocument,
  DistributorsDocument,
  ProductsByNameDocument,
  type DistributorMembersQuery,
} from "./generated/graphql";
import { createApiClient, createDistributor, createUser, unique, userToken } from "./support/factories";
import { ok, startFacet, type GraphQLResult, type TestFacet } from "./support/harness";

// Every list pages through the one keyset paginate(); distributors (by name, with ties) and a
// distributor's users (by email) are walked here while rows keep arriving.
let facet: TestFacet;
let staff: string;
beforeAll(async () => {
  facet = await startFacet();
  staff = userToken(facet.config, await createUser(facet.dataSource, { role: UserRole.SUPPORT }));
});
afterAll(() => facet.stop());

interface Page {
  ids: string[];
  endCursor: string | null;
  hasNextPage: boolean;
}

/** Rows in the order the database sorts them, which is the order the list must follow. */
const distributorsInOrder = async (tag: string) =>
  ((await facet.dataSource.query(`SELECT id FROM distributors WHERE name LIKE $1 ORDER BY name, id`, [`${tag}%`])) as { id: string }[]).map((r) =>
    toGlobalId("Distributor", r.id),
  );

async function distributorPage(tag: string, first: number, after: string | null): Promise<Page> {
  const { distributors } = ok(await facet.gql(DistributorsDocument, { first, after, filter: { search: tag } }, { token: staff }));
  const ids = distributors!.edges.map((e) => e.node.id);
  expect(distributors!.pageInfo.hasPreviousPage).toBe(after !== null);
  expect(distributors!.pageInfo.startCursor).toBe(distributors!.edges[0]?.cursor ?? null);
  expect(distributors!.pageInfo.endCursor).toBe(distributors!.edges.at(-1)?.cursor ?? null);
  return { ids, endCursor: distributors!.pageInfo.endCursor, hasNextPage: distributors!.pageInfo.hasNextPage };
}

const named = (name: string) => createDistributor(facet.dataSource, { code: unique("pg"), name });
const gid = (d: Distributor) => toGlobalId("Distributor", d.id);

describe("walking a list page by page while rows are inserted", () => {
  it("returns every row that was there exactly once, and rows inserted ahead of the cursor too", async () => {
    const tag = unique("walk");
    // Three names tie, so the id decides their order across page boundaries.
    const originals: Distributor[] = [];
    for (const suffix of ["b", "d", "d", "d", "f", "h", "j", "l"]) originals.push(await named(`${tag} ${suffix}`));

    const seen: string[] = [];
    const behind = new Set<string>(); // inserted before the cursor: must never show
    const ahead = new Set<string>(); // inserted after the cursor: must show
    const tiesOfLast: { id: string; lastSeen: string }[] = []; // same name as the cursor row: decided by id
    const racing: { id: string; before: string | null; after: string | null }[] = []; // inserted during a page fetch
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      // Rows arrive while the first pages are read, so that the walk still ends.
      const inserting = pages < 4;
      const cursorRow = seen.at(-1) ?? null;
      // One row races the page fetch itself.
      const [page, raced]: [Page, Distributor | null] = await Promise.all([distributorPage(tag, 2, after), inserting ? named(`${tag} k${pages}`) : null]);
      pages++;
      seen.push(...page.ids);
      if (raced) racing.push({ id: gid(raced), before: cursorRow, after: page.hasNextPage ? page.ids.at(-1)! : null });
      if (!page.hasNextPage) break;
      const last = page.ids.at(-1)!;
      if (inserting) {
        const lastName = (await facet.dataSource.manager.findOneByOrFail(Distributor, { id: fromGlobalId(last)!.id })).name;
        behind.add(gid(await named(`${tag} a${pages}`)));
        ahead.add(gid(await named(`${tag} z${pages}`)));
        tiesOfLast.push({ id: gid(await named(lastName)), lastSeen: last });
      }
      after = page.endCursor;
      expect(pages).toBeLessThan(50);
    }

    const order = await distributorsInOrder(tag);
    const position = (id: string) => order.indexOf(id);
    expect(new Set(seen).size).toBe(seen.length);
    // The walk follows the database's order: what was seen is the final order minus what it could not see.
    expect(seen).toEqual(order.filter((id) => seen.includes(id)));
    for (const d of originals) expect(seen).toContain(gid(d));
    for (const id of ahead) expect(seen).toContain(id);
    for (const id of behind) expect(seen).not.toContain(id);
    for (const tie of tiesOfLast) expect(seen.includes(tie.id)).toBe(position(tie.id) > position(tie.lastSeen));
    for (const race of racing) {
      // Committed before the next page was asked for: shown exactly when it sorts after that page's cursor.
      if (race.after !== null && position(race.id) > position(race.after)) expect(seen).toContain(race.id);
      if (race.before !== null && position(race.id) < position(race.before)) expect(seen).not.toContain(race.id);
    }
    expect(pages).toBeGreaterThanOrEqual(5);
  });

  it("walks a distributor's users by email with new users arriving between pages", async () => {
    const distributor = await createDistributor(facet.dataSource);
    const tag = unique("u");
    const email = (local: string) => `${tag}-${local}@test.example`;
    for (const local of ["c", "e", "g", "i", "k"]) await createUser(facet.dataSource, { distributor, email: email(local) });
    const id = toGlobalId("Distributor", distributor.id);

    const seen: string[] = [];
    const lateAhead: string[] = [];
    const lateBehind: string[] = [];
    let after: string | null = null;
    for (let page = 0; ; page++) {
      const result: GraphQLResult<DistributorMembersQuery> = await facet.gql(DistributorMembersDocument, { id, first: 2, after }, { token: staff });
      const users = (ok(result).node as { users: { nodes: { email: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }).users;
      seen.push(...users.nodes.map((u) => u.email));
      if (!users.pageInfo.hasNextPage) break;
      lateBehind.push((await createUser(facet.dataSource, { distributor, email: email(`a${page}`) })).email);
      lateAhead.push((await createUser(facet.dataSource, { distributor, email: email(`z${page}`) })).email);
      after = users.pageInfo.endCursor;
      expect(page).toBeLessThan(20);
    }
    const order = ((await facet.dataSource.query(`SELECT email FROM users WHERE distributor_id = $1 ORDER BY email, id`, [distributor.id])) as { email: string }[]).map(
      (r) => r.email,
    );
    expect(seen).toEqual(order.filter((e) => seen.includes(e)));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((e) => /-[cegik]@/.test(e))).toEqual(["c", "e", "g", "i", "k"].map(email));
    expect(lateAhead.every((e) => seen.includes(e))).toBe(true);
    expect(lateBehind.some((e) => seen.includes(e))).toBe(false);
  });
});

describe("page size", () => {
  const refusal = (result: GraphQLResult<unknown>) => ({ data: result.data, errors: result.errors?.map((e) => ({ code: e.extensions?.code, argument: e.extensions?.argument, message: e.message })) });

  it.each([0, 101, -1, -100])("refuses first: %d as bad input naming `first`", async (first) => {
    const result = await facet.gql(DistributorsDocument, { first }, { token: staff });
    expect(refusal(result)).toEqual({ data: { distributors: null }, errors: [{ code: "BAD_USER_INPUT", argument: "first", message: `\`first\` must be between 1 and 100, got ${first}` }] });
  });

  it("refuses a bad first on a nested list too", async () => {
    const distributor = await createDistributor(facet.dataSource);
    const result = await facet.gql(DistributorMembersDocument, { id: toGlobalId("Distributor", distributor.id), first: 101 }, { token: staff });
    expect(result.errors?.map((e) => [e.extensions?.code, e.extensions?.argument, e.path])).toEqual([["BAD_USER_INPUT", "first", ["node", "users"]]]);
  });

  it("accepts 1 and 100, and gives 20 when first is left out", async () => {
    const tag = unique("size");
    for (let i = 0; i < 21; i++) await named(`${tag} ${String(i).padStart(2, "0")}`);
    expect(await distributorPage(tag, 1, null)).toMatchObject({ hasNextPage: true, ids: [expect.any(String)] });
    expect(await distributorPage(tag, 100, null)).toMatchObject({ hasNextPage: false, ids: await distributorsInOrder(tag) });
    const { distributors } = ok(await facet.gql(DistributorsDocument, { filter: { search: tag } }, { token: staff }));
    expect(distributors!.edges.map((e) => e.node.id)).toEqual((await distributorsInOrder(tag)).slice(0, 20));
    expect(distributors!.pageInfo.hasNextPage).toBe(true);
  });
});

describe("cursors", () => {
  const refused = (result: GraphQLResult<unknown>) => {
    expect(result.errors?.map((e) => ({ code: e.extensions?.code, argument: e.extensions?.argument, message: e.message }))).toEqual([
      { code: "BAD_USER_INPUT", argument: "after", message: "`after` is not a cursor of this list in this order" },
    ]);
  };
  const decode = (cursor: string) => JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { k: unknown[] } & Record<string, unknown>;
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value), "utf8").toString("base64url");

  async function distributorCursor() {
    const tag = unique("cur");
    await named(`${tag} a`);
    await named(`${tag} b`);
    const page = await distributorPage(tag, 1, null);
    return { tag, cursor: page.endCursor! };
  }

  it.each([
    ["not base64url", "!!!"],
    ["base64 of nonsense", Buffer.from("garbage").toString("base64url")],
    ["base64 of a JSON number", encode(42)],
    ["an empty object", encode({})],
    ["too long", "A".repeat(1001)],
  ])("refuses a cursor that is %s", async (_case, after) => {
    refused(await facet.gql(DistributorsDocument, { first: 2, after }, { token: staff }));
  });

  it("refuses a cursor whose values were tampered with, as bad input rather than an internal error", async () => {
    const { tag, cursor } = await distributorCursor();
    const real = decode(cursor);
    const forged = [
      { ...real, k: [real.k[0], "not-a-uuid"] },
      { ...real, k: [real.k[0]] },
      { ...real, k: [...real.k, "extra"] },
      { ...real, k: [{ name: "x" }, real.k[1]] },
    ];
    for (const value of forged) refused(await facet.gql(DistributorsDocument, { first: 2, after: encode(value), filter: { search: tag } }, { token: staff }));
    // The cursor itself still works.
    expect((await distributorPage(tag, 1, cursor)).ids).toHaveLength(1);
  });

  it("refuses a timestamp cursor whose time is not a time", async () => {
    const distributor = await createDistributor(facet.dataSource);
    await createApiClient(facet.dataSource, distributor);
    await createApiClient(facet.dataSource, distributor);
    const id = toGlobalId("Distributor", distributor.id);
    const { node } = ok(await facet.gql(DistributorApiClientsDocument, { id, first: 1 }, { token: staff }));
    const cursor = (node as { apiClients: { pageInfo: { endCursor: string } } }).apiClients.pageInfo.endCursor;
    const real = decode(cursor);
    for (const time of ["yesterday", "2026-13-45T99:00:00.000Z", 12]) {
      refused(await facet.gql(DistributorApiClientsDocument, { id, first: 1, after: encode({ ...real, k: [time, real.k[1]] }) }, { token: staff }));
    }
    const next = ok(await facet.gql(DistributorApiClientsDocument, { id, first: 1, after: cursor }, { token: staff })).node as { apiClients: { edges: unknown[] } };
    expect(next.apiClients.edges).toHaveLength(1);
  });

  it("refuses a cursor of another list, even one ordered by a key of the same name", async () => {
    const { tag } = await distributorCursor();
    const distributor = await createDistributor(facet.dataSource);
    await createUser(facet.dataSource, { distributor });
    await createUser(facet.dataSource, { distributor });
    const members = ok(await facet.gql(DistributorMembersDocument, { id: toGlobalId("Distributor", distributor.id), first: 1 }, { token: staff })).node as {
      users: { pageInfo: { endCursor: string } };
    };
    const products = ok(await facet.gql(ProductsByNameDocument, { first: 1 }, { token: staff })).products;
    expect(products!.pageInfo.endCursor).toBeTruthy();

    for (const foreign of [members.users.pageInfo.endCursor, products!.pageInfo.endCursor!]) {
      refused(await facet.gql(DistributorsDocument, { first: 2, after: foreign, filter: { search: tag } }, { token: staff }));
    }
    const { cursor } = await distributorCursor();
    refused(await facet.gql(ProductsByNameDocument, { first: 1, after: cursor }, { token: staff }));
  });

  it("keeps its meaning for a row that has since been deleted", async () => {
    const tag = unique("gone");
    const rows = [await named(`${tag} a`), await named(`${tag} b`), await named(`${tag} c`)];
    const first = await distributorPage(tag, 1, null);
    await facet.dataSource.manager.delete(Distributor, { id: rows[0].id });
    const rest = await distributorPage(tag, 5, first.endCursor);
    expect(rest.ids).toEqual([gid(rows[1]), gid(rows[2])]);
    expect(rest.hasNextPage).toBe(false);
  });
});
