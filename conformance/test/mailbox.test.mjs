import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { firstLink, MAIL_FROM, mailbox, startMailbox } from "../lib/mailbox.mjs";
import { mailSender, transportOptions } from "../servers/mail.mjs";

let box;
before(async () => {
  box = await startMailbox();
});
after(() => box.close());

const mail = (n) => ({
  to: "Alice@Mail-Test.test",
  subject: `Reset your password ${n}`,
  text: `Hello,\n\nopen http://localhost:3000/api/auth/reset-password/tok${n}?callbackURL=%2Fdone&x=1\n`,
  html: `<p><a href="http://localhost:3000/api/auth/reset-password/tok${n}?callbackURL=%2Fdone&amp;x=1">Reset</a> ü</p>`,
});

test("each server's mail is read back under its own login, in order", async () => {
  assert.equal(mailbox(), box);
  const node = mailSender(box.env("core-node"));
  const go = mailSender(box.env("core-go"));
  await node(mail(1));
  await go(mail(2));
  await node(mail(3));

  const first = await box.next("core-node", "alice@mail-test.test");
  assert.deepEqual(first, {
    to: "alice@mail-test.test",
    from: "auth@conformance.test",
    subject: "Reset your password 1",
    text: mail(1).text,
    html: mail(1).html,
    url: "http://localhost:3000/api/auth/reset-password/tok1?callbackURL=%2Fdone&x=1",
  });
  assert.equal((await box.next("core-node", "ALICE@mail-test.test")).subject, "Reset your password 3");
  assert.equal((await box.next("core-go", "alice@mail-test.test")).subject, "Reset your password 2");
  // Nothing more: null after the wait, not a mail of the other side.
  assert.equal(await box.next("core-node", "alice@mail-test.test", { waitMs: 100 }), null);
  assert.equal(box.pending("core-go", "alice@mail-test.test"), 0);
});

test("next waits for a mail that is still on its way", async () => {
  const waiting = box.next("later-go", "bob@mail-test.test", { waitMs: 5000 });
  await mailSender(box.env("later-go"))({ ...mail(4), to: "bob@mail-test.test" });
  assert.equal((await waiting).subject, "Reset your password 4");
});

test("the mailbox refuses a wrong password and a mail without login", async () => {
  const wrong = box.env("core-go");
  wrong.KERNIA_SMTP_URL = wrong.KERNIA_SMTP_URL.replace(":conformance-mail@", ":nope@");
  await assert.rejects(mailSender(wrong)(mail(5)), /Invalid username or password|535/);
  const anonymous = { ...box.env("core-go"), KERNIA_SMTP_URL: `smtp://127.0.0.1:${box.port}?tls=none` };
  await assert.rejects(mailSender(anonymous)(mail(6)), /530|Authentication required|authentication/i);
  assert.equal(box.pending("core-go", "alice@mail-test.test"), 0);
});

test("the Node server reads SMTP URLs as the Go server does", () => {
  assert.equal(mailSender({}), null);
  assert.throws(() => mailSender({ KERNIA_SMTP_URL: "smtp://h" }), /KERNIA_MAIL_FROM/);
  const base = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };
  assert.deepEqual(transportOptions("smtp://u%40x:p%2F@mail.example.com"), {
    ...base, host: "mail.example.com", port: 587, secure: false, requireTLS: true, ignoreTLS: false, auth: { user: "u@x", pass: "p/" },
  });
  assert.deepEqual(transportOptions("smtps://mail.example.com"), {
    ...base, host: "mail.example.com", port: 465, secure: true, requireTLS: false, ignoreTLS: false,
  });
  assert.deepEqual(transportOptions("smtp://mail.example.com:2525?tls=opportunistic"), {
    ...base, host: "mail.example.com", port: 2525, secure: false, requireTLS: false, ignoreTLS: false,
  });
  assert.deepEqual(transportOptions("smtp://[::1]:1025?tls=none"), {
    ...base, host: "::1", port: 1025, secure: false, requireTLS: false, ignoreTLS: true,
  });
  assert.throws(() => transportOptions("http://x"), /scheme/);
  assert.throws(() => transportOptions("smtps://x?tls=none"), /always TLS/);
  assert.throws(() => transportOptions("smtp://x?tls=maybe"), /tls=maybe/);
  assert.equal(MAIL_FROM, "Kernia Conformance <auth@conformance.test>");
});

test("firstLink prefers the text and unescapes an HTML href", () => {
  assert.equal(firstLink("see https://a.test/x?y=1.", ""), "https://a.test/x?y=1.");
  assert.equal(firstLink("no link", '<a href="https://a.test/x?a=1&amp;b=2">'), "https://a.test/x?a=1&b=2");
  assert.equal(firstLink(null, null), null);
});

test("the broken mail servers refuse the connection, or drop it, and deliver nothing", async () => {
  await assert.rejects(mailSender(box.env("core-node", "refuse"))(mail(4)), /ECONNREFUSED/);
  await assert.rejects(mailSender(box.env("core-node", "drop"))(mail(5)), /closed|ECONNRESET/i);
  assert.equal(box.pending("core-node", "alice@mail-test.test"), 0);
  assert.throws(() => box.url("core-node", "nowhere"), /unknown mail sink/);
});
