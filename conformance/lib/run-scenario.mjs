// Running one scenario and turning what happened into a list of differences.
import { applyExpectedDifferences, compareSides } from "./compare.mjs";
import { SECRET } from "./config.mjs";
import { SideContext } from "./context.mjs";
import { rowsForDomain } from "./db.mjs";
import { normalizeExchange } from "./exchange.mjs";
import { createNormalizer } from "./normalize.mjs";
import { Harness } from "./harness.mjs";

const SCENARIO_TIMEOUT_MS = 120_000;

function withTimeout(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${SCENARIO_TIMEOUT_MS / 1000} s`)), SCENARIO_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function errorFailure(side, err) {
  return { side, step: "run", field: "exception", detail: String(err?.stack || err).split("\n").slice(0, 40).join("\n  ") };
}

// The comparable form of one side: normalised steps, records and database rows, in
// that order (mask labels are numbered in the order values are met).
function normalizeSide(ctx, rows, rowsAt, fields) {
  const norm = createNormalizer(SECRET);
  const pick = (ex) => (fields ? Object.fromEntries(fields.map((f) => [f, ex[f]])) : ex);
  // OAuth states and nonces are labelled as met in URLs, wherever they are met first.
  for (const ex of ctx.steps) [ex.label, ex.headers.location, ex.bodyText].forEach(norm.note);
  for (const r of ctx.records) norm.note(JSON.stringify(r.value) ?? "");
  return {
    steps: ctx.steps.map((ex) => ({ label: norm.string(ex.label), exchange: pick(normalizeExchange(ex, norm)) })),
    records: Object.fromEntries(ctx.records.map((r) => [r.name, norm.value(r.value, r.at)])),
    db: rows ? norm.value(rows, rowsAt) : {},
  };
}

/** Run a comparison scenario on both sides of its group. */
export async function runCompare(scenario, sides, { selfTest }) {
  const ctx = {};
  for (const side of ["node", "go"]) {
    ctx[side] = new SideContext({ side, server: sides[side].server, pool: sides[side].pool, domain: scenario.domain });
  }
  // Both sides run at the same time: they share nothing but the clock.
  await Promise.all(
    ["node", "go"].map((side) =>
      withTimeout(Promise.resolve().then(() => scenario.run(ctx[side])), `${side} side`).catch((err) =>
        ctx[side].failures.push(errorFailure(side, err)),
      ),
    ),
  );
  // A server that died mid-scenario explains every later difference: say so first.
  for (const side of ["node", "go"]) {
    const { server } = sides[side];
    if (server.exited) ctx[side].failures.unshift({ side, step: "server", field: "process", detail: `${server.label} exited (${JSON.stringify(server.exited)}); log: ${server.logPath}` });
  }
  const normalized = {};
  for (const side of ["node", "go"]) {
    let rows = null;
    const at = Date.now();
    if (scenario.db !== false) rows = await rowsForDomain(sides[side].pool, scenario.domain, sides[side].server.group.schema);
    normalized[side] = normalizeSide(ctx[side], rows, at, scenario.exchangeFields);
  }
  const { diffs, notes } = applyExpectedDifferences(
    compareSides(normalized.node, normalized.go),
    scenario.expectDifference,
    { selfTest },
  );
  return { differences: [...ctx.node.failures, ...ctx.go.failures, ...diffs], notes, normalized };
}

/** Run a custom scenario (takeover, adoption). */
export async function runCustom(scenario, { cluster, runId, selfTest }) {
  const h = new Harness({ cluster, runId, slug: scenario.slug, domain: scenario.domain, selfTest });
  try {
    await withTimeout(Promise.resolve().then(() => scenario.run(h)), "scenario");
  } catch (err) {
    h.failures.push(errorFailure("both", err));
  } finally {
    await h.close();
  }
  return { differences: h.failures, notes: [] };
}
