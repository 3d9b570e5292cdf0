// Unit tests of the harness's own pieces: a normaliser that masked too much would let
// real differences through, so its format checks are pinned down here.
import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { test } from "node:test";
import { createNormalizer, sign } from "../lib/normalize.mjs";

const SECRET = "unit-test-secret-unit-test-secret";
const TOKEN = "R45J7MYg05VAt8HGlF5gteSbHJFZmLsm";
const signed = (v, secret = SECRET) => `${v}.${sign(secret, v)}`;

test("upstream's test vector signs alike", () => {
  const sig = sign("test-secret-that-is-long-enough-0123456789abcdef", "2ridU1CD9mjs5sXtGucxY79KyTRLHmrs");
  assert.equal(sig, "QPJI4IlbpfizJmazy3ZTf6F2nQwRgiveXrmH+VQOrvQ=");
});

test("ids are labelled by identity, in order of appearance", () => {
  const n = createNormalizer(SECRET);
  const other = "abcdefghijABCDEFGHIJ0123456789xy";
  assert.deepEqual(n.value({ a: TOKEN, b: other, c: TOKEN }), { a: "<id#1>", b: "<id#2>", c: "<id#1>" });
});

test("uuid ids are labelled as uuids, numbered with the other ids", () => {
  const n = createNormalizer(SECRET);
  const uuid = "cb3a0875-81da-414c-b56f-487d79ec158d";
  assert.deepEqual(n.value({ a: TOKEN, b: uuid, c: uuid }), { a: "<id#1>", b: "<uuid#2>", c: "<uuid#2>" });
  // Not version 4, upper case, or without the variant bits: left as they are.
  for (const wrong of ["cb3a0875-81da-114c-b56f-487d79ec158d", "CB3A0875-81DA-414C-B56F-487D79EC158D", "cb3a0875-81da-414c-756f-487d79ec158d"]) {
    assert.equal(createNormalizer(SECRET).string(wrong), wrong);
  }
});

test("wrong formats are left visible", () => {
  const n = createNormalizer(SECRET);
  assert.equal(n.string(TOKEN.slice(1)), TOKEN.slice(1)); // 31 characters
  assert.equal(n.string(TOKEN + "-"), TOKEN + "-");
  const at = Date.parse("2026-01-01T00:00:00.000Z");
  assert.equal(n.string("2026-01-01T00:00:00Z", at), "2026-01-01T00:00:00Z"); // no milliseconds
  assert.equal(n.string("2026-01-01T00:00:00.000Z", at), "<date now>");
});

test("dates become offsets from the reference time", () => {
  const n = createNormalizer(SECRET);
  const at = Date.parse("2026-01-01T00:00:00.000Z");
  assert.equal(n.string("2026-01-08T00:00:00.123Z", at), "<date now+7d>");
  assert.equal(n.string("2026-01-01T23:00:10.000Z", at), "<date now+23h>");
  assert.equal(n.value(new Date(at - 90 * 60000), at), "<date now-90m>");
});

test("dates over a year away are a scenario's own values, compared as they are", () => {
  const n = createNormalizer(SECRET);
  // Two servers answering 30 s apart must not round a fixed birthday to different minutes.
  const at = Date.parse("2026-01-01T00:00:29.000Z");
  const later = Date.parse("2026-01-01T00:00:59.000Z");
  assert.equal(n.string("2020-02-02T00:00:00.000Z", at), "<date 2020-02-02T00:00:00.000Z>");
  assert.equal(n.string("2020-02-02T00:00:00.000Z", later), "<date 2020-02-02T00:00:00.000Z>");
  assert.equal(n.value(new Date("1990-05-06T07:08:09.000Z"), at), "<date 1990-05-06T07:08:09.000Z>");
});

test("cookie values: signature checked, URI encoding checked", () => {
  const n = createNormalizer(SECRET);
  assert.equal(n.cookieValue(encodeURIComponent(signed(TOKEN))), "<signed <id#1>>");
  assert.match(n.cookieValue(signed(TOKEN)), /not URI-encoded/);
  const forged = encodeURIComponent(signed(TOKEN, "another-secret-another-secret-00"));
  assert.equal(n.cookieValue(forged), forged);
  assert.equal(n.cookieValue(""), "");
});

test("scrypt hashes are recognised by shape only", () => {
  const n = createNormalizer(SECRET);
  assert.equal(n.string("0".repeat(32) + ":" + "a".repeat(128)), "<scrypt hash>");
  assert.equal(n.string("0".repeat(32) + ":" + "a".repeat(127)), "0".repeat(32) + ":" + "a".repeat(127));
});

test("single-use tokens in links are masked only when their format is right", () => {
  const n = createNormalizer("secret");
  const reset = "AbCdEfGhIjKlMnOpQrStUvWx";
  assert.equal(n.string(`GET /reset-password/${reset}?callbackURL=%2Freset`), "GET /reset-password/<id#1>?callbackURL=%2Freset");
  assert.equal(n.string(`http://localhost:3000/reset?token=${reset}`), "http://localhost:3000/reset?token=<id#1>");
  assert.equal(n.string(`reset-password:${reset}`), "reset-password:<id#1>");
  assert.equal(n.string("delete-account-0123456789abcdefghij0123456789ab"), "delete-account-<id#2>");
  const body = "eyJhbGciOiJIUzI1NiJ9.eyJlbWFpbCI6ImEifQ";
  const jwt = `${body}.${createHmac("sha256", "secret").update(body).digest("base64url")}`;
  assert.equal(n.string(`/verify-email?token=${jwt}&callbackURL=%2F`), "/verify-email?token=<jwt>&callbackURL=%2F");
  // A JWT signed with another key is not masked.
  const forged = `${body}.${createHmac("sha256", "other").update(body).digest("base64url")}`;
  assert.equal(n.string(`/verify-email?token=${forged}`), `/verify-email?token=${forged}`);
  // Wrong lengths and alphabets stay visible.
  assert.equal(n.string("/reset?token=short"), "/reset?token=short");
  assert.equal(n.string(`/reset-password/${reset}x`), `/reset-password/${reset}x`);
});

test("social sign-in: states and nonces by identity, PKCE and codes by format, the IdP's endpoints as the real hosts", async () => {
  const { oauthMasks } = await import("../lib/oauth-normalize.mjs");
  assert.equal(typeof oauthMasks, "function");
  const n = createNormalizer(SECRET);
  const state = "aB3_-x".padEnd(32, "Q");
  const challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
  const node = `https://accounts.google.com/o/oauth2/v2/auth?response_type=code&state=${state}&code_challenge_method=S256&code_challenge=${challenge}`;
  const go = node.replace("https://accounts.google.com", "http://127.0.0.1:4711/accounts.google.com");
  // The cookie first, the URL after: the state was noted before either was masked.
  n.note(node);
  assert.equal(n.cookieValue(encodeURIComponent(signed(state))), "<signed <state#1>>");
  const masked = "https://accounts.google.com/o/oauth2/v2/auth?response_type=code&state=<state#1>&code_challenge_method=S256&code_challenge=<S256 challenge>";
  assert.equal(n.string(node), masked);
  assert.equal(n.string(go), masked);
  assert.equal(n.string(`GET /callback/google?state=${state}&code=4%2F0Axyz`), "GET /callback/google?state=<state#1>&code=<code>");
  assert.equal(n.string(`auth-state:${state}`), "auth-state:<state#1>");
  // Wrong formats stay: a 31-character state, a challenge that is not 43 characters.
  const short = state.slice(1);
  assert.equal(n.string(`x?state=${short}&code_challenge=abc`), `x?state=${short}&code_challenge=abc`);
  // Provider tokens by identity; anything else left alone.
  const at = "ya29." + "A".repeat(60);
  assert.deepEqual(n.value({ a: at, b: at, c: "gho_" + "b".repeat(36), d: "gho_short" }), {
    a: "<google access token#2>", b: "<google access token#2>", c: "<github access token#3>", d: "gho_short",
  });
});

test("social sign-in: tokens encrypted under the run's secret are shown decrypted, others left alone", async () => {
  const { xchacha20poly1305 } = await import("@noble/ciphers/chacha.js");
  const { bytesToHex, managedNonce, utf8ToBytes } = await import("@noble/ciphers/utils.js");
  const encrypt = (secret, text) => bytesToHex(managedNonce(xchacha20poly1305)(createHash("sha256").update(secret).digest()).encrypt(utf8ToBytes(text)));
  const n = createNormalizer(SECRET);
  const token = "ya29." + "C".repeat(60);
  assert.equal(n.string(encrypt(SECRET, token)), "<encrypted <google access token#1>>");
  const other = encrypt("another-secret-another-secret-xx", token);
  assert.equal(n.string(other), other);
});

test("a 32-character token that reads like a backup code is labelled as the token it is", () => {
  const n = createNormalizer(SECRET);
  // The passkey challenge token is 32 characters of [A-Za-z0-9_-]: "abcde-" and 26 more would
  // match the backup codes' format too, and the two sides would label it differently.
  assert.equal(n.string("abcde-fghijklmnopqrstuvwxyz01234"), "<id#1>");
  assert.equal(n.string("abcde-fghij"), "<backup code#2>");
});
