import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { parse } from "graphql";
import { createDataSource, poolSettingsOf } from "../src/db/data-source";
import { startJobRunner, type JobRunner } from "../src/db/jobs";
import { toGlobalId } from "../src/graphql/node";
import { catalogJobs, type Product, type Variant } from "../src/modules/catalog";
import { entities } from "../src/modules/entities";
import { createRequestContext, endRequest } from "../src/server/context";
import { createProduct, createVariant, dateFromToday, productId, setPrice, variantId } from "./support/catalog-factories";
import { unique } from "./support/factories";
import { ok, onRealPostgres, startFacet, testConfig, whenSynced, type GraphQLResult, type TestFacet } from "./support/harness";
import { line, orderInput, staff, tenant, type Tenant } from "./support/orders-factories";

// Incremental sync of the catalog: `products` and `variants` with `updatedSince` see what each
// caller is shown change (its own price list's prices, stock and production included), in change
// order up to the sync horizon; and the catalog's events, price changes per price list and
// availability gathered per variant into slots (2 s here instead of a minute).

const SLOT_MS = 2000;

let facet: TestFacet;
let a: Tenant;
let b: Tenant;
let manager: string;

beforeAll(async () => {
  facet = await startFacet({ AVAILABILITY_EVENT_INTERVAL_MS: String(SLOT_MS) });
  a = await tenant(facet.dataSource, facet.config);
  b = await tenant(facet.dataSource, facet.config);
  manager = (await staff(facet.dataSource, facet.config)).manager.token;
});
afterAll(() => facet.stop());

function run<T = any>(source: string, variables: Record<string, unknown> = {}, token?: string): Promise<GraphQLResult<T>> {
  return facet.gql(parse(source) as TypedDocumentNode<T, Record<string, unknown>>, variables, { token });
}

const PRODUCTS = `
  query SyncProducts($filter: ProductFilter, $first: Int, $after: String, $orderBy: ProductOrderField) {
    products(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
      nodes { id styleCode changedAt variants { sku changedAt price { amount currency } availability { onHand reserved available } } }
      pageInfo { hasNextPage endCursor }
    }
  }`;
const PRODUCT = `query SyncProduct($id: ID!) { product(id: $id) { changedAt variants { changedAt price { amount } } } }`;
const VARIANTS = `
  query SyncVariants($filter: VariantFilter, $first: Int, $after: String) {
    variants(first: $first, after: $after, filter: $filter) {
      nodes { id sku changedAt price { amount currency } availability { onHand reserved available incoming { quantity } } product { styleCode } }
      pageInfo { hasNextPage endCursor }
    }
  }`;
const SET_PRICE = `mutation SyncSetPrice($input: SetPriceInput!) { setPrice(input: $input) { price { amount currency } userErrors { field code } } }`;
const ADJUST = `mutation SyncAdjust($input: AdjustStockInput!) { adjustStock(input: $input) { userErrors { field code } } }`;
const PLACE = `mutation SyncPlace($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id } userErrors { field code message } } }`;
const SCHEDULE = `mutation SyncSchedule($input: ScheduleProductionBatchInput!) { scheduleProductionBatch(input: $input) { userErrors { field code } } }`;
const EVENTS = `query SyncEvents($after: String) { events(first: 100, after: $after, types: ["variant.price_changed"]) { nodes { type data } pageInfo { hasNextPage endCursor } } }`;

const OLD = "2024-01-01T00:00:00.000Z";

/** Moves every row behind a style (the style, its variants, their stock, batches and prices) back to `at`. */
async function backdate(product: Product, at = OLD): Promise<void> {
  const ids = `(SELECT id FROM variants WHERE product_id = $1)`;
  await facet.dataSource.query(`UPDATE products SET updated_at = $2 WHERE id = $1`, [product.id, at]);
  await facet.dataSource.query(`UPDATE variants SET updated_at = $2 WHERE product_id = $1`, [product.id, at]);
  for (const table of ["stock_levels", "production_batches", "variant_prices"]) {
    await facet.dataSource.query(`UPDATE ${table} SET updated_at = $2 WHERE variant_id IN ${ids}`, [product.id, at]);
  }
}

/** A style of its own collection with one variant in stock, priced for A and B, all of it changed long ago. */
async function style(onHand = 20): Promise<{ product: Product; variant: Variant; collection: string }> {
  const collection = unique("Sync");
  const product = await createProduct(facet.dataSource, { collection });
  const variant = await createVariant(facet.dataSource, product, { onHand });
  await setPrice(facet.dataSource, a.distributor, variant, "100.00");
  await setPrice(facet.dataSource, b.distributor, variant, "200.00");
  await backdate(product);
  return { product, variant, collection };
}

type Page = { nodes: any[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };

async function productsFor(token: string, filter: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<Page> {
  return ok(await run<{ products: Page }>(PRODUCTS, { filter, ...extra }, token)).products;
}

async function variantsFor(token: string, filter: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<Page> {
  return ok(await run<{ variants: Page }>(VARIANTS, { filter, ...extra }, token)).variants;
}

async function setPriceAs(variant: Variant, distributor: Tenant, amount: string): Promise<void> {
  const { setPrice: payload } = ok(
    await run(SET_PRICE, { input: { variantId: variantId(variant), distributorId: toGlobalId("Distributor", distributor.distributor.id), amount, currency: "EUR" } }, manager),
  );
  expect(payload.userErrors).toEqual([]);
}

async function adjust(variant: Variant, delta: number, token = manager): Promise<void> {
  const { adjustStock } = ok(await run(ADJUST, { input: { variantId: variantId(variant), delta, reason: "cycle count" } }, token));
  expect(adjustStock.userErrors).toEqual([]);
}

const codes = (page: Page) => page.nodes.map((n: { styleCode: string }) => n.styleCode);

describe("products and variants with updatedSince", () => {
  it("show a price change on the caller's own price list, and nothing of one on another's", async () => {
    const { product, variant, collection } = await style();
    const since = new Date().toISOString();
    expect(codes(await productsFor(a.erp, { collection, updatedSince: since }))).toEqual([]);

    await setPriceAs(variant, a, "120.00");

    const seen = await whenSynced(
      () => productsFor(a.erp, { collection, updatedSince: since }),
      (page) => page.nodes.length > 0,
    );
    expect(codes(seen)).toEqual([product.styleCode]);
    const [node] = seen.nodes;
    expect(Date.parse(node.changedAt)).toBeGreaterThanOrEqual(Date.parse(since));
    expect(node.variants).toEqual([
      { sku: variant.sku, changedAt: node.changedAt, price: { amount: "120.00", currency: "EUR" }, availability: { onHand: 20, reserved: 0, available: 20 } },
    ]);
    const variants = await variantsFor(a.erp, { updatedSince: since, skus: [variant.sku.toLowerCase()] });
    expect(variants.nodes).toEqual([
      {
        id: variantId(variant),
        sku: variant.sku,
        changedAt: node.changedAt,
        price: { amount: "120.00", currency: "EUR" },
        availability: { onHand: 20, reserved: 0, available: 20, incoming: [] },
        product: { styleCode: product.styleCode },
      },
    ]);

    // B's list did not change: B's sync has nothing, and B's view of the style still dates from before.
    expect(codes(await productsFor(b.erp, { collection, updatedSince: since }))).toEqual([]);
    expect((await variantsFor(b.erp, { updatedSince: since, skus: [variant.sku] })).nodes).toEqual([]);
    const { product: asB } = ok(await run(PRODUCT, { id: productId(product) }, b.buyer.token));
    expect(asB).toEqual({ changedAt: OLD, variants: [{ changedAt: OLD, price: { amount: "200.00" } }] });
    // A sees the same change time whichever way it reads the style.
    expect(ok(await run(PRODUCT, { id: productId(product) }, a.buyer.token)).product.changedAt).toBe(node.changedAt);
  });

  it("show a change of stock: another distributor's order reserving it", async () => {
    const { product, variant, collection } = await style();
    const since = new Date().toISOString();
    const { placeOrder } = ok(await run(PLACE, { input: orderInput([line(variantId(variant), 3)]) }, b.buyer.token));
    expect(placeOrder.userErrors).toEqual([]);

    const seen = await whenSynced(
      () => productsFor(a.erp, { collection, updatedSince: since }),
      (page) => page.nodes.length > 0,
    );
    expect(codes(seen)).toEqual([product.styleCode]);
    expect(seen.nodes[0].variants[0]).toMatchObject({ price: { amount: "100.00" }, availability: { onHand: 20, reserved: 3, available: 17 } });
    const variants = await variantsFor(a.buyer.token, { updatedSince: since, skus: [variant.sku] });
    expect(variants.nodes.map((v) => v.availability.reserved)).toEqual([3]);
  });

  it("show a production batch scheduled, which feeds lead times", async () => {
    const { product, variant, collection } = await style(0);
    const since = new Date().toISOString();
    const { scheduleProductionBatch } = ok(await run(SCHEDULE, { input: { variantId: variantId(variant), quantity: 40, readyDate: dateFromToday(30) } }, manager));
    expect(scheduleProductionBatch.userErrors).toEqual([]);
    const seen = await whenSynced(
      () => variantsFor(a.erp, { updatedSince: since, skus: [variant.sku] }),
      (page) => page.nodes.length > 0,
    );
    expect(seen.nodes[0].availability.incoming).toEqual([{ quantity: 40 }]);
    expect(codes(await productsFor(a.erp, { collection, updatedSince: since }))).toEqual([product.styleCode]);
  });

  it("page in the caller's change order, each caller's prices moving only its own order", async () => {
    const collection = unique("SyncOrder");
    const made = [];
    for (const at of ["2025-01-03T00:00:00.000Z", "2025-01-01T00:00:00.000Z", "2025-01-02T00:00:00.000Z"]) {
      const product = await createProduct(facet.dataSource, { collection });
      const variant = await createVariant(facet.dataSource, product);
      await setPrice(facet.dataSource, b.distributor, variant, "10.00");
      await backdate(product, at);
      made.push({ product, variant });
    }
    const [third, first, second] = made;
    // B's price of the oldest changed last: B's order only.
    await facet.dataSource.query(`UPDATE variant_prices SET updated_at = $2 WHERE variant_id = $1`, [first.variant.id, "2025-01-04T00:00:00.000Z"]);

    const filter = { collection, updatedSince: "2024-12-31T00:00:00.000Z" };
    const page1 = await productsFor(a.erp, filter, { first: 2 });
    expect(codes(page1)).toEqual([first.product.styleCode, second.product.styleCode]);
    expect(page1.nodes.map((n) => n.changedAt)).toEqual(["2025-01-01T00:00:00.000Z", "2025-01-02T00:00:00.000Z"]);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = await productsFor(a.erp, filter, { first: 2, after: page1.pageInfo.endCursor });
    expect(codes(page2)).toEqual([third.product.styleCode]);
    expect(page2.pageInfo.hasNextPage).toBe(false);

    expect(codes(await productsFor(b.erp, filter))).toEqual([second, third, first].map((m) => m.product.styleCode));
    const variants = await variantsFor(b.erp, { updatedSince: filter.updatedSince, skus: made.map((m) => m.variant.sku) }, { first: 1 });
    expect(variants.nodes.map((v) => v.sku)).toEqual([second.variant.sku]);
    const rest = await variantsFor(b.erp, { updatedSince: filter.updatedSince, skus: made.map((m) => m.variant.sku) }, { after: variants.pageInfo.endCursor });
    expect(rest.nodes.map((v) => v.sku)).toEqual([third.variant.sku, first.variant.sku]);
    // Another order still narrows to what changed since, in its own order.
    expect(codes(await productsFor(a.erp, { collection, updatedSince: "2025-01-02T00:00:00.000Z" }, { orderBy: "NAME" })).sort()).toEqual(
      [second.product.styleCode, third.product.styleCode].sort(),
    );
  });

  it("refuse more than 100 SKUs", async () => {
    const result = await run(VARIANTS, { filter: { skus: Array.from({ length: 101 }, (_, i) => `SKU-${i}`) } }, a.erp);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", argument: "filter" });
  });

  // Two sessions at once: the embedded database has one.
  onRealPostgres("stop at the sync horizon: a price change still uncommitted holds back a later one", async () => {
    const held = await style();
    const later = await style();
    const collection = unique("SyncHorizon");
    await facet.dataSource.query(`UPDATE products SET collection = $2 WHERE id = ANY($1)`, [[held.product.id, later.product.id], collection]);
    await backdate(held.product);
    await backdate(later.product);
    const since = new Date().toISOString();
    const runner = facet.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query(`UPDATE variant_prices SET amount = 150 WHERE distributor_id = $1 AND variant_id = $2`, [a.distributor.id, held.variant.id]);
      // Begun after the open transaction, committed before it: its change time is after the horizon.
      await setPriceAs(later.variant, a, "130.00");
      const during = await productsFor(a.erp, { collection, updatedSince: since });
      expect(codes(during)).toEqual([]);
      await runner.commitTransaction();
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
    // Once it has committed, both, the one that began first first: resuming from the later one's changedAt would have missed it.
    const after = await whenSynced(
      () => productsFor(a.erp, { collection, updatedSince: since }),
      (page) => page.nodes.length === 2,
    );
    expect(codes(after)).toEqual([held.product.styleCode, later.product.styleCode]);
    expect(after.nodes[0].variants[0].price.amount).toBe("150.00");
  });
});

describe("Facet's sessions", () => {
  it("run with idle_in_transaction_session_timeout, so none holds the sync horizon back for long", async () => {
    const context = await createRequestContext({ config: facet.config, dataSource: facet.dataSource }, { authorization: `Bearer ${a.buyer.token}`, requestId: "test", ip: "127.0.0.1" });
    try {
      const [{ idle_in_transaction_session_timeout: timeout }] = (await context.db.query(`SHOW idle_in_transaction_session_timeout`)) as { idle_in_transaction_session_timeout: string }[];
      expect(timeout).toBe("10s");
    } finally {
      await endRequest(context);
    }
  });

  onRealPostgres("take DB_IDLE_IN_TRANSACTION_TIMEOUT_MS from the configuration", async () => {
    const config = testConfig({ DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: "60000" });
    expect(poolSettingsOf(config).idleInTransactionTimeoutMs).toBe(60_000);
    const dataSource = createDataSource({ entities, url: process.env.TEST_DATABASE_URL!, embedded: false, ...poolSettingsOf(config), poolSize: 1 });
    await dataSource.initialize();
    try {
      const [{ idle_in_transaction_session_timeout: timeout }] = (await dataSource.query(`SHOW idle_in_transaction_session_timeout`)) as { idle_in_transaction_session_timeout: string }[];
      expect(timeout).toBe("1min");
    } finally {
      await dataSource.destroy();
    }
  });
});

describe("variant.price_changed", () => {
  async function priceEvents(token: string, variant: Variant): Promise<any[]> {
    const found: any[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Page = ok(await run<{ events: Page }>(EVENTS, { after }, token)).events;
      found.push(...page.nodes.filter((n) => n.data.variantId === variantId(variant)));
      if (!page.pageInfo.hasNextPage) return found;
      after = page.pageInfo.endCursor;
    }
  }

  it("is written for the distributor whose price list changed, and only for it", async () => {
    const { product, variant } = await style();
    await setPriceAs(variant, a, "125.50");
    // The same price again is no change.
    await setPriceAs(variant, a, "125.5");

    const rows = (await facet.dataSource.query(`SELECT distributor_id, data FROM events WHERE type = 'variant.price_changed' AND subject_id = $1`, [variant.id])) as {
      distributor_id: string;
      data: unknown;
    }[];
    const expected = {
      variantId: variantId(variant),
      productId: productId(product),
      sku: variant.sku,
      distributorId: toGlobalId("Distributor", a.distributor.id),
      price: { amount: "125.50", currency: "EUR" },
      previousPrice: { amount: "100.00", currency: "EUR" },
    };
    expect(rows).toEqual([{ distributor_id: a.distributor.id, data: expected }]);

    const seen = await whenSynced(
      () => priceEvents(a.erp, variant),
      (events) => events.length > 0,
    );
    expect(seen).toEqual([{ type: "variant.price_changed", data: expected }]);
    expect(await priceEvents(b.erp, variant)).toEqual([]);
  });
});

describe("variant.availability_changed", () => {
  let runner: JobRunner;
  beforeAll(() => {
    runner = startJobRunner(facet.dataSource, catalogJobs, { pollMs: 100 });
  });
  afterAll(() => runner.stop());

  const eventsOf = async (variant: Variant) =>
    (await facet.dataSource.query(`SELECT distributor_id, data FROM events WHERE type = 'variant.availability_changed' AND subject_id = $1`, [variant.id])) as {
      distributor_id: string | null;
      data: Record<string, unknown>;
    }[];
  const jobsOf = async (variant: Variant) =>
    (await facet.dataSource.query(`SELECT status FROM jobs WHERE kind = 'catalog.availability' AND payload->>'variantId' = $1`, [variant.id])) as { status: string }[];

  async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 30_000): Promise<T> {
    const end = Date.now() + ms;
    let value = await read();
    while (!done(value)) {
      if (Date.now() > end) throw new Error(`timed out; last: ${JSON.stringify(value)}`);
      await new Promise((r) => setTimeout(r, 100));
      value = await read();
    }
    return value;
  }

  /** Waits for the start of a slot, so that a few quick changes fall in one. */
  async function slotStart(): Promise<number> {
    while (Date.now() % SLOT_MS > SLOT_MS / 10) await new Promise((r) => setTimeout(r, 20));
    return Math.floor(Date.now() / SLOT_MS);
  }

  it("gathers the changes of one slot into one event, with what is available at its end", async () => {
    // Retried with a new variant should the changes straddle two slots (a slow machine).
    for (let attempt = 1; ; attempt++) {
      const { product, variant } = await style(10);
      const slot = await slotStart();
      await adjust(variant, 5);
      await adjust(variant, -2);
      await adjust(variant, 4);
      if (Math.floor(Date.now() / SLOT_MS) !== slot && attempt < 3) continue;
      expect(Math.floor(Date.now() / SLOT_MS)).toBe(slot);

      const jobs = await until(
        () => jobsOf(variant),
        (rows) => rows.length > 0 && rows.every((r) => r.status === "DONE"),
      );
      expect(jobs).toHaveLength(1);
      expect(await eventsOf(variant)).toEqual([
        {
          distributor_id: null,
          data: { variantId: variantId(variant), productId: productId(product), sku: variant.sku, onHand: 17, reserved: 0, available: 17, status: "IN_STOCK" },
        },
      ]);
      return;
    }
  });

  // Two sessions at once: the embedded database has one.
  onRealPostgres("waits for a transaction begun in the slot, still open at its end, and reports its change", async () => {
    const { variant } = await style(10);
    await slotStart();
    await adjust(variant, 1);
    const held = facet.dataSource.createQueryRunner();
    await held.connect();
    try {
      await held.startTransaction();
      await held.query(`UPDATE stock_levels SET on_hand = on_hand + 7 WHERE variant_id = $1`, [variant.id]);
      // Past the slot's end (and the clocks' allowance), the job is due, but must not write yet.
      const due = (Math.floor(Date.now() / SLOT_MS) + 1) * SLOT_MS + 1000;
      await new Promise((r) => setTimeout(r, due - Date.now() + 1000));
      expect(await eventsOf(variant)).toEqual([]);
      await held.commitTransaction();
    } finally {
      if (held.isTransactionActive) await held.rollbackTransaction();
      await held.release();
    }
    const [event] = await until(
      () => eventsOf(variant),
      (rows) => rows.length > 0,
    );
    expect(event.data).toMatchObject({ onHand: 18, available: 18 });
  });

  it("is never written for a change that rolled back", async () => {
    const kept = await style(10);
    const rolledBack = await style(10);
    const runner = facet.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const { adjustStock } = ok(await facet.gql(parse(ADJUST) as TypedDocumentNode<any, any>, { input: { variantId: variantId(rolledBack.variant), delta: 3, reason: "cycle count" } }, { token: manager, context: { db: runner.manager } }));
      expect(adjustStock.userErrors).toEqual([]);
      await runner.rollbackTransaction();
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
    await adjust(kept.variant, 3);

    // Once the kept change's slot has been reported, the rolled-back one's (the same slot, or the one before) has nothing.
    await until(
      () => eventsOf(kept.variant),
      (rows) => rows.length === 1,
    );
    expect(await jobsOf(rolledBack.variant)).toEqual([]);
    expect(await eventsOf(rolledBack.variant)).toEqual([]);
    expect((await eventsOf(kept.variant))[0].data).toMatchObject({ onHand: 13, available: 13 });
  });
});
