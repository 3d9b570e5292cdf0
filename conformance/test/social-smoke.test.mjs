// The Node reference server signs users in through the local identity provider
// (servers/idp.mjs), with the official client's signIn.social, for Google, GitHub and a
// generic OIDC provider: the proof that the harness's social set-up works before any Go
// side is compared with it. Needs PostgreSQL (KERNIA_TEST_DATABASE_URL); skipped without
// it, except under CI=true.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { Browser } from "../lib/browser.mjs";
import { Cluster } from "../lib/db.mjs";
import { startServer } from "../lib/servers.mjs";
import { person, startIdP } from "../servers/idp.mjs";

const adminURL = process.env.KERNIA_TEST_DATABASE_URL;
const skip = !adminURL && process.env.CI !== "true" && "KERNIA_TEST_DATABASE_URL is not set";

let idp, cluster, server, pool;
const domain = `social-smoke-${randomBytes(3).toString("hex")}.test`;

before(async () => {
  if (skip) return;
  assert.ok(adminURL, "KERNIA_TEST_DATABASE_URL is required under CI");
  idp = await startIdP();
  cluster = new Cluster(adminURL);
  const databaseURL = await cluster.createDatabase(`conf_social_smoke_${randomBytes(4).toString("hex")}`);
  const group = { name: "social-smoke", baseURL: "http://localhost:3000", plugins: [], env: idp.env() };
  server = await startServer({ side: "node", label: "social-smoke-node", databaseURL, group });
  pool = cluster.pool(databaseURL);
});

after(async () => {
  await server?.stop();
  await cluster?.close();
  await idp?.stop();
});

// signIn.social, the provider's consent (the IdP), then the browser following the redirect
// to the callback, which the server answers with the session and a redirect.
async function signInSocial(browser, provider, p, body = {}) {
  const { data, error } = await browser.client.signIn.social({ provider, callbackURL: "/dashboard", ...body });
  assert.equal(error, null);
  assert.equal(data.redirect, true);
  const callback = new URL(await idp.authorize(data.url, { person: p }));
  assert.equal(callback.origin + callback.pathname, `http://localhost:3000/api/auth/callback/${provider}`);
  const res = await browser.fetch(server.url + callback.pathname + callback.search);
  await res.arrayBuffer();
  return { authorizationURL: new URL(data.url), callback, res };
}

async function rows(email) {
  const { rows: users } = await pool.query(`select * from "user" where email = $1`, [email]);
  assert.equal(users.length, 1, `one user ${email}`);
  const { rows: accounts } = await pool.query(`select * from account where "userId" = $1`, [users[0].id]);
  return { user: users[0], accounts };
}

test("google: signIn.social, the consent and the callback create the user, the account and a session", { skip }, async () => {
  const browser = new Browser({ server });
  const p = person(`ada@${domain}`, { name: "Ada Lovelace" });
  const { authorizationURL: u, res } = await signInSocial(browser, "google", p);

  assert.equal(u.origin + u.pathname, "https://accounts.google.com/o/oauth2/v2/auth");
  assert.deepEqual([...u.searchParams.keys()], ["response_type", "client_id", "state", "scope", "redirect_uri", "code_challenge_method", "code_challenge", "include_granted_scopes"]);
  assert.equal(u.searchParams.get("scope"), "email profile openid");
  // better-auth's generateRandomString: 64 characters, `-` and `_` included.
  assert.match(u.searchParams.get("state"), /^[A-Za-z0-9_-]{32}$/);
  assert.match(u.searchParams.get("code_challenge"), /^[A-Za-z0-9_-]{43}$/);

  assert.equal(res.status, 302);
  assert.equal(res.headers.get("location"), "/dashboard");
  const cookies = res.headers.getSetCookie().map((c) => c.split("=")[0]);
  assert.deepEqual(cookies, ["better-auth.state", "better-auth.session_token"]);

  const session = await browser.client.getSession();
  assert.equal(session.data.user.email, p.email);
  assert.equal(session.data.user.name, "Ada Lovelace");

  const { user, accounts } = await rows(p.email);
  assert.equal(user.emailVerified, true);
  assert.equal(user.image, p.picture);
  assert.equal(accounts.length, 1);
  const [a] = accounts;
  assert.equal(a.providerId, "google");
  assert.equal(a.accountId, p.sub);
  assert.match(a.accessToken, /^ya29\./);
  assert.match(a.refreshToken, /^1\/\/0/);
  assert.equal(a.idToken.split(".").length, 3);
  assert.equal(a.scope, "https://www.googleapis.com/auth/userinfo.email,https://www.googleapis.com/auth/userinfo.profile,openid");
  assert.ok(a.accessTokenExpiresAt > new Date(Date.now() + 3500_000));
  assert.equal(a.password, null);

  const { rows: states } = await pool.query(`select identifier from verification where identifier like 'auth-state:%'`);
  assert.deepEqual(states, [], "the state row is consumed by the callback");

  const listed = await browser.client.listAccounts();
  assert.deepEqual(listed.data.map((x) => [x.providerId, x.accountId, x.scopes]), [["google", p.sub, a.scope.split(",")]]);
  // The token route reads the row back: no refresh, the access token as stored.
  const token = await browser.client.getAccessToken({ accountId: a.id });
  assert.equal(token.data.accessToken, a.accessToken);
});

test("github: the primary verified address of /user/emails makes the user", { skip }, async () => {
  const browser = new Browser({ server });
  const p = person(`grace@${domain}`, { name: null, login: "grace-h" });
  const { authorizationURL: u, res } = await signInSocial(browser, "github", p, { callbackURL: "/gh", newUserCallbackURL: "/welcome" });

  assert.equal(u.origin + u.pathname, "https://github.com/login/oauth/authorize");
  assert.equal(u.searchParams.get("scope"), "read:user user:email");
  assert.equal(res.status, 302);
  assert.equal(res.headers.get("location"), "/welcome");

  const { user, accounts } = await rows(p.email);
  assert.equal(user.name, "grace-h", "github's login when the profile has no name");
  assert.equal(user.emailVerified, true);
  assert.equal(accounts[0].providerId, "github");
  assert.equal(accounts[0].accountId, String(p.id));
  assert.match(accounts[0].accessToken, /^gho_[A-Za-z0-9]{36}$/);
  assert.equal(accounts[0].refreshToken, null);
  assert.equal(accounts[0].scope, "read:user,user:email");
  // Upstream calls /user and then /user/emails with the token, as GitHub's API wants.
  const calls = idp.requests.filter((r) => r.host === "api.github.com").map((r) => [r.path, r.userAgent, /^Bearer gho_/.test(r.authorization)]);
  assert.deepEqual(calls.slice(-2), [["/user", "better-auth", true], ["/user/emails", "better-auth", true]]);

  // Signing in again is not a registration: callbackURL, not newUserCallbackURL.
  const again = await signInSocial(new Browser({ server }), "github", p, { callbackURL: "/gh", newUserCallbackURL: "/welcome" });
  assert.equal(again.res.headers.get("location"), "/gh");
});

test("generic OIDC (genericOAuth from discovery): a nonce-bound, verified ID token", { skip }, async () => {
  const browser = new Browser({ server });
  const p = person(`oidc@${domain}`);
  const { authorizationURL: u, res } = await signInSocial(browser, "oidc", p);
  assert.equal(u.origin + u.pathname, `${idp.url}/oidc/authorize`);
  assert.match(u.searchParams.get("nonce"), /^[A-Za-z0-9_-]{32}$/);
  assert.equal(res.status, 302);
  assert.equal(res.headers.get("location"), "/dashboard");
  const { accounts } = await rows(p.email);
  assert.equal(accounts[0].providerId, "oidc");
  assert.equal(accounts[0].accountId, p.sub);
});

test("a replayed callback is refused with state_mismatch", { skip }, async () => {
  const browser = new Browser({ server });
  const p = person(`replay@${domain}`);
  const { callback } = await signInSocial(browser, "google", p);
  const res = await browser.fetch(server.url + callback.pathname + callback.search);
  await res.arrayBuffer();
  assert.equal(res.status, 302);
  assert.equal(res.headers.get("location"), "http://localhost:3000/api/auth/error?error=state_mismatch");
});
