// The local identity provider (servers/idp.mjs) answers as Google and GitHub do where the
// servers under test can tell: single-use codes, PKCE, client authentication, GitHub's
// errors as 200s, ID tokens whose signature, issuer and nonce a verifier checks, and the
// faults a login asks for. No database needed.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, test } from "node:test";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { person, startIdP } from "../servers/idp.mjs";

let idp;
before(async () => {
  idp = await startIdP();
});
after(() => idp.stop());

const REDIRECT = "http://localhost:3000/api/auth/callback/";
const verifier = "v".repeat(43) + "-_~.0123456789";
const challenge = createHash("sha256").update(verifier).digest("base64url");

async function authorize(provider, login, extra = {}) {
  const base = provider === "google" ? "https://accounts.google.com/o/oauth2/v2/auth" : "https://github.com/login/oauth/authorize";
  const u = new URL(base);
  const params = {
    response_type: "code", client_id: idp[provider].clientId, state: "st-1",
    scope: provider === "google" ? "email profile openid" : "read:user user:email",
    redirect_uri: REDIRECT + provider, code_challenge_method: "S256", code_challenge: challenge, ...extra,
  };
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return new URL(await idp.authorize(u.href, login));
}

async function token(provider, form, headers = {}) {
  const url = provider === "google" ? `${idp.url}/oauth2.googleapis.com/token` : `${idp.url}/github.com/login/oauth/access_token`;
  const r = await fetch(url, { method: "POST", body: new URLSearchParams(form), headers: { accept: "application/json", ...headers } });
  return { status: r.status, text: await r.text() };
}

const googleForm = (code, extra = {}) => ({
  grant_type: "authorization_code", code, redirect_uri: REDIRECT + "google", code_verifier: verifier,
  client_id: idp.google.clientId, client_secret: idp.google.clientSecret, ...extra,
});

test("google: a code is exchanged once, with its verifier and the client's secret, for a verifiable ID token", async () => {
  const p = person("ada@idp.test");
  const cb = await authorize("google", { person: p }, { nonce: "n-1" });
  assert.equal(cb.searchParams.get("state"), "st-1");
  const code = cb.searchParams.get("code");
  assert.equal((await token("google", googleForm(code, { code_verifier: "w".repeat(43) }))).status, 400, "a wrong verifier");
  // The failed attempt spent the code, as Google does.
  assert.match((await token("google", googleForm(code))).text, /invalid_grant/);

  const code2 = (await authorize("google", { person: p }, { nonce: "n-2" })).searchParams.get("code");
  assert.equal((await token("google", googleForm(code2, { client_secret: "wrong" }))).status, 401);
  const code3 = (await authorize("google", { person: p }, { nonce: "n-3" })).searchParams.get("code");
  const ok = await token("google", googleForm(code3));
  assert.equal(ok.status, 200);
  const body = JSON.parse(ok.text);
  assert.match(body.access_token, /^ya29\./);
  assert.match(body.refresh_token, /^1\/\/0/);
  const jwks = createRemoteJWKSet(new URL(`${idp.url}/www.googleapis.com/oauth2/v3/certs`));
  const { payload, protectedHeader } = await jwtVerify(body.id_token, jwks, { issuer: "https://accounts.google.com", audience: idp.google.clientId });
  assert.equal(protectedHeader.alg, "RS256");
  assert.equal(payload.sub, p.sub);
  assert.equal(payload.email, p.email);
  assert.equal(payload.nonce, "n-3");
  const again = await token("google", googleForm(code3));
  assert.deepEqual([again.status, JSON.parse(again.text).error], [400, "invalid_grant"]);
  // The refresh grant.
  const refreshed = await token("google", { grant_type: "refresh_token", refresh_token: body.refresh_token, client_id: idp.google.clientId, client_secret: idp.google.clientSecret });
  assert.equal(refreshed.status, 200);
  assert.notEqual(JSON.parse(refreshed.text).access_token, body.access_token);
});

test("google: ID tokens a verifier must refuse", async () => {
  const p = person("eve@idp.test");
  const jwks = createRemoteJWKSet(new URL(`${idp.url}/www.googleapis.com/oauth2/v3/certs`));
  const verify = (t) => jwtVerify(t, jwks, { issuer: "https://accounts.google.com", audience: idp.google.clientId, algorithms: ["RS256"] });
  await verify(await idp.googleIdToken(p));
  await assert.rejects(verify(await idp.googleIdToken(p, { alg: "rogue" })));
  await assert.rejects(verify(await idp.googleIdToken(p, { alg: "none" })));
  await assert.rejects(verify(await idp.googleIdToken(p, { aud: "other" })));
  await assert.rejects(verify(await idp.googleIdToken(p, { expiresIn: -120 })));
});

test("github: errors are 200s with an error field, and the API follows the login", async () => {
  const p = person("grace@idp.test", { emails: [{ email: "grace@idp.test", primary: true, verified: false }] });
  const cb = await authorize("github", { person: p });
  const code = cb.searchParams.get("code");
  const form = { code, client_id: idp.github.clientId, client_secret: idp.github.clientSecret, redirect_uri: REDIRECT + "github", code_verifier: verifier };
  const bad = await token("github", { ...form, client_secret: "wrong" });
  assert.deepEqual([bad.status, JSON.parse(bad.text).error], [200, "incorrect_client_credentials"]);
  const ok = JSON.parse((await token("github", form)).text);
  assert.match(ok.access_token, /^gho_[A-Za-z0-9]{36}$/);
  assert.equal(ok.scope, "read:user,user:email");
  assert.equal(JSON.parse((await token("github", form)).text).error, "bad_verification_code");
  const api = (path, tok = ok.access_token) => fetch(`${idp.url}/api.github.com${path}`, { headers: { authorization: `Bearer ${tok}`, "user-agent": "t" } });
  const user = await (await api("/user")).json();
  assert.deepEqual([user.id, user.login, user.email], [p.id, p.login, null]);
  assert.deepEqual(await (await api("/user/emails")).json(), p.emails);
  assert.equal((await api("/user", "gho_nope")).status, 401);
});

test("a login's faults: denial, a changed callback, a failing token endpoint", async () => {
  const denied = await authorize("github", { deny: "access_denied" });
  assert.equal(denied.searchParams.get("error"), "access_denied");
  assert.equal(denied.searchParams.get("code"), null);
  const changed = await authorize("google", { callback: { set: { iss: "x" }, delete: ["code"] } });
  assert.deepEqual([changed.searchParams.get("iss"), changed.searchParams.get("code")], ["x", null]);
  const cb = await authorize("google", { person: person("f@idp.test"), token: { status: 200, body: "<html>" } });
  const r = await token("google", googleForm(cb.searchParams.get("code")));
  assert.deepEqual([r.status, r.text], [200, "<html>"]);
});

test("the generic provider: discovery, and the login's person in the ID token", async () => {
  const doc = await (await fetch(idp.oidc.discoveryURL)).json();
  assert.equal(doc.authorization_endpoint, `${idp.url}/oidc/authorize`);
  const p = person("oidc@idp.test");
  const u = new URL(doc.authorization_endpoint);
  for (const [k, v] of Object.entries({ response_type: "code", client_id: idp.oidc.clientId, state: "s", redirect_uri: REDIRECT + "oidc", nonce: "n-9" })) u.searchParams.set(k, v);
  const code = new URL(await idp.authorize(u.href, { person: p })).searchParams.get("code");
  const form = { grant_type: "authorization_code", code, redirect_uri: REDIRECT + "oidc", client_id: idp.oidc.clientId, client_secret: idp.oidc.clientSecret };
  const body = await (await fetch(doc.token_endpoint, { method: "POST", body: new URLSearchParams(form) })).json();
  const { payload } = await jwtVerify(body.id_token, createRemoteJWKSet(new URL(doc.jwks_uri)), { issuer: doc.issuer, audience: idp.oidc.clientId });
  assert.deepEqual([payload.sub, payload.email, payload.nonce], [p.sub, p.email, "n-9"]);
  const reused = await fetch(doc.token_endpoint, { method: "POST", body: new URLSearchParams(form) });
  assert.equal(reused.status, 400);
});

test("the sign-in page (signInPage, scripts/demo's provider): a visit asks who, then signs that person in", async () => {
  const dev = await startIdP({ signInPage: true });
  try {
    const u = new URL(`${dev.url}/accounts.google.com/o/oauth2/v2/auth`);
    for (const [k, v] of Object.entries({ response_type: "code", client_id: dev.google.clientId, state: "s<\"1", redirect_uri: REDIRECT + "google", nonce: "n-1" })) u.searchParams.set(k, v);
    const page = await fetch(u, { redirect: "manual" });
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type"), /^text\/html/);
    const html = await page.text();
    // The form sends the request again, every parameter as it came (escaped), with the person.
    assert.match(html, /<form method="get" action="\/accounts\.google\.com\/o\/oauth2\/v2\/auth"/);
    assert.match(html, /name="state" value="s&#60;&#34;1"/);
    assert.match(html, /name="kernia_email"/);
    u.searchParams.set("kernia_email", "lin@example.com");
    u.searchParams.set("kernia_name", "Lin Chosen");
    const answer = await fetch(u, { redirect: "manual" });
    assert.equal(answer.status, 302);
    const cb = new URL(answer.headers.get("location"));
    assert.equal(cb.searchParams.get("state"), "s<\"1");
    const form = { ...googleForm(cb.searchParams.get("code")), client_id: dev.google.clientId, code_verifier: "" };
    const r = await fetch(`${dev.url}/oauth2.googleapis.com/token`, { method: "POST", body: new URLSearchParams(form) });
    const { id_token } = await r.json();
    const { payload } = await jwtVerify(id_token, createRemoteJWKSet(new URL(`${dev.url}/www.googleapis.com/oauth2/v3/certs`)), { issuer: "https://accounts.google.com", audience: dev.google.clientId });
    assert.deepEqual([payload.sub, payload.email, payload.email_verified, payload.name], [person("lin@example.com").sub, "lin@example.com", true, "Lin Chosen"]);
    // The generic provider's authorization asks too.
    const o = new URL(`${dev.url}/oidc/authorize`);
    for (const [k, v] of Object.entries({ response_type: "code", client_id: dev.oidc.clientId, state: "s", redirect_uri: REDIRECT + "oidc" })) o.searchParams.set(k, v);
    assert.match(await (await fetch(o, { redirect: "manual" })).text(), /<h1>Sign in with OpenID Connect<\/h1>/);
  } finally {
    await dev.stop();
  }
  // Without it, the page's parameter is nobody's choice: the harness's default login.
  const u = new URL("https://github.com/login/oauth/authorize");
  for (const [k, v] of Object.entries({ client_id: idp.github.clientId, state: "s", redirect_uri: REDIRECT + "github", kernia_email: "lin@example.com" })) u.searchParams.set(k, v);
  const plain = await fetch(idp.route(u.href), { redirect: "manual" });
  assert.equal(plain.status, 302);
});
