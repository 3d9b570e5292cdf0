#!/usr/bin/env node
// Conformance runner: every scenario against the pinned Node Better Auth and the Go
// server, compared after normalisation. Usage:
//
//   node runner.mjs [--list] [name filter …]
//
// Environment: KERNIA_TEST_DATABASE_URL (admin URL of a PostgreSQL cluster, required),
// GO_SERVER_BIN (the Go server binary) or CONFORMANCE_SELF_TEST=1 (a Node stand-in on
// the Go side; "broken" for a stand-in with injected faults), CONFORMANCE_KEEP_DB=1 to
// keep the databases, CONFORMANCE_DUMP=1 to write every scenario's normalised
// exchanges to report/exchanges/ (failed ones are always written).
//
// The last line of output is `conformance: N passed, M failed`; the exit status is 0
// only when nothing failed.
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { REPORT_DIR, SECRET } from "./lib/config.mjs";
import { Cluster } from "./lib/db.mjs";
import { group, missingBuild, optInMissing } from "./lib/groups.mjs";
import { formatDifference, writeReport } from "./lib/report.mjs";
import { startMailbox } from "./lib/mailbox.mjs";
import { loadScenarios } from "./lib/scenarios.mjs";
import { runCompare, runCustom } from "./lib/run-scenario.mjs";
import { describeLeak, runSecrets } from "./lib/secrets.mjs";
import { stopSocialIdP } from "./lib/social.mjs";
import { goLogPaths, goSideCommand, startServer, stopAll } from "./lib/servers.mjs";

const PRINTED_DIFFERENCES = 6;
const LOG_CHECK = "logs: no token, password or secret the run saw is in a Go server's log";

function versionOf(pkg) {
  const file = new URL(`./node_modules/${pkg}/package.json`, import.meta.url);
  return JSON.parse(fs.readFileSync(file, "utf8")).version;
}

// Each group's pair of servers is started the first time a scenario needs it.
class Groups {
  constructor(cluster, runId) {
    this.cluster = cluster;
    this.runId = runId;
    this.started = new Map();
  }

  get(name) {
    if (!this.started.has(name)) this.started.set(name, this.#start(group(name)));
    return this.started.get(name);
  }

  async #start(g) {
    const sides = {};
    await Promise.all(
      ["node", "go"].map(async (side) => {
        // A group whose Node side would be configured as another group's shares its server
        // (lib/groups.mjs, nodeFrom).
        if (side === "node" && g.nodeFrom) {
          sides.node = (await this.get(g.nodeFrom)).node;
          return;
        }
        const url = await this.cluster.createDatabase(`conf_${this.runId}_${g.name}_${side}`);
        const server = await startServer({ side, label: `${g.name}-${side}`, databaseURL: url, group: g });
        sides[side] = { server, pool: this.cluster.pool(url) };
      }),
    );
    return sides;
  }
}

// The check after the run, once every server has stopped and its log is complete: each
// secret the browsers and the mailbox saw (lib/secrets.mjs), looked for in each Go log.
function checkGoLogs() {
  const t0 = Date.now();
  runSecrets.add(SECRET, "the run's secret (KERNIA_SECRET)");
  const leaks = runSecrets.leaksInFiles([...goLogPaths]);
  return {
    name: LOG_CHECK,
    file: "runner.mjs",
    passed: leaks.length === 0,
    ms: Date.now() - t0,
    differences: leaks.map((l) => ({ side: "go", step: "log", field: "secret", detail: describeLeak(l, REPORT_DIR) })),
    notes: [`${runSecrets.size} secrets in ${goLogPaths.size} logs`],
  };
}

function printResult(result) {
  console.log(`${result.passed ? "ok  " : "FAIL"}  ${result.name}  (${result.ms} ms)`);
  if (result.passed) return;
  for (const d of result.differences.slice(0, PRINTED_DIFFERENCES)) console.log(formatDifference(result.name, d).replace(/^/gm, "      "));
  if (result.differences.length > PRINTED_DIFFERENCES) console.log(`      … ${result.differences.length - PRINTED_DIFFERENCES} more in the report`);
}

function dumpExchanges(scenario, normalized) {
  if (!normalized) return;
  const dir = path.join(REPORT_DIR, "exchanges");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${scenario.slug}.json`), JSON.stringify({ scenario: scenario.name, ...normalized }, null, 2) + "\n");
}

async function main() {
  const args = process.argv.slice(2);
  const list = args.includes("--list");
  const filters = args.filter((a) => !a.startsWith("--"));
  let scenarios = await loadScenarios();
  if (filters.length) scenarios = scenarios.filter((s) => filters.some((f) => s.name.includes(f) || s.slug.includes(f)));
  if (list) {
    for (const s of scenarios) console.log(`${s.file.padEnd(22)} ${s.kind === "custom" ? "custom " : s.group.padEnd(7)} ${s.name}`);
    console.log(`${scenarios.length} scenarios`);
    return 0;
  }

  const adminURL = process.env.KERNIA_TEST_DATABASE_URL;
  if (!adminURL) {
    console.error("conformance: KERNIA_TEST_DATABASE_URL is not set (run.sh can start a throwaway cluster)");
    console.log("conformance: 0 passed, 1 failed");
    return 2;
  }
  const selfTest = Boolean(process.env.CONFORMANCE_SELF_TEST && process.env.CONFORMANCE_SELF_TEST !== "0");
  let goSide;
  try {
    goSide = goSideCommand(group("core"));
  } catch (err) {
    console.error(`conformance: ${err.message}`);
    console.log("conformance: 0 passed, 1 failed");
    return 2;
  }

  fs.rmSync(REPORT_DIR, { recursive: true, force: true });
  fs.mkdirSync(REPORT_DIR, { recursive: true });
  const meta = {
    date: new Date().toISOString(),
    "node reference": `better-auth ${versionOf("better-auth")} (toNodeHandler over node:http)`,
    "adoption sources": `better-auth ${versionOf("better-auth-1-6")}, better-auth ${versionOf("better-auth-1-7-1")}`,
    "go side": selfTest ? `SELF-TEST stand-in (${path.basename(goSide.cmd)}), not the Go server` : goSide.cmd,
    node: process.version,
  };
  for (const [k, v] of Object.entries(meta)) console.log(`${k}: ${v}`);
  console.log("");

  const runId = `${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;
  const cluster = new Cluster(adminURL);
  const groups = new Groups(cluster, runId);
  const box = await startMailbox(); // every server started from here on mails it
  const results = [];
  const skipped = new Map(); // variable → number of scenarios skipped for want of it
  const notOptedIn = new Map(); // opt-in variable → number of scenarios left out
  const pending = []; // scenarios whose Go side is not built yet
  const setupErrors = new Map();
  const started = Date.now();
  try {
    for (const s of scenarios) {
      const optIn = optInMissing(s);
      if (optIn) {
        notOptedIn.set(optIn, (notOptedIn.get(optIn) ?? 0) + 1);
        continue;
      }
      // A scenario whose Go side is not built yet (`goPending` says what is missing) is listed
      // and not run against the Go server; the self-test stand-in, which has it, still runs it.
      if (s.goPending && !selfTest) {
        console.log(`pending  ${s.name}  (${s.goPending})`);
        pending.push({ name: s.name, reason: s.goPending });
        continue;
      }
      const missing = missingBuild(s, { selfTest });
      if (missing) {
        console.log(`skip  ${s.name}  (${missing} is not set: the Go server built for group "${s.kind === "custom" ? s.groups.join(", ") : s.group}")`);
        skipped.set(missing, (skipped.get(missing) ?? 0) + 1);
        continue;
      }
      const t0 = Date.now();
      let outcome;
      try {
        outcome =
          s.kind === "custom"
            ? await runCustom(s, { cluster, runId, selfTest })
            : await runCompare(s, await groups.get(s.group), { selfTest });
      } catch (err) {
        // A group whose servers did not start fails every scenario in it; explain it once.
        const detail = setupErrors.has(err) ? `same setup failure as "${setupErrors.get(err)}"` : String(err?.stack || err);
        if (!setupErrors.has(err)) setupErrors.set(err, s.name);
        outcome = { differences: [{ side: "both", step: "setup", field: "exception", detail }], notes: [] };
      }
      const passed = outcome.differences.length === 0;
      const result = { name: s.name, file: s.file, passed, ms: Date.now() - t0, differences: outcome.differences, notes: outcome.notes };
      results.push(result);
      if (!passed || process.env.CONFORMANCE_DUMP === "1") dumpExchanges(s, outcome.normalized);
      printResult(result);
    }
  } finally {
    await stopAll();
    await stopSocialIdP();
    await box.close();
    await cluster.close({ keep: process.env.CONFORMANCE_KEEP_DB === "1" });
  }
  if (results.length > 0) {
    const logCheck = checkGoLogs();
    results.push(logCheck);
    printResult(logCheck);
    console.log(`      (${logCheck.notes[0]})`);
  }

  meta.duration = `${((Date.now() - started) / 1000).toFixed(1)} s`;
  meta.pending = pending;
  const reportPath = writeReport({ results, meta });
  const passed = results.filter((r) => r.passed).length;
  const failed = results.length - passed;
  console.log("");
  for (const [name, n] of skipped) console.log(`skipped: ${n} scenarios, ${name} is not set (required when CI=true)`);
  for (const [name, n] of notOptedIn) console.log(`not run: ${n} scenarios of opt-in groups (${name}=1 runs them)`);
  if (pending.length) console.log(`pending: ${pending.length} scenarios wait for the Go side (listed above with what is missing)`);
  console.log(`report: ${path.relative(process.cwd(), reportPath) || reportPath}  (${meta.duration})`);
  console.log(`conformance: ${passed} passed, ${failed} failed`);
  return failed === 0 && results.length > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  async (err) => {
    console.error(err?.stack || err);
    await stopAll();
    console.log("conformance: 0 passed, 1 failed");
    process.exit(1);
  },
);
