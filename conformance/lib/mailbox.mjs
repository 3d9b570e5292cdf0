// The run's mail sink: one SMTP server on loopback (smtp-server), started once by the
// runner, that both servers of every group send their account mails to.
//
// Every server gets its own SMTP login, its label (lib/servers.mjs), in KERNIA_SMTP_URL, so
// a mail is filed under the server that sent it: both sides of a scenario use the same
// addresses (t.email), and their mails must not be mixed up. The server requires AUTH
// (PLAIN or LOGIN over plain text, loopback only), so the login is exercised on both sides.
//
//   const box = await startMailbox();
//   env.KERNIA_SMTP_URL = box.url("core-go");
//   const m = await box.next("core-go", "alice@x.test");  // {to, subject, text, html, url} or null
//
// Two broken mail servers stand beside it, for the scenarios of a mail that cannot be sent
// (59-mail-failure): box.url(user, "refuse") is a loopback port nothing listens on (the
// connection is refused), box.url(user, "drop") one that accepts each connection and closes it
// before the greeting.
import net from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { runSecrets } from "./secrets.mjs";

export const MAIL_FROM = "Kernia Conformance <auth@conformance.test>";
const PASSWORD = "conformance-mail";
const DEFAULT_WAIT_MS = 5000;

let current = null;

// The mailbox of this run, or null when none was started (harness unit tests).
export function mailbox() {
  return current;
}

// The first http(s) link of a text, else the first href of the HTML.
export function firstLink(text, html) {
  const inText = /https?:\/\/[^\s<>"]+/.exec(text ?? "");
  if (inText) return inText[0];
  const href = /href="(https?:\/\/[^"]+)"/i.exec(html ?? "");
  return href ? href[1].replaceAll("&amp;", "&") : null;
}

class Mailbox {
  constructor() {
    this.messages = []; // {user, rcpt, mail, taken}
    this.waiters = new Set();
    this.errors = [];
    this.server = new SMTPServer({
      authMethods: ["PLAIN", "LOGIN"],
      allowInsecureAuth: true, // loopback only; no certificate to offer STARTTLS with
      disabledCommands: ["STARTTLS"],
      logger: false,
      size: 1 << 20,
      onAuth: (auth, _session, cb) => {
        if (auth.password !== PASSWORD || !auth.username) return cb(new Error("Invalid username or password"));
        cb(null, { user: auth.username });
      },
      onMailFrom: (_address, session, cb) => {
        if (!session.user) return cb(Object.assign(new Error("Authentication required"), { responseCode: 530 }));
        cb();
      },
      onData: (stream, session, cb) => {
        simpleParser(stream).then(
          (parsed) => {
            this.#deliver(session.user, session.envelope.rcptTo.map((r) => r.address.toLowerCase()), parsed);
            cb();
          },
          (err) => {
            this.errors.push(err);
            cb(err);
          },
        );
      },
    });
  }

  async listen() {
    await new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(0, "127.0.0.1", () => {
        this.port = this.server.server.address().port;
        resolve();
      });
    });
    // "drop": accepts, then closes at once. "refuse": a port that was free a moment ago.
    this.dropper = net.createServer((socket) => socket.destroy());
    this.ports = { drop: await listenOn(this.dropper) };
    const probe = net.createServer();
    this.ports.refuse = await listenOn(probe);
    await new Promise((resolve) => probe.close(resolve));
    return this;
  }

  // The KERNIA_SMTP_URL for one server: its own login, plain text on loopback. sink "refuse"
  // or "drop" names a broken mail server instead (see above).
  url(user, sink = "mailbox") {
    const port = sink === "mailbox" ? this.port : this.ports[sink];
    if (!port) throw new Error(`unknown mail sink "${sink}"`);
    return `smtp://${encodeURIComponent(user)}:${PASSWORD}@127.0.0.1:${port}?tls=none`;
  }

  // The environment both kinds of server read their mail settings from.
  env(user, sink = "mailbox") {
    return { KERNIA_SMTP_URL: this.url(user, sink), KERNIA_MAIL_FROM: MAIL_FROM };
  }

  #deliver(user, rcpt, parsed) {
    const mail = {
      to: parsed.to?.value?.[0]?.address?.toLowerCase() ?? rcpt[0] ?? null,
      from: parsed.from?.value?.[0]?.address ?? null,
      subject: parsed.subject ?? null,
      text: parsed.text ?? null,
      html: typeof parsed.html === "string" ? parsed.html : null,
      url: firstLink(parsed.text, typeof parsed.html === "string" ? parsed.html : ""),
    };
    runSecrets.mail(mail); // the links' tokens must not reach a Go server's log
    this.messages.push({ user, rcpt, mail, taken: false });
    for (const wake of this.waiters) wake();
  }

  #take(user, address, match) {
    const want = address.toLowerCase();
    const m = this.messages.find((x) => !x.taken && x.user === user && x.rcpt.includes(want) && (!match || match(x.mail)));
    if (!m) return null;
    m.taken = true;
    return m.mail;
  }

  /**
   * The oldest mail that `user` (a server's label) sent to `address` and that no earlier
   * call returned, waiting up to `waitMs` for it; null when none arrives. With `match`, the
   * oldest such mail for which match(mail) is true: the others stay for later calls, so that
   * a step waiting for one kind of mail does not depend on the order in which the server
   * sent several (the Go server sends them in the background).
   */
  async next(user, address, { waitMs = DEFAULT_WAIT_MS, match } = {}) {
    const found = this.#take(user, address, match);
    if (found || waitMs <= 0) return found;
    return new Promise((resolve) => {
      const done = (value) => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve(value);
      };
      const wake = () => {
        const m = this.#take(user, address, match);
        if (m) done(m);
      };
      const timer = setTimeout(() => done(null), waitMs);
      this.waiters.add(wake);
    });
  }

  // How many mails `user` sent to `address` that next has not returned yet.
  pending(user, address) {
    const want = address.toLowerCase();
    return this.messages.filter((x) => !x.taken && x.user === user && x.rcpt.includes(want)).length;
  }

  close() {
    if (current === this) current = null;
    this.dropper?.close();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

// Listen on a free loopback port; resolves to the port.
function listenOn(server) {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server.address().port));
  });
}

/** Start the run's mailbox; servers started after this get its URL (lib/servers.mjs). */
export async function startMailbox() {
  const box = await new Mailbox().listen();
  runSecrets.add(PASSWORD, "the mail sink's password");
  current = box;
  return box;
}
