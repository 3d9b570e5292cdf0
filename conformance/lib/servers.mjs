// Starting and stopping the servers under test.
//
// Both sides are started through the same environment contract (README.md, "The Go
// server contract"), so the self-test stand-in exercises exactly the code path the Go
// binary will. Readiness is the same for both: GET <base path>/ok answers 200.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { BASE_PATH, EXTRA_TRUSTED_ORIGINS, REPORT_DIR, ROOT, SECRET } from "./config.mjs";
import { mailbox } from "./mailbox.mjs";
import { schemaEnv } from "./schemas.mjs";
import { socialIdP } from "./social.mjs";

const READY_TIMEOUT_MS = 90_000;
const running = new Set();
// The log files of every Go side started in this run, for the check that no secret is in
// one (runner.mjs, lib/secrets.mjs).
export const goLogPaths = new Set();

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// The environment both kinds of server get. Nothing is inherited from the caller but
// what a process needs to run at all, so a stray BETTER_AUTH_* or KERNIA_* variable in
// the developer's shell cannot change either server's behaviour.
function contractEnv({ databaseURL, group, port, label }) {
  const keep = ["PATH", "HOME", "TMPDIR", "LANG", "SYSTEMROOT"];
  const env = Object.fromEntries(keep.filter((k) => process.env[k]).map((k) => [k, process.env[k]]));
  return {
    ...env,
    DATABASE_URL: databaseURL,
    KERNIA_SECRET: SECRET,
    KERNIA_BASE_URL: group.baseURL,
    KERNIA_TRUSTED_ORIGINS: EXTRA_TRUSTED_ORIGINS.join(","),
    KERNIA_RATE_LIMIT: group.rateLimit ? "true" : "false",
    // The harness connects over loopback and names each client in X-Forwarded-For, as a proxy
    // in front of the server would. The Go side takes the client address from the connection
    // unless the peer is a trusted proxy, so the harness's loopback is one; Node, which sees
    // only headers, walks the chain with the same list (servers/node-server.mjs). A group can
    // set it to "" to see the Go side as a server reached directly (scenarios/86-client-ip.mjs).
    KERNIA_TRUSTED_PROXIES: "127.0.0.1",
    ADDR: `127.0.0.1:${port}`,
    // The run's mail sink (lib/mailbox.mjs) for groups with `mail: true`, with a login of
    // this server's own, so that each side's mails are read back separately:
    // KERNIA_SMTP_URL and KERNIA_MAIL_FROM. `mail: "refuse"` or `"drop"` is a mail server
    // that does not work. Other groups have no mailer, as by default.
    ...(group.mail ? mailbox()?.env(label, group.mail === true ? "mailbox" : group.mail) ?? {} : {}),
    // The group's schema customisation (lib/schemas.mjs), as JSON: the Node server merges it
    // into its options; the Go server has it compiled in.
    ...schemaEnv(group.schema),
    // Options beyond the plugins (mail flows, cookie cache, …) that both sides read from
    // the same variables; see lib/groups.mjs.
    ...(group.env ?? {}),
  };
}

// What runs as "the Go side": the real binary, or a Node stand-in in self-test mode.
export function goSideCommand(group) {
  const selfTest = process.env.CONFORMANCE_SELF_TEST;
  if (selfTest && selfTest !== "0") {
    const script = selfTest === "broken" ? "broken-as-go.sh" : "node-as-go.sh";
    return { cmd: path.join(ROOT, "selftest", script), args: [], standin: true };
  }
  // A group with its own build must get it: falling back to the core server would compare the
  // wrong plugin set and report differences that are not there.
  const name = group.goBinEnv || "GO_SERVER_BIN";
  const bin = process.env[name];
  if (!bin) throw new Error(`${name} is not set: the Go server built for group "${group.name}" (or run with CONFORMANCE_SELF_TEST=1)`);
  return { cmd: path.resolve(bin), args: [], standin: false };
}

/**
 * Start one server and wait until it answers.
 * side: "node" (the pinned reference or an older aliased release) or "go".
 */
export async function startServer({ side, label, databaseURL, group, pkg = "better-auth", env: extra = {} }) {
  const port = await freePort();
  // A social group's servers sign in at the run's local identity provider (lib/social.mjs).
  const social = group.social ? (await socialIdP()).env() : {};
  // `extra`: variables a custom scenario sets beyond its group's (lib/harness.mjs).
  const env = { ...contractEnv({ databaseURL, group, port, label }), ...social, ...extra };
  let cmd, args;
  let standin = false;
  if (side === "node") {
    cmd = process.execPath;
    args = [path.join(ROOT, "servers", "node-server.mjs")];
    Object.assign(env, {
      NODE_ENV: "production",
      CONFORMANCE_BETTER_AUTH: pkg,
      CONFORMANCE_PLUGINS: group.plugins.join(","),
    });
  } else {
    const go = goSideCommand(group);
    ({ cmd, args, standin } = go);
    // The Go build has its plugins compiled in; only the stand-in needs telling.
    if (go.standin) env.CONFORMANCE_PLUGINS = group.plugins.join(",");
  }

  fs.mkdirSync(path.join(REPORT_DIR, "logs"), { recursive: true });
  const logPath = path.join(REPORT_DIR, "logs", `${label}.log`);
  const log = fs.openSync(logPath, "w");
  // stdout and stderr both go to the log.
  const child = spawn(cmd, args, { env, stdio: ["ignore", log, log] });
  fs.closeSync(log);
  // The stand-in of a social group is Better Auth itself, which logs the OAuth state and a
  // failed token answer whole (docs/upstream/social.md); the check is for the Go server's logs.
  if (side === "go" && !(group.social && standin)) goLogPaths.add(logPath);

  const server = {
    side,
    label,
    pkg,
    group,
    url: `http://127.0.0.1:${port}`,
    api: `http://127.0.0.1:${port}${BASE_PATH}`,
    logPath,
    child,
    exited: null,
    stop: () => stopServer(server),
  };
  child.on("exit", (code, signal) => (server.exited = { code, signal }));
  child.on("error", (err) => (server.exited = { error: err.message }));
  running.add(server);

  await waitReady(server);
  return server;
}

async function waitReady(server) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server.exited) break;
    try {
      const r = await fetch(`${server.api}/ok`, { signal: AbortSignal.timeout(2000) });
      await r.arrayBuffer();
      if (r.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stopServer(server);
  const tail = fs.readFileSync(server.logPath, "utf8").split("\n").slice(-30).join("\n");
  const why = server.exited ? `exited (${JSON.stringify(server.exited)})` : "did not answer GET /ok in time";
  throw new Error(`${server.label}: server ${why}; log ${server.logPath}:\n${tail}`);
}

export async function stopServer(server) {
  if (!running.delete(server)) return;
  if (server.exited) return;
  const done = new Promise((r) => server.child.once("exit", r));
  server.child.kill("SIGTERM");
  const timer = setTimeout(() => server.child.kill("SIGKILL"), 5000);
  await done;
  clearTimeout(timer);
}

export async function stopAll() {
  await Promise.allSettled([...running].map(stopServer));
}

// A crashed runner must not leave servers behind.
process.on("exit", () => {
  for (const s of running) if (!s.exited) s.child.kill("SIGKILL");
});
