// The API a custom scenario (`kind: "custom"`) runs with (`h` in scenario files).
//
// Custom scenarios are the ones that are not "the same requests against two servers":
// database takeover and adoption, where both servers (or an older Better Auth and the
// Go side) share one database. They start their own servers and assert directly.
import { createHash } from "node:crypto";
import { Browser } from "./browser.mjs";
import { SECRET } from "./config.mjs";
import { group } from "./groups.mjs";
import { mailbox } from "./mailbox.mjs";
import { sign } from "./normalize.mjs";
import { startServer } from "./servers.mjs";

export class Harness {
  constructor({ cluster, runId, slug, domain, selfTest }) {
    this.cluster = cluster;
    this.runId = runId;
    this.slug = slug;
    this.domain = domain;
    this.selfTest = selfTest;
    this.failures = [];
    this.servers = [];
  }

  // A new database, dropped at the end of the run. The name stays within PostgreSQL's
  // 63 bytes: a readable slug prefix plus a hash of the whole slug keeps it unique.
  async database(tag) {
    const hash = createHash("sha1").update(this.slug).digest("hex").slice(0, 6);
    const name = `conf_${this.runId}_${this.slug.slice(0, 20).replace(/-/g, "_")}_${hash}_${tag}`;
    return this.cluster.createDatabase(name);
  }

  pool(url) {
    return this.cluster.pool(url);
  }

  // A Node Better Auth (the pinned one unless `pkg` names an older alias). `env` adds
  // variables to the group's (both sides read them alike, README.md "The Go server contract").
  async startNode({ databaseURL, pkg = "better-auth", groupName = "core", tag = "node", env }) {
    const s = await startServer({ side: "node", label: `${this.slug}-${tag}`, databaseURL, group: group(groupName), pkg, env });
    this.servers.push(s);
    return s;
  }

  // The Go server (or its stand-in in self-test).
  async startGo({ databaseURL, groupName = "core", tag = "go", env }) {
    const s = await startServer({ side: "go", label: `${this.slug}-${tag}`, databaseURL, group: group(groupName), env });
    this.servers.push(s);
    return s;
  }

  browser(server) {
    return new Browser({ server });
  }

  email(local) {
    return `${local}@${this.domain}`;
  }

  // The next mail `server` sent to `address`, as t.mail.
  mail(server, address, { waitMs } = {}) {
    const box = mailbox();
    if (!box) throw new Error("h.mail: no mailbox is running (runner.mjs starts one)");
    return box.next(server.label, address, { waitMs });
  }

  signed(value) {
    return encodeURIComponent(`${value}.${sign(SECRET, value)}`);
  }

  // Record a failure unless `condition` holds; `node` and `go` are what each side said
  // (the report's two value columns), `side` the server the failure is blamed on.
  check(condition, { side = "go", step, field, node, go }) {
    if (condition) return true;
    this.failures.push({ side, step, field, node, go });
    return false;
  }

  // Exact equality (as JSON, key order ignored) of what Node said and what Go said.
  equal(nodeValue, goValue, { side = "go", step, field }) {
    return this.check(canonical(nodeValue) === canonical(goValue), { side, step, field, node: nodeValue, go: goValue });
  }

  async close() {
    await Promise.allSettled(this.servers.map((s) => s.stop()));
  }
}

function canonical(v) {
  return JSON.stringify(v, (_, x) => (x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort()) : x));
}
