import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { describeLeak, MIN_SECRET_LENGTH, Secrets } from "../lib/secrets.mjs";

const TOKEN = "AbCdEfGhIjKlMnOpQrStUvWxYz012345"; // a session token's format
const SIGNED = `${TOKEN}.c2lnbmF0dXJlK3NpZ25hdHVyZS8%3D`;

function kinds(secrets, text) {
  return secrets.leaks(text).map((l) => l.kind).sort();
}

test("a session cookie's token is found as written, signed or URI-encoded, with its line", () => {
  const s = new Secrets();
  s.response({ headers: {}, setCookies: [`better-auth.session_token=${SIGNED}; Max-Age=604800; Path=/; HttpOnly`], bodyText: "" });
  assert.deepEqual(s.leaks(`level=INFO msg=ok\nlevel=ERROR token=${TOKEN}\n`), [
    { kind: "Set-Cookie better-auth.session_token, unsigned", line: 2, value: TOKEN },
  ]);
  // The value as sent, the decoded value (found URI-encoded) and the token in it.
  assert.equal(s.leaks(`cookie=${SIGNED}`).length, 3);
  assert.equal(s.leaks(`cookie="${decodeURIComponent(SIGNED)}"`).length, 2);
  assert.deepEqual(s.leaks("level=INFO msg=request path=/api/auth/get-session status=200"), []);
  // An expired cookie carries nothing.
  const empty = new Secrets();
  empty.response({ headers: {}, setCookies: ["better-auth.session_token=; Max-Age=0"], bodyText: "" });
  assert.equal(empty.size, 0);
});

test("bearer tokens, body tokens, redirect and mailed links, passwords sent", () => {
  const s = new Secrets();
  s.response({
    headers: { "set-auth-token": "SetAuthToken0123456789", location: "http://localhost:3000/reset?token=LocationToken0123" },
    setCookies: [],
    bodyText: JSON.stringify({ token: "BodyToken0123456789", sessions: [{ token: "ListedToken0123456" }], redirect: false }),
  });
  s.request(JSON.stringify({ email: "alice@example.test", password: "password123", nested: { newPassword: "new-password-456" } }));
  s.request(new URLSearchParams({ email: "a@b.test", password: "form-password-1" }));
  s.request("email=a%40b.test&currentPassword=form-password-2");
  s.mail({
    text: "Open http://localhost:3000/api/auth/reset-password/MailedReset0123456789?callbackURL=%2Freset now",
    html: '<a href="http://localhost:3000/api/auth/delete-user/callback?token=deletetoken0123456789&amp;callbackURL=%2F">x</a>',
  });
  const log = [
    "SetAuthToken0123456789 LocationToken0123 BodyToken0123456789 ListedToken0123456",
    "password123 new-password-456 form-password-1 form-password-2 MailedReset0123456789 deletetoken0123456789",
  ].join("\n");
  assert.deepEqual(kinds(s, log), [
    "Location token",
    "mailed link reset token",
    "mailed link token",
    "password (request body)",
    "password (request body)",
    "password (request body)",
    "password (request body)",
    "set-auth-token header",
    "token (response body)",
    "token (response body)",
  ]);
  // Tokens a request makes up to be refused are no secrets, and neither are the email, the
  // paths, or short values.
  s.request(JSON.stringify({ newPassword: "short", token: "verify-email" }));
  assert.deepEqual(s.leaks("to=alice@example.test path=/api/auth/verify-email path=/api/auth/reset-password/{token} a=short"), []);
});

test("bodies nested deeper than the call stack", () => {
  const s = new Secrets();
  let deep = { password: "deep-password-1" };
  for (let i = 0; i < 100_000; i++) deep = i % 2 ? { a: deep } : [deep];
  s.fields(deep, new Set(["password"]), "password (request body)");
  assert.deepEqual(kinds(s, "deep-password-1"), ["password (request body)"]);
});

test("short values are not secrets, a JSON-escaped value is still found", () => {
  const s = new Secrets();
  s.add("x".repeat(MIN_SECRET_LENGTH - 1), "short");
  s.add('pass"word\\1', "password");
  assert.equal(s.size, 1);
  assert.deepEqual(kinds(s, 'msg="failed for pass\\"word\\\\1"'), ["password"]);
});

test("leaksInFiles reads each log and names file and line", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secrets-test-"));
  try {
    fs.writeFileSync(path.join(dir, "clean.log"), "level=INFO msg=listening\n");
    fs.writeFileSync(path.join(dir, "leaky.log"), "level=INFO msg=listening\nlevel=DEBUG cookie=password123\n");
    const s = new Secrets();
    s.add("password123", "password (request body)");
    const leaks = s.leaksInFiles([path.join(dir, "clean.log"), path.join(dir, "leaky.log"), path.join(dir, "missing.log")]);
    assert.equal(leaks.length, 1);
    assert.equal(describeLeak(leaks[0], dir), 'leaky.log:2: password (request body) ("passwo…", 11 chars)');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
