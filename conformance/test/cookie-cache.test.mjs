// The cookie cache codec (lib/cookie-cache.mjs) against Better Auth's own code, and the
// normaliser's handling of cache cookies: a value that does not verify must stay visible.
import assert from "node:assert/strict";
import { test } from "node:test";
import { getCookieCache } from "better-auth/cookies";
import { signJWT, symmetricEncodeJWT } from "better-auth/crypto";
import { decodeCache, encodeCache } from "../lib/cookie-cache.mjs";
import { createNormalizer } from "../lib/normalize.mjs";

const SECRET = "unit-test-secret-unit-test-secret";
const TOKEN = "R45J7MYg05VAt8HGlF5gteSbHJFZmLsm";
const NOW = Date.now();
const iso = (ms) => new Date(ms).toISOString();
const payload = {
  session: { expiresAt: iso(NOW + 7 * 864e5), token: TOKEN, createdAt: iso(NOW), updatedAt: iso(NOW), ipAddress: "", userAgent: "", userId: "u".repeat(32), id: "s".repeat(32) },
  user: { name: "Ada <&> \u2028", email: "ada@example.com", emailVerified: false, image: null, createdAt: iso(NOW), updatedAt: iso(NOW), id: "u".repeat(32) },
  updatedAt: NOW,
  version: "1",
};

test("caches crafted here are read by Better Auth's getCookieCache", async () => {
  for (const strategy of ["compact", "jwt", "jwe"]) {
    const value = encodeCache(strategy, payload, SECRET);
    const headers = new Headers({ cookie: `better-auth.session_data=${value}` });
    const got = await getCookieCache(headers, { secret: SECRET, strategy, isSecure: false });
    assert.equal(got?.session?.token, TOKEN, strategy);
    const wrong = await getCookieCache(headers, { secret: "another-secret-another-secret-00", strategy, isSecure: false });
    assert.equal(wrong, null, `${strategy} with another secret`);
  }
});

test("Better Auth's JWT and JWE decode here; tampering and other secrets do not", async () => {
  const jwt = await signJWT(payload, SECRET, 300);
  const jwe = await symmetricEncodeJWT(payload, SECRET, "better-auth-session", 300);
  assert.equal(decodeCache(jwt, SECRET)?.claims.session.token, TOKEN);
  assert.deepEqual(decodeCache(jwe, SECRET)?.header, { alg: "dir", enc: "A256CBC-HS512", kid: "<kid of the secret>" });
  assert.equal(decodeCache(jwe, SECRET)?.claims.user.name, payload.user.name);
  for (const v of [jwt, jwe, encodeCache("compact", payload, SECRET)]) {
    const i = Math.floor(v.length / 2);
    assert.equal(decodeCache(v.slice(0, i) + (v[i] === "A" ? "B" : "A") + v.slice(i + 1), SECRET), null);
    assert.equal(decodeCache(v, "another-secret-another-secret-00"), null);
  }
});

test("the normaliser shows a verified cache and leaves a bad one as it is", () => {
  const n = createNormalizer(SECRET);
  const compact = encodeCache("compact", payload, SECRET, { now: NOW });
  const [line] = n.setCookies([{ name: "better-auth.session_data", value: compact, attributes: ["Max-Age=300"] }], NOW);
  assert.match(line, /^better-auth\.session_data=<cache compact \{.*"expiresAt":"<ms now\+5m>".*"token":"<id#\d+>".*\}>; Max-Age=300$/s);
  const forged = encodeCache("compact", payload, "another-secret-another-secret-00");
  assert.equal(n.setCookies([{ name: "better-auth.session_data", value: forged, attributes: [] }], NOW)[0], `better-auth.session_data=${forged}`);

  // JSON that Node would re-encode differently (an escaped "<") is flagged.
  const escaped = Buffer.from(Buffer.from(compact, "base64url").toString().replace("<", "\\u003c")).toString("base64url");
  assert.equal(decodeCache(escaped, SECRET)?.stringified, false);

  // Chunks are joined and checked as one value, shown on the first chunk.
  const jwe = encodeCache("jwe", payload, SECRET, { now: NOW });
  const half = Math.ceil(jwe.length / 2);
  const lines = n.setCookies([
    { name: "better-auth.session_data.1", value: jwe.slice(half), attributes: [] },
    { name: "better-auth.session_data.0", value: jwe.slice(0, half), attributes: [] },
  ], NOW);
  assert.match(lines[0], /^better-auth\.session_data\.1=<cache chunk 2 of 2, \d+ characters>$/);
  assert.match(lines[1], /^better-auth\.session_data\.0=<cache chunk 1 of 2, \d+ characters: <cache jwe .*"jti":"<uuid>".*>>$/s);
});

test("the normaliser decodes the cache under the names groups give it (advanced.cookies)", () => {
  const n = createNormalizer(SECRET);
  const compact = encodeCache("compact", payload, SECRET, { now: NOW });
  const half = Math.ceil(compact.length / 2);
  const lines = n.setCookies([
    { name: "acme_cache", value: compact, attributes: [] },
    { name: "acme_cache.0", value: compact.slice(0, half), attributes: [] },
    { name: "acme_cache.1", value: compact.slice(half), attributes: [] },
    { name: "xacme_cache", value: compact, attributes: [] },
  ], NOW);
  assert.match(lines[0], /^acme_cache=<cache compact \{.*\}>$/s);
  assert.match(lines[1], /^acme_cache\.0=<cache chunk 1 of 2, \d+ characters: <cache compact .*>>$/s);
  assert.match(lines[2], /^acme_cache\.1=<cache chunk 2 of 2, \d+ characters>$/);
  assert.equal(lines[3], `xacme_cache=${compact}`);
});
