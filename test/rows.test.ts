import { Brackets, type QueryRunner } from "typeorm";
import { Distributor } from "../src/modules/accounts/distributor.entity";
import { oneOf, rowsOf } from "../src/db/rows";
import { projectionFrom } from "../src/db/projection";
import { createDistributor, unique } from "./support/factories";
import { startFacet, type TestFacet } from "./support/harness";

// rowsOf() reads a single-table query's rows without TypeORM's hydration, on the statement its
// query builder writes, prepared by name (src/db/rows.ts, src/db/statements.ts). These tests ask
// the same shapes again with other values, and shapes that differ in one part each, and check
// every answer against the rows.
let facet: TestFacet;
let runner: QueryRunner;
const made: Distributor[] = [];
const tag = unique("rows");

beforeAll(async () => {
  facet = await startFacet();
  for (const [i, country] of (["FR", "DE", "FR", "IT"] as const).entries()) {
    made.push(await createDistributor(facet.dataSource, { code: `${tag}-${i}`, country, currency: country === "FR" ? "EUR" : "CHF" }));
  }
  runner = facet.dataSource.createQueryRunner();
});

afterAll(async () => {
  await runner.release();
  await facet.stop();
});

const query = () => runner.manager.createQueryBuilder(Distributor, "d").where("d.code LIKE :prefix", { prefix: `${tag}-%` });
const codes = (rows: Distributor[]) => rows.map((d) => d.code);
const ofCountry = (country: string) => made.filter((d) => d.country === country).map((d) => d.code);

/** The statements that `run` sends, as sent. */
const sent = async (run: () => Promise<unknown>): Promise<string[]> => (await facet.statements.during(run)).map((s) => s.query);

describe("a single-table query asked again with the same shape", () => {
  it("binds each call's own values", async () => {
    for (const country of ["FR", "DE", "IT", "ES", "FR"]) {
      const rows = await rowsOf(runner.manager, Distributor, query().andWhere("d.country = :country", { country }).orderBy("d.code"));
      expect(codes(rows)).toEqual(ofCountry(country));
    }
  });

  it("sends the same statement text each time", async () => {
    const statements = await sent(async () => {
      for (const country of ["FR", "DE"]) await rowsOf(runner.manager, Distributor, query().andWhere("d.country = :country", { country }).orderBy("d.code"));
    });
    expect(statements).toHaveLength(2);
    expect(statements[1]).toBe(statements[0]);
  });

  it("takes an array parameter of any length", async () => {
    for (const ids of [[made[0].id], [made[1].id, made[3].id], made.map((d) => d.id)]) {
      const rows = await rowsOf(runner.manager, Distributor, runner.manager.createQueryBuilder(Distributor, "d").where("d.id IN (:...ids)", { ids }).orderBy("d.code"));
      expect(codes(rows)).toEqual(made.filter((d) => ids.includes(d.id)).map((d) => d.code));
    }
  });
});

describe("queries that differ in one part", () => {
  it("each get their own statement and their own rows", async () => {
    const asked: [string, () => Promise<Distributor[]>, string[]][] = [
      ["ascending", () => rowsOf(runner.manager, Distributor, query().orderBy("d.code", "ASC")), made.map((d) => d.code)],
      ["descending", () => rowsOf(runner.manager, Distributor, query().orderBy("d.code", "DESC")), made.map((d) => d.code).reverse()],
      ["limit 2", () => rowsOf(runner.manager, Distributor, query().orderBy("d.code").limit(2)), made.slice(0, 2).map((d) => d.code)],
      ["limit 3", () => rowsOf(runner.manager, Distributor, query().orderBy("d.code").limit(3)), made.slice(0, 3).map((d) => d.code)],
      ["offset 1", () => rowsOf(runner.manager, Distributor, query().orderBy("d.code").limit(3).offset(1)), made.slice(1, 4).map((d) => d.code)],
      ["another condition", () => rowsOf(runner.manager, Distributor, query().andWhere("d.currency = :currency", { currency: "CHF" }).orderBy("d.code")), ["DE", "IT"].flatMap(ofCountry)],
      [
        "one alternative",
        () => rowsOf(runner.manager, Distributor, query().andWhere(new Brackets((or) => or.where("d.country = :c0", { c0: "DE" }))).orderBy("d.code")),
        ofCountry("DE"),
      ],
      [
        "two alternatives",
        () => rowsOf(runner.manager, Distributor, query().andWhere(new Brackets((or) => or.where("d.country = :c0", { c0: "DE" }).orWhere("d.country = :c1", { c1: "IT" }))).orderBy("d.code")),
        ["DE", "IT"].flatMap(ofCountry),
      ],
    ];
    const statements = new Set<string>();
    for (const [name, ask, expected] of asked) {
      for (let again = 0; again < 2; again++) {
        const [statement] = await sent(async () => expect([name, codes(await ask())]).toEqual([name, expected]));
        if (again === 0) statements.add(statement);
      }
    }
    expect(statements.size).toBe(asked.length);
  });

  it("a projection selects its own columns", async () => {
    const [full] = await sent(async () => expect((await oneOf(runner.manager, Distributor, query().orderBy("d.code")))!.name).toBe(made[0].name));
    const [narrow] = await sent(async () => {
      const row = (await rowsOf(runner.manager, Distributor, query().orderBy("d.code"), projectionFrom(["id", "code"])))[0];
      expect(row.code).toBe(made[0].code);
      expect(() => row.name).toThrow("was not selected");
    });
    expect(full).toContain('"d"."name"');
    expect(narrow).not.toContain('"d"."name"');
  });
});
