import { randomBytes, randomUUID } from "node:crypto";
import { errorCodes, graphql, rateLimitOf, send, statusLabel, type Actor, type Answer, type GraphQLOptions, type RequestOptions } from "../support/http";
import type { Catalog } from "../support/session";
import type { Target } from "./target";

// The six classes of an outside tester's findings, each replayed as the attack itself: over HTTP,
// from one address, concurrently where the finding says so. Each returns notes for the table's
// outcome column; the requests it sends through its Recorder are the ones counted and timed.

export interface Tokens {
  buyer: string;
  probe: string;
  staff: string | undefined;
  /** The `orders:read`-only API client's token, when there is such a client. */
  ordersReadClient: string | undefined;
}

export interface AttackContext {
  base: URL;
  target: Target;
  tokens: Tokens;
  catalog: Catalog;
  /**
   * The party of that name, sending from an address of its own (a loopback alias when the target
   * is on this machine); the same name gives the same party.
   */
  actor(name: string): Actor;
  /** Whether each party has an address of its own (else all share this machine's). */
  ownAddresses: boolean;
}

/** Sends an attack's requests and keeps their answers. */
export class Recorder {
  readonly answers: Answer[] = [];

  constructor(private readonly base: URL) {}

  async send(from: Actor, options: RequestOptions): Promise<Answer> {
    const answer = await send(this.base, from, options);
    this.answers.push(answer);
    return answer;
  }

  async graphql(from: Actor, query: string, variables?: Record<string, unknown>, options?: GraphQLOptions): Promise<Answer> {
    const answer = await graphql(this.base, from, query, variables, options);
    this.answers.push(answer);
    return answer;
  }
}

/** Runs the part of an attack the probe watches (exactly once per attack). */
export type Window = <T>(work: () => Promise<T>) => Promise<T>;

export interface Attack {
  id: string;
  title: string;
  /** Sent without signing in (at least in part): the 2× bar applies. */
  anonymous: boolean;
  /** Its notes for the outcome column; "not tested: …" when it could not run. */
  run(ctx: AttackContext, recorder: Recorder, window: Window): Promise<string[]>;
}

const q = (value: string) => JSON.stringify(value);
const n = (value: number) => value.toLocaleString("en-US");

/** Runs `work` for each item, at most `concurrency` at a time. */
async function eachAtMost<T>(concurrency: number, items: readonly T[], work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index], index);
      }
    }),
  );
}

/** How often each GraphQL error code came, e.g. "RATE_LIMITED ×12, QUERY_TOO_COMPLEX ×3". */
function codeTally(answers: readonly Answer[]): string {
  const counts = new Map<string, number>();
  for (const code of answers.flatMap(errorCodes)) counts.set(code, (counts.get(code) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([code, count]) => `${code} ×${count}`)
    .join(", ");
}

function userErrorCodes(payload: unknown): string[] {
  const errors = (payload as { userErrors?: { code?: string }[] } | null | undefined)?.userErrors ?? [];
  return errors.map((e) => e.code ?? "?");
}

/** How many JSON objects an answer's data holds: what the server actually resolved. */
function objectsIn(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + objectsIn(item), 0);
  if (value && typeof value === "object") return 1 + Object.values(value).reduce((sum: number, item) => sum + objectsIn(item), 0);
  return 0;
}

function firstErrorMessage(answer: Answer): string | undefined {
  const message = (answer.json as { errors?: { message?: unknown }[] } | undefined)?.errors?.[0]?.message;
  return typeof message === "string" ? message : undefined;
}

const leaksSuggestion = (answer: Answer) => /did you mean/i.test(answer.body);

// ---------------------------------------------------------------------------------------------
// 1. The database pool, without signing in.

const POOL_SECONDS = 5;
const POOL_PARALLEL = 10;
const LOGINS_PER_REQUEST = 10;

const poolExhaustion: Attack = {
  id: "1",
  title: `pool, anonymous: ${POOL_PARALLEL} parallel mutations of ${LOGINS_PER_REQUEST} aliased wrong-password logins, ${POOL_SECONDS} s`,
  anonymous: true,
  async run(ctx, recorder, window) {
    const attacker = ctx.actor("attacker 1");
    const document = () => {
      // Real accounts first, then addresses nobody has: each request a fresh spray.
      const emails = Array.from({ length: LOGINS_PER_REQUEST }, (_, i) => ctx.target.otherEmails[i] ?? `nobody-${randomBytes(5).toString("hex")}@unknown.example`);
      const fields = emails.map((email, i) => `l${i}: login(input: { email: ${q(email)}, password: ${q(`wrong-${randomBytes(6).toString("hex")}`)} }) { accessToken userErrors { code } }`);
      return `mutation {\n${fields.join("\n")}\n}`;
    };
    await window(async () => {
      const until = Date.now() + POOL_SECONDS * 1000;
      await Promise.all(
        Array.from({ length: POOL_PARALLEL }, async () => {
          while (Date.now() < until) await recorder.graphql(attacker, document());
        }),
      );
    });
    const codes = codeTally(recorder.answers);
    const loginCodes = new Map<string, number>();
    for (const answer of recorder.answers) {
      for (const payload of Object.values((answer.json as { data?: Record<string, unknown> } | undefined)?.data ?? {})) {
        for (const code of userErrorCodes(payload)) loginCodes.set(code, (loginCodes.get(code) ?? 0) + 1);
      }
    }
    const checked = [...loginCodes.entries()].map(([code, count]) => `${code} ×${count}`).join(", ");
    return [codes ? `errors ${codes}` : "", checked ? `sign-ins answered ${checked}` : "no sign-in was answered"].filter(Boolean);
  },
};

// ---------------------------------------------------------------------------------------------
// 2. CPU, without signing in: fragments that each spread the next one twice.

const FRAGMENT_LEVELS = 24;
// Each bomb can hold a vulnerable server's event loop for tens of seconds, so "several" is two by
// default: enough to show the effect and keep the run within minutes.
const CPU_PARALLEL = Math.max(1, Math.min(16, Number(process.env.ATTACK_CPU_PARALLEL) || 2));

export function fragmentBomb(levels = FRAGMENT_LEVELS): string {
  const lines = ["fragment F0 on Query{viewer{role}}"];
  for (let i = 1; i <= levels; i++) lines.push(`fragment F${i} on Query{...F${i - 1} ...F${i - 1}}`);
  return `query{...F${levels}}\n${lines.join("\n")}`;
}

function cpuAttack(signedIn: boolean): Attack {
  return {
    id: signedIn ? "2b" : "2a",
    title: `CPU, ${signedIn ? "signed-in buyer" : "anonymous"}: ${fragmentBomb().length}-byte document, fragments spreading the next twice, ${FRAGMENT_LEVELS} levels, ${CPU_PARALLEL} in parallel`,
    anonymous: !signedIn,
    async run(ctx, recorder, window) {
      const attacker = ctx.actor(`attacker 2${signedIn ? "b" : "a"}`);
      const document = fragmentBomb();
      await window(() =>
        Promise.all(Array.from({ length: CPU_PARALLEL }, () => recorder.graphql(attacker, document, undefined, { token: signedIn ? ctx.tokens.buyer : undefined }))),
      );
      const codes = codeTally(recorder.answers);
      return [codes ? `errors ${codes}` : "no errors"];
    },
  };
}

// ---------------------------------------------------------------------------------------------
// 3. A staff write in the same document as the staff sign-in, with no Authorization header.

const STOCK_DELTA = 7;

const auditEscape: Attack = {
  id: "3",
  title: "audit trail: `login` as staff (right password) then `adjustStock`, one document, no Authorization header",
  anonymous: true,
  async run(ctx, recorder, window) {
    const staff = ctx.target.staff;
    const staffToken = ctx.tokens.staff;
    if (!staff || !staffToken) return ["not tested: no staff account (ATTACK_STAFF_EMAIL)"];
    const variantId = ctx.catalog.variantIds[0];
    if (!variantId) return ["not tested: the catalog has no variant"];
    const checker = ctx.actor("staff checking 3");
    const requestId = `attack-audit-${randomBytes(6).toString("hex")}`;
    const onHand = async () => {
      const answer = await graphql(ctx.base, checker, `query($id: ID!) { variant(id: $id) { availability { onHand } } }`, { id: variantId }, { token: staffToken });
      return (answer.json as { data?: { variant?: { availability?: { onHand?: number } } } } | undefined)?.data?.variant?.availability?.onHand;
    };
    const audited = async () => {
      const answer = await graphql(ctx.base, checker, `{ auditLog(first: 100, filter: { table: "stock_levels" }) { nodes { requestId actorName } } }`, undefined, { token: staffToken });
      const nodes = (answer.json as { data?: { auditLog?: { nodes?: { requestId: string | null; actorName: string }[] } } } | undefined)?.data?.auditLog?.nodes;
      return nodes ? nodes.filter((entry) => entry.requestId === requestId) : undefined;
    };
    const before = await onHand();
    const attacker = ctx.actor("attacker 3");
    const document = `mutation {
  login(input: { email: ${q(staff.email)}, password: ${q(staff.password)} }) { accessToken userErrors { code } }
  adjustStock(input: { variantId: ${q(variantId)}, delta: ${STOCK_DELTA}, reason: "stock count correction" }) { variant { availability { onHand } } userErrors { field code } }
}`;
    const answer = await window(() => recorder.graphql(attacker, document, undefined, { headers: { "x-request-id": requestId } }));
    const after = await onHand();
    const entries = await audited();
    const data = (answer.json as { data?: { login?: unknown; adjustStock?: unknown } } | undefined)?.data;
    const notes: string[] = [];
    const loginErrors = userErrorCodes(data?.login);
    notes.push(`login ${data?.login ? (loginErrors.length ? loginErrors.join("/") : "succeeded") : "not answered"}`);
    const codes = errorCodes(answer);
    if (codes.length) notes.push(`errors ${codes.join(", ")}`);
    if (before === undefined || after === undefined) {
      notes.push("could not read the stock as staff to tell whether the write was applied");
    } else if (after === before + STOCK_DELTA) {
      notes.push(`**write applied** (on hand ${before} → ${after})`);
      notes.push(entries === undefined ? "audit log unreadable" : entries.length > 0 ? `audited ×${entries.length} as ${entries[0].actorName}` : "**not in the audit log**");
      // Put the stock back (as staff, audited), so that a shared target is left as it was.
      await graphql(ctx.base, checker, `mutation($id: ID!) { adjustStock(input: { variantId: $id, delta: ${-STOCK_DELTA}, reason: "undo of an attack replay" }) { userErrors { code } } }`, { id: variantId }, { token: staffToken });
      notes.push("reverted");
    } else if (after === before) {
      notes.push("refused: stock unchanged");
    } else {
      notes.push(`stock changed by another hand meanwhile (${before} → ${after})`);
    }
    return notes;
  },
};

// ---------------------------------------------------------------------------------------------
// 4. Cost undercounts, as the signed-in buyer.

const UNDERCOUNT_REPEATS = 3;

/** Sends a document a few times, one after the other, and reports what was charged against what was resolved. */
async function undercount(ctx: AttackContext, recorder: Recorder, window: Window, name: string, query: string, variables?: Record<string, unknown>): Promise<string[]> {
  const attacker = ctx.actor(name);
  await window(async () => {
    for (let i = 0; i < UNDERCOUNT_REPEATS; i++) await recorder.graphql(attacker, query, variables, { token: ctx.tokens.buyer });
  });
  const notes: string[] = [];
  const served = recorder.answers.find((a) => a.status === 200 && (a.json as { data?: unknown } | undefined)?.data);
  if (served) {
    const charged = rateLimitOf(served)?.cost;
    const objects = objectsIn((served.json as { data: unknown }).data);
    const text = `charged ${charged === undefined ? "(no report)" : n(charged)} points for ${n(objects)} objects returned (${n(served.body.length)} bytes)`;
    // The answer's root object is not charged: one object more than the charge is the full price.
    notes.push(charged !== undefined && objects - 1 > charged ? `**${text}**` : text);
  }
  const codes = codeTally(recorder.answers);
  if (codes) notes.push(`errors ${codes}`);
  const refusal = recorder.answers.map(firstErrorMessage).find(Boolean);
  if (refusal) notes.push(`"${refusal.length > 160 ? `${refusal.slice(0, 157)}…` : refusal}"`);
  return notes;
}

const NODES_ALIASES = 30;
const NODES_IDS = 100;
const PRODUCTS_ALIASES = 18;

const nodesUndercount: Attack = {
  id: "4a",
  title: `cost, buyer: ${NODES_ALIASES} aliases of \`nodes(ids:)\` with ${NODES_IDS} ids each, ${UNDERCOUNT_REPEATS}× in turn`,
  anonymous: false,
  async run(ctx, recorder, window) {
    const pool = [...ctx.catalog.productIds, ...ctx.catalog.variantIds];
    if (pool.length === 0) return ["not tested: no catalog ids"];
    const ids = Array.from({ length: NODES_IDS }, (_, i) => pool[i % pool.length]);
    const selection = `id ... on Product { name variants { sku availability { available } } } ... on Variant { sku product { name variants { sku } } }`;
    const fields = Array.from({ length: NODES_ALIASES }, (_, i) => `n${i}: nodes(ids: $ids) { ${selection} }`);
    const notes = await undercount(ctx, recorder, window, "attacker 4a", `query($ids: [ID!]!) {\n${fields.join("\n")}\n}`, { ids });
    return [`${new Set(ids).size} distinct ids`, ...notes];
  },
};

const nestedUndercount: Attack = {
  id: "4b",
  title: `cost, buyer: ${PRODUCTS_ALIASES} aliases of \`products(first: 100)\` with \`variants { product { variants { … } } }\`, ${UNDERCOUNT_REPEATS}× in turn`,
  anonymous: false,
  async run(ctx, recorder, window) {
    const nested = "nodes { name variants { sku product { name variants { sku product { name variants { sku availability { available onHand } } } } } } }";
    const fields = Array.from({ length: PRODUCTS_ALIASES }, (_, i) => `p${i}: products(first: 100) { ${nested} }`);
    return undercount(ctx, recorder, window, "attacker 4b", `{\n${fields.join("\n")}\n}`);
  },
};

const defaultVariableUndercount: Attack = {
  id: "4c",
  title: `cost, buyer: \`query($n: Int = 100) { products(first: $n) … }\` without variables, ${UNDERCOUNT_REPEATS}× in turn`,
  anonymous: false,
  async run(ctx, recorder, window) {
    const query = `query($n: Int = 100) { products(first: $n) { nodes { name variants { sku availability { available } product { name variants { sku } } } } } }`;
    return undercount(ctx, recorder, window, "attacker 4c", query);
  },
};

// ---------------------------------------------------------------------------------------------
// 5. Lockout and hoarding.

const LOCKOUT_PARALLEL = 6;
const FREE_ATTEMPTS = 5;
const loginDocument = (email: string, password: string) => `mutation { login(input: { email: ${q(email)}, password: ${q(password)} }) { accessToken userErrors { code } } }`;
const loginOutcome = (answer: Answer): string => {
  const payload = (answer.json as { data?: { login?: { accessToken?: string | null } } } | undefined)?.data?.login;
  if (answer.status !== 200 || !payload) return `${statusLabel(answer)}${errorCodes(answer).length ? ` ${errorCodes(answer).join("/")}` : ""}`;
  if (payload.accessToken) return "signed in";
  return userErrorCodes(payload).join("/") || "no token";
};

const staffLockout: Attack = {
  id: "5a",
  title: `lockout, anonymous: ${LOCKOUT_PARALLEL} wrong passwords for the staff account at once`,
  anonymous: true,
  async run(ctx, recorder, window) {
    const staff = ctx.target.staff;
    if (!staff) return ["not tested: no staff account (ATTACK_STAFF_EMAIL)"];
    const attacker = ctx.actor("attacker 5");
    await window(() =>
      Promise.all(Array.from({ length: LOCKOUT_PARALLEL }, () => recorder.graphql(attacker, loginDocument(staff.email, `wrong-${randomBytes(6).toString("hex")}`)))),
    );
    const outcomes = recorder.answers.map(loginOutcome);
    const checked = outcomes.filter((o) => o === "INVALID_CREDENTIALS").length;
    const counts = new Map<string, number>();
    for (const o of outcomes) counts.set(o, (counts.get(o) ?? 0) + 1);
    const answered = [...counts.entries()].map(([o, count]) => `${o} ×${count}`).join(", ");
    const text = `${checked} of ${LOCKOUT_PARALLEL} passwords checked, ${LOCKOUT_PARALLEL - checked} refused (${answered})`;
    // After five failures in a row an email is locked (docs/api.md): a sixth check is one too many.
    return [checked > FREE_ATTEMPTS ? `**${text}**` : text];
  },
};

const ownerSignIn: Attack = {
  id: "5b",
  title: "lockout, anonymous: the staff owner signs in with the right password afterwards, from the attack address and others",
  anonymous: true,
  async run(ctx, recorder, window) {
    const staff = ctx.target.staff;
    if (!staff) return ["not tested: no staff account (ATTACK_STAFF_EMAIL)"];
    // The address that sent 5a's wrong passwords.
    const sameAddress = ctx.actor("attacker 5");
    const elsewhere = ctx.actor("staff owner");
    const forwardedFor = "203.0.113.77";
    // The address the run signed the staff member in from before the attacks: a place the owner is known at.
    const known = ctx.actor("setup");
    const [same, other, before, forwarded] = await window(async () => [
      await recorder.graphql(sameAddress, loginDocument(staff.email, staff.password)),
      ctx.ownAddresses ? await recorder.graphql(elsewhere, loginDocument(staff.email, staff.password)) : undefined,
      ctx.ownAddresses ? await recorder.graphql(known, loginDocument(staff.email, staff.password)) : undefined,
      await recorder.graphql(sameAddress, loginDocument(staff.email, staff.password), undefined, { headers: { "x-forwarded-for": forwardedFor } }),
    ]);
    const proxy = ctx.target.trustProxy ? `TRUST_PROXY=${ctx.target.trustProxy}` : "target trusts no proxy, so this is the attack address";
    return [
      `from the attack address (${sameAddress.localAddress ?? "this machine"}): ${loginOutcome(same)}`,
      other
        ? loginOutcome(other) === "signed in"
          ? `from another address (${elsewhere.localAddress}): signed in`
          : `**from another address (${elsewhere.localAddress}): ${loginOutcome(other)}**`
        : "from another address: not tested (the target is not on this machine's loopback)",
      before
        ? loginOutcome(before) === "signed in"
          ? `from the address it signed in from before (${known.localAddress}): signed in`
          : `**from the address it signed in from before (${known.localAddress}): ${loginOutcome(before)}**`
        : "",
      `with X-Forwarded-For ${forwardedFor} (${proxy}): ${loginOutcome(forwarded)}`,
    ].filter(Boolean);
  },
};

const HOARD_LINES = 140;
const MAX_IDS = 100;
const HOARD_QUANTITY = 10_000;

const stockHoarding: Attack = {
  id: "5c",
  title: `hoarding, buyer: a PENDING order of ${HOARD_LINES} lines of distinct variants, ${n(HOARD_QUANTITY)} units each`,
  anonymous: false,
  async run(ctx, recorder, window) {
    const variants = ctx.catalog.orderable.slice(0, HOARD_LINES);
    if (variants.length === 0) return ["not tested: the buyer can order no variant"];
    const checker = ctx.actor("buyer checking 5c");
    // Read through the API as the attacking buyer, at most MAX ids a request.
    const stock = async () => {
      const levels: ({ onHand: number; reserved: number; available: number } | null)[] = [];
      for (let i = 0; i < variants.length; i += MAX_IDS) {
        const ids = variants.slice(i, i + MAX_IDS).map((v) => v.id);
        const answer = await graphql(ctx.base, checker, `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Variant { availability { onHand reserved available } } } }`, { ids }, { token: ctx.tokens.buyer });
        const nodes = (answer.json as { data?: { nodes?: ({ availability?: { onHand: number; reserved: number; available: number } } | null)[] } } | undefined)?.data?.nodes;
        if (!nodes) return undefined;
        levels.push(...nodes.map((node) => node?.availability ?? null));
      }
      return levels;
    };
    const before = await stock();
    const attacker = ctx.actor("attacker 5c");
    const input = {
      idempotencyKey: randomUUID(),
      buyerReference: `PO-${randomBytes(3).toString("hex").toUpperCase()}`,
      lines: variants.map((v) => ({ variantId: v.id, quantity: Math.max(HOARD_QUANTITY, v.minimumOrderQuantity) })),
    };
    const answer = await window(() =>
      recorder.graphql(attacker, `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id number status lineCount } userErrors { field code } } }`, { input }, { token: ctx.tokens.buyer }),
    );
    const after = await stock();
    const payload = (answer.json as { data?: { placeOrder?: { order?: { id: string; number: string; status: string; lineCount: number } | null; userErrors?: { code: string }[] } } } | undefined)?.data?.placeOrder;
    const notes: string[] = [];
    if (!payload?.order) {
      const codes = [...userErrorCodes(payload), ...errorCodes(answer)];
      notes.push(`refused${codes.length ? `: ${[...new Set(codes)].join(", ")}` : ""}`);
    } else {
      notes.push(`order ${payload.order.number} ${payload.order.status} with ${payload.order.lineCount} lines`);
      if (before && after) {
        let reserved = 0;
        let available = 0;
        let emptied = 0;
        before.forEach((b, i) => {
          const a = after[i];
          if (!b || !a) return;
          reserved += a.reserved - b.reserved;
          available += b.available;
          // The last piece on the shelf may go to one order; more than one may not.
          if (b.available > 1 && a.available === 0) emptied++;
        });
        const text = `reserved ${n(reserved)} of ${n(available)} units available; ${emptied} of ${variants.length} variants that had more than one unit left with none available to others`;
        notes.push(emptied > 0 ? `**${text}**` : text);
      } else {
        notes.push("could not read availability through the API");
      }
      const cancel = await graphql(ctx.base, attacker, `mutation($id: ID!) { cancelOrder(input: { id: $id, reason: "attack replay" }) { order { status } userErrors { code } } }`, { id: payload.order.id }, { token: ctx.tokens.buyer });
      const cancelled = (cancel.json as { data?: { cancelOrder?: { order?: { status?: string } | null } } } | undefined)?.data?.cancelOrder?.order?.status;
      notes.push(cancelled === "CANCELLED" ? "cancelled afterwards" : "could not cancel it afterwards");
    }
    return notes;
  },
};

const scopeEscape: Attack = {
  id: "5d",
  title: "scopes, API client: `orders:read` only, reading `orders { nodes { lines { variant { … } } } }`",
  anonymous: false,
  async run(ctx, recorder, window) {
    const token = ctx.tokens.ordersReadClient;
    if (!token) return ["not tested: no orders:read API client (ATTACK_CLIENT_ID)"];
    const attacker = ctx.actor("attacker 5d");
    const answer = await window(() =>
      recorder.graphql(attacker, `{ orders(first: 20) { nodes { number lines { sku variant { id sku price { amount currency } availability { onHand available } product { name } } } } } }`, undefined, { token }),
    );
    const orders = (answer.json as { data?: { orders?: { nodes?: { lines?: { variant?: { sku?: string } | null }[] }[] } | null } } | undefined)?.data?.orders?.nodes ?? [];
    const lines = orders.flatMap((o) => o.lines ?? []);
    const read = lines.filter((line) => line.variant?.sku).length;
    const codes = codeTally(recorder.answers);
    return [
      read > 0 ? `**not refused**: catalog data of ${read} of ${lines.length} lines' variants read` : lines.length > 0 ? `refused: no variant of ${lines.length} lines read` : "refused: no lines read",
      codes ? `errors ${codes}` : "",
    ].filter(Boolean);
  },
};

const FORWARDED_REQUESTS = 200;
const FORWARDED_PARALLEL = 20;

const forwardedBudgets: Attack = {
  id: "5e",
  title: `budgets, anonymous: ${FORWARDED_REQUESTS} requests with ${FORWARDED_REQUESTS} different X-Forwarded-For values, ${FORWARDED_PARALLEL} at a time`,
  anonymous: true,
  async run(ctx, recorder, window) {
    const attacker = ctx.actor("attacker 5e");
    // The cheapest operation an anonymous caller may send: each answer reports the bucket it was charged to.
    const query = "{ __typename }";
    const forwarded = Array.from({ length: FORWARDED_REQUESTS }, (_, i) => `198.51.${Math.floor(i / 250)}.${(i % 250) + 1}`);
    await window(() => eachAtMost(FORWARDED_PARALLEL, forwarded, async (address) => void (await recorder.graphql(attacker, query, undefined, { headers: { "x-forwarded-for": address } }))));
    const reports = recorder.answers.map(rateLimitOf).filter((r) => r !== undefined);
    const limited = recorder.answers.filter((a) => a.status === 429).length;
    // A request that found a full bucket had a budget of its own; of one shared bucket, only the first does.
    const fresh = reports.filter((r) => r.remaining >= r.limit - r.cost).length;
    const proxy = ctx.target.trustProxy ? `TRUST_PROXY=${ctx.target.trustProxy}` : "no proxy trusted, as far as known";
    const verdict =
      reports.length > 0
        ? fresh <= 1
          ? `shared one budget (${n(reports[0].limit - Math.min(...reports.map((r) => r.remaining)))} points spent of it${limited ? `, ${limited} refused with 429` : ""})`
          : `**separate budgets**: ${fresh} of ${recorder.answers.length} found a full bucket`
        : limited > 0
          ? `shared one budget (${limited} refused with 429)`
          : "could not tell: no answer reported its budget";
    return [verdict, reports.length ? `cost ${reports[0].cost} each, bucket ${n(reports[0].limit)}` : "", proxy].filter(Boolean);
  },
};

// ---------------------------------------------------------------------------------------------
// 6. Low: malformed input that must answer 4xx (never 500), and no hints or reflected input.

function lowNotes(answers: readonly Answer[], extra: string[] = []): string[] {
  const codes = codeTally(answers);
  const suggestions = answers.filter(leaksSuggestion).length;
  return [codes ? `errors ${codes}` : "", ...extra, suggestions ? `**${suggestions} suggested names ("Did you mean")**` : ""].filter(Boolean);
}

const forgedCursors: Attack = {
  id: "6a",
  title: "low, buyer: forged cursors (`after:` garbage, base64 of garbage, a cursor with NUL)",
  anonymous: false,
  async run(ctx, recorder, window) {
    const attacker = ctx.actor("attacker 6a");
    const cursors = ["garbage!", Buffer.from("garbage").toString("base64"), Buffer.from("product\u0000cursor").toString("base64"), "abc\u0000def", Buffer.from('{"k":[1e308,null]}').toString("base64url")];
    await window(async () => {
      for (const after of cursors) {
        await recorder.graphql(attacker, `query($after: String) { products(first: 5, after: $after) { nodes { name } } }`, { after }, { token: ctx.tokens.buyer });
        await recorder.graphql(attacker, `query($after: String) { orders(first: 5, after: $after) { nodes { number } } }`, { after }, { token: ctx.tokens.buyer });
      }
    });
    return lowNotes(recorder.answers);
  },
};

const outOfRangeDates: Attack = {
  id: "6b",
  title: "low, buyer: years 0 and 10000 in DateTime filters and a Date input",
  anonymous: false,
  async run(ctx, recorder, window) {
    const attacker = ctx.actor("attacker 6b");
    const times = ["0000-01-01T00:00:00Z", "10000-01-01T00:00:00Z", "+010000-01-01T00:00:00.000Z", "-000001-01-01T00:00:00Z"];
    const dates = ["0000-01-01", "10000-01-01"];
    await window(async () => {
      for (const t of times) {
        await recorder.graphql(attacker, `query($t: DateTime) { orders(filter: { placedAfter: $t }) { nodes { number } } }`, { t }, { token: ctx.tokens.buyer });
        await recorder.graphql(attacker, `query($t: DateTime) { products(filter: { updatedSince: $t }) { nodes { name } } }`, { t }, { token: ctx.tokens.buyer });
        await recorder.graphql(attacker, `{ orders(filter: { updatedSince: ${q(t)} }) { nodes { number } } }`, undefined, { token: ctx.tokens.buyer });
      }
      for (const d of dates) {
        // No lines: even a date that passes leaves nothing written.
        await recorder.graphql(
          attacker,
          `mutation($d: Date) { placeOrder(input: { idempotencyKey: ${q(randomUUID())}, buyerReference: "PO-DATE", lines: [], requestedShipDate: $d }) { order { id } userErrors { field code } } }`,
          { d },
          { token: ctx.tokens.buyer },
        );
      }
    });
    return lowNotes(recorder.answers);
  },
};

const longEmail: Attack = {
  id: "6c",
  title: "low, anonymous and buyer: a 5,000-character email in `login` and in a filter",
  anonymous: true,
  async run(ctx, recorder, window) {
    const anonymous = ctx.actor("attacker 6c");
    const email = `${"a".repeat(5000 - "@example.com".length)}@example.com`;
    await window(async () => {
      await recorder.graphql(anonymous, loginDocument(email, "wrong-password"));
      await recorder.graphql(anonymous, `mutation($input: LoginInput!) { login(input: $input) { accessToken userErrors { field code } } }`, { input: { email, password: "wrong-password" } });
      await recorder.graphql(anonymous, `query($s: String) { orders(filter: { search: $s }) { nodes { number } } }`, { s: email }, { token: ctx.tokens.buyer });
      await recorder.graphql(anonymous, `query($s: String) { products(filter: { search: $s }) { nodes { name } } }`, { s: email }, { token: ctx.tokens.buyer });
      if (ctx.tokens.staff) await recorder.graphql(anonymous, `query($s: String) { distributors(filter: { search: $s }) { nodes { name } } }`, { s: email }, { token: ctx.tokens.staff });
    });
    return lowNotes(recorder.answers);
  },
};

const nulClientId: Attack = {
  id: "6d",
  title: "low, anonymous: `client_id=%00` at /oauth/token",
  anonymous: true,
  async run(ctx, recorder, window) {
    const attacker = ctx.actor("attacker 6d");
    const form = (body: string) => recorder.send(attacker, { path: "/oauth/token", headers: { "content-type": "application/x-www-form-urlencoded" }, body });
    await window(async () => {
      await form("grant_type=client_credentials&client_id=%00&client_secret=x");
      await form("grant_type=client_credentials&client_id=a%00b&client_secret=%00");
      await recorder.send(attacker, {
        path: "/oauth/token",
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from("%00:%00").toString("base64")}` },
        body: "grant_type=client_credentials",
      });
      await recorder.send(attacker, { path: "/oauth/token", headers: { "content-type": "application/json" }, body: JSON.stringify({ grant_type: "client_credentials", client_id: "\u0000", client_secret: "x" }) });
    });
    const errors = recorder.answers.map((a) => (a.json as { error?: string } | undefined)?.error ?? "?");
    return [`OAuth errors ${errors.join(", ")}`];
  },
};

const suggestions: Attack = {
  id: "6e",
  title: 'low, anonymous and buyer: errors that could suggest names ("Did you mean")',
  anonymous: true,
  async run(ctx, recorder, window) {
    const attacker = ctx.actor("attacker 6e");
    const variableQuery = `query($f: OrderFilter) { orders(filter: $f) { nodes { number } } }`;
    await window(async () => {
      for (const token of [undefined, ctx.tokens.buyer]) {
        await recorder.graphql(attacker, variableQuery, { f: { statuss: ["PENDING"] } }, { token });
        await recorder.graphql(attacker, variableQuery, { f: { status: ["PENDNG"] } }, { token });
        await recorder.graphql(attacker, `query($t: DateTime) { orders(filter: { updatedSince: $t }) { nodes { number } } }`, { t: 12 }, { token });
        await recorder.graphql(attacker, `{ viewr { role } }`, undefined, { token });
        await recorder.graphql(attacker, `{ products(orderBy: NAM) { nodes { name } } }`, undefined, { token });
      }
    });
    return lowNotes(recorder.answers, [recorder.answers.some(leaksSuggestion) ? "" : "no suggestion"].filter(Boolean));
  },
};

const reflectedRequestId: Attack = {
  id: "6f",
  title: "low, anonymous: `X-Request-Id: <script>`",
  anonymous: true,
  async run(ctx, recorder, window) {
    const attacker = ctx.actor("attacker 6f");
    const sent = "<script>alert(1)</script>";
    const answer = await window(() => recorder.graphql(attacker, "{ __typename }", undefined, { headers: { "x-request-id": sent } }));
    const echoed = answer.headers["x-request-id"];
    return [echoed === sent ? "**X-Request-Id echoed as sent**" : `X-Request-Id replaced (${typeof echoed === "string" ? echoed.slice(0, 36) : "absent"})`];
  },
};

const securityHeaders: Attack = {
  id: "6g",
  title: "low, anonymous and buyer: `Cache-Control: no-store` and `X-Content-Type-Options: nosniff` on /graphql",
  anonymous: true,
  async run(ctx, recorder, window) {
    const attacker = ctx.actor("attacker 6g");
    const answers = await window(async () => [
      await recorder.graphql(attacker, "{ __typename }"),
      await recorder.graphql(attacker, "{ viewer { role } }", undefined, { token: ctx.tokens.buyer }),
      await recorder.graphql(attacker, "{ viewr }"),
    ]);
    const labels = ["anonymous", "buyer", "error"];
    return answers.map((a, i) => {
      const cache = a.headers["cache-control"];
      const sniff = a.headers["x-content-type-options"];
      const noStore = typeof cache === "string" && /no-store/i.test(cache);
      const nosniff = sniff === "nosniff";
      return `${labels[i]}: ${noStore ? "no-store" : `**Cache-Control ${cache ?? "absent"}**`}, ${nosniff ? "nosniff" : "**nosniff absent**"}`;
    });
  },
};

export const ATTACKS: readonly Attack[] = [
  poolExhaustion,
  cpuAttack(false),
  cpuAttack(true),
  auditEscape,
  nodesUndercount,
  nestedUndercount,
  defaultVariableUndercount,
  staffLockout,
  ownerSignIn,
  stockHoarding,
  scopeEscape,
  forwardedBudgets,
  forgedCursors,
  outOfRangeDates,
  longEmail,
  nulClientId,
  suggestions,
  reflectedRequestId,
  securityHeaders,
];
