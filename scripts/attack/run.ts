import "reflect-metadata";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { setLogLevel } from "../../src/logger";
import { repositoryRoot } from "../support/facet";
import { actor, closeActor, errorCodes, rateLimitOf, send, tally, type Actor } from "../support/http";
import { buildLabel, writeResult } from "../support/results";
import { readCatalog, SetupError, signIn } from "../support/session";
import { ATTACKS, Recorder, type AttackContext, type Tokens, type Window } from "./attacks";
import { percentile, Probe, type ProbeSample } from "./probe";
import { formatReport, outcome, verdict, type Row } from "./report";
import { externalTarget, ownTarget, type Target } from "./target";

// npm run attack: replays six classes of attack against a production-mode Facet with Redis, while
// a signed-in buyer's probe measures what they cost everyone else, and writes the table to
// scripts/attack/results/<UTC timestamp>.md. See scripts/attack/README.md.

const IDLE_PROBES = 200;
const WARMUP_PROBES = 30;
const SETTLE_MAX_MS = 30_000;
const SETTLE_GOOD_PROBES = 5;
const BUDGET_WAIT_MAX_MS = 20_000;
const verbose = ["1", "true", "yes"].includes((process.env.ATTACK_VERBOSE ?? "").toLowerCase());

const say = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Loopback aliases give every party its own real address when the target is on this machine. */
function addressesFor(url: URL): ((index: number) => string) | undefined {
  const host = url.hostname;
  const loopback = host === "localhost" || /^127\.\d+\.\d+\.\d+$/.test(host);
  return loopback ? (index) => `127.0.${Math.floor(index / 250) + 1}.${(index % 250) + 2}` : undefined;
}

async function clientToken(base: URL, from: Actor, client: { clientId: string; secret: string }): Promise<string> {
  const answer = await send(base, from, {
    path: "/oauth/token",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: client.clientId, client_secret: client.secret }).toString(),
  });
  const token = (answer.json as { access_token?: string } | undefined)?.access_token;
  if (!token) throw new SetupError(`could not get a token for the API client ${client.clientId}: ${answer.status} ${answer.body.slice(0, 200)}`);
  return token;
}

/** Waits until the probe answers at its idle pace again (or gives up), so one attack's tail does not land on the next. */
async function settle(probe: Probe, idleP99: number): Promise<boolean> {
  const deadline = Date.now() + SETTLE_MAX_MS;
  let good = 0;
  while (Date.now() < deadline) {
    const sample = await probe.once();
    good = sample.ok && sample.ms < 2 * idleP99 ? good + 1 : 0;
    if (good >= SETTLE_GOOD_PROBES) return true;
    if (!sample.ok) await sleep(200);
  }
  return false;
}

function tallyProbes(samples: readonly ProbeSample[]): string {
  const counts = new Map<string, number>();
  for (const s of samples) if (!s.ok) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
  return [...counts.entries()].map(([status, count]) => `${status} ×${count}`).join(", ");
}

async function main(): Promise<number> {
  const started = performance.now();
  // The setup's own log lines (migrations, seed) stay out of the report.
  setLogLevel("warn");
  const root = repositoryRoot(__dirname);
  const resultsDir = path.join(root, "scripts/attack/results");

  let target: Target;
  try {
    target = process.env.ATTACK_URL ? externalTarget(process.env.ATTACK_URL) : await ownTarget(__dirname);
  } catch (error) {
    say(`The target could not be set up: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  const base = target.url;
  const actors = new Map<string, Actor>();
  let addresses = addressesFor(base);
  const actorNamed = (name: string): Actor => {
    let found = actors.get(name);
    if (!found) {
      found = actor(name, addresses?.(actors.size), name === "probe" ? 1 : Infinity);
      actors.set(name, found);
    }
    return found;
  };

  try {
    say(`target: ${target.description}`);
    // Check that the loopback aliases can reach the target; if not, everyone sends from this machine's address.
    if (addresses) {
      const check = await send(base, actorNamed("setup"), { method: "GET", path: "/healthz" });
      if (check.status === 0) {
        say(`loopback aliases cannot reach the target (${check.failure}); every party sends from one address`);
        for (const a of actors.values()) closeActor(a);
        actors.clear();
        addresses = undefined;
      }
    }
    const setup = actorNamed("setup");
    const health = await send(base, setup, { method: "GET", path: "/readyz" });
    if (health.status !== 200) throw new SetupError(`${base.origin}/readyz answered ${health.status || health.failure}`);

    const tokens: Tokens = {
      buyer: await signIn(base, setup, target.buyer, "buyer"),
      probe: target.probe === target.buyer ? "" : await signIn(base, setup, target.probe, "probe buyer"),
      staff: undefined,
      ordersReadClient: undefined,
    };
    tokens.probe ||= tokens.buyer;
    if (target.staff) {
      try {
        tokens.staff = await signIn(base, setup, target.staff, "staff member");
      } catch (error) {
        say(`${(error as Error).message}: the attacks that need staff are not tested`);
        target.staff = undefined;
      }
    }
    if (target.ordersReadClient) tokens.ordersReadClient = await clientToken(base, setup, target.ordersReadClient);
    const catalog = await readCatalog(base, setup, tokens.buyer);
    say(`catalog: ${catalog.productIds.length} products, ${catalog.variantIds.length} variants, ${catalog.orderable.length} orderable by the buyer`);

    const probeActor = actorNamed("probe");
    const probe = new Probe(base, probeActor, tokens.probe);
    await probe.sequence(WARMUP_PROBES);
    const idleSamples = await probe.sequence(IDLE_PROBES);
    if (idleSamples.some((s) => !s.ok)) throw new SetupError(`the probe failed while idle: ${tallyProbes(idleSamples)}`);
    const idle = { count: idleSamples.length, p50: percentile(idleSamples.map((s) => s.ms), 50), p99: percentile(idleSamples.map((s) => s.ms), 99) };
    say(`idle probe: p50 ${idle.p50.toFixed(1)} ms, p99 ${idle.p99.toFixed(1)} ms over ${idle.count} sequential probes; the bar is a p99 under ${(2 * idle.p99).toFixed(1)} ms`);
    say("");

    const ctx: AttackContext = { base, target, tokens, catalog, actor: actorNamed, ownAddresses: addresses !== undefined };
    const rows: Row[] = [];
    for (const attack of ATTACKS) {
      if (!(await settle(probe, idle.p99))) say(`  (the probe had not settled to its idle pace after ${SETTLE_MAX_MS / 1000} s; attacking anyway)`);
      const recorder = new Recorder(base);
      let samples: ProbeSample[] = [];
      let windows = 0;
      const window: Window = async (work) => {
        windows++;
        probe.start();
        try {
          return await work();
        } finally {
          samples = await probe.stop();
        }
      };
      let notes: string[];
      try {
        notes = await attack.run(ctx, recorder, window);
      } catch (error) {
        notes = [`the replay failed: ${error instanceof Error ? error.message : String(error)}`];
      }
      const answers = recorder.answers;
      const row: Row = {
        id: attack.id,
        title: attack.title,
        anonymous: attack.anonymous,
        requests: answers.length,
        longestMs: answers.length ? Math.max(...answers.map((a) => a.ms)) : null,
        probeP99Ms: samples.length ? percentile(samples.map((s) => s.ms), 99) : null,
        probes: samples.length,
        probeFailures: tallyProbes(samples),
        statuses: tally(answers),
        server500s: answers.filter((a) => a.status >= 500).length,
        internalErrors: answers.filter((a) => a.status < 500 && errorCodes(a).includes("INTERNAL_SERVER_ERROR")).length,
        notes,
        tested: windows > 0,
      };
      rows.push(row);
      say(`${attack.id}  ${attack.title}`);
      say(`    ${row.requests} requests, longest ${row.longestMs?.toFixed(0) ?? "–"} ms, probe p99 ${row.probeP99Ms?.toFixed(1) ?? "–"} ms over ${row.probes}; ${outcome(row)}`);
      say(`    ${verdict(row, idle.p99).text}`);
      if (verbose) {
        // The first answer of each status, to see what the server said.
        const seen = new Set<number>();
        for (const answer of answers) {
          if (seen.has(answer.status)) continue;
          seen.add(answer.status);
          say(`    ${answer.status || answer.failure}: ${answer.body.trim().slice(0, 600)}`);
        }
      }

      // A signed-in attacker's next attack starts with its budget refilled, as it would after a pause.
      const last = [...answers].reverse().map(rateLimitOf).find((r) => r !== undefined);
      if (!attack.anonymous && last && last.remaining < last.limit) await sleep(Math.min(BUDGET_WAIT_MAX_MS, ((last.limit - last.remaining) / last.restoreRate) * 1000));
    }

    const info = {
      date: new Date(),
      target: target.description,
      build: buildLabel(root),
      node: process.version,
      addresses: ctx.ownAddresses ? "each attack from a loopback address of its own (the probe and setup from others)" : "every party from this machine's one address",
      probeWho: `${target.probe.email}${target.probe === target.buyer ? " (the attacking buyer: set ATTACK_PROBE_EMAIL for another)" : ", a buyer of another distributor than the attacker's"}`,
      idle,
      seconds: (performance.now() - started) / 1000,
    };
    const report = formatReport(info, rows);
    const file = writeResult(resultsDir, info.date, report);
    say("");
    say(report);
    say(`written to ${path.relative(process.cwd(), file) || file}`);
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    say(error instanceof SetupError ? `The target could not be set up: ${message}` : `The run failed: ${message}`);
    return 1;
  } finally {
    for (const a of actors.values()) closeActor(a);
    await target.close().catch((error) => say(`cleaning up failed: ${error instanceof Error ? error.message : String(error)}`));
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
