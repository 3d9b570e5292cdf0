// The per-side context a comparison scenario runs with (`t` in scenario files).
//
// A scenario's run(t) is called once per side, each time with that side's server and
// database. Everything it does over HTTP is recorded as a step; what it passes to
// t.record/t.call is recorded by name; after the run, the rows of the users it signed
// up are read. The runner then compares the two sides.
import { Browser } from "./browser.mjs";
import { SECRET } from "./config.mjs";
import { mailbox } from "./mailbox.mjs";
import { sign } from "./normalize.mjs";

export class SideContext {
  constructor({ side, server, pool, domain }) {
    this.side = side; // "node" | "go"
    this.server = server;
    this.pool = pool;
    this.domain = domain;
    this.steps = [];
    this.records = [];
    this.failures = [];
  }

  onExchange(captured) {
    this.steps.push(captured);
  }

  // A fresh browser (empty jar) on this side's server.
  browser(options = {}) {
    return new Browser({ server: this.server, recorder: this, ...options });
  }

  // A one-off raw request from a browser with no cookies.
  request(method, path, options) {
    return this.browser().request(method, path, options);
  }

  // Await a client call and record its result ({data, error}) for comparison.
  async call(name, promise) {
    const value = await promise;
    this.record(name, value);
    return value;
  }

  record(name, value) {
    let key = name;
    for (let i = 2; this.records.some((r) => r.name === key); i++) key = `${name} (${i})`;
    this.records.push({ name: key, at: Date.now(), value });
  }

  // An address in this scenario's own domain: its rows are the ones compared.
  email(local) {
    return `${local}@${this.domain}`;
  }

  // The next mail this side's server sent to `address` ({to, from, subject, text, html, url}),
  // waiting up to waitMs (5 s) for it; null when none arrives. With match, the next mail for
  // which match(mail) is true, the others left for later. Nothing is recorded: pass what
  // should be compared to t.record.
  mail(address, { waitMs, match } = {}) {
    const box = mailbox();
    if (!box) throw new Error("t.mail: no mailbox is running (runner.mjs starts one)");
    return box.next(this.server.label, address, { waitMs, match });
  }

  sql(text, params = []) {
    return this.pool.query(text, params);
  }

  // A cookie value signed with the run's secret, encoded as upstream does.
  signed(value) {
    return encodeURIComponent(`${value}.${sign(SECRET, value)}`);
  }

  // The cookie name for this server's base URL (PROTOCOL.md §4.1).
  cookieName(name) {
    const secure = this.server.group.baseURL.startsWith("https://");
    return `${secure ? "__Secure-" : ""}better-auth.${name}`;
  }

  // An assertion about this side alone. Scenarios use it sparingly, to make sure they
  // exercise what they claim to (e.g. that a session exists before it is expired);
  // everything else is left to the comparison.
  check(condition, field, detail = "") {
    if (!condition) this.failures.push({ side: this.side, step: "check", field, detail });
  }
}
