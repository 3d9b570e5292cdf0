// Social sign-in in the harness: the run's local identity provider (servers/idp.mjs), started
// the first time a group with `social: true` (lib/groups.mjs) starts a server, and the steps
// the social scenarios share.
//
// Both servers of such a group get idp.env(): the client credentials, and for the Go side the
// provider URLs as overrides (KERNIA_GOOGLE_TOKEN_URL, …); the Node server sends upstream's
// hard-coded Google and GitHub hosts to the IdP (CONFORMANCE_SOCIAL_IDP, servers/social.mjs).
import { createHash } from "node:crypto";
import { person, startIdP } from "../servers/idp.mjs";
import { SECRET } from "./config.mjs";
import { purposeKey, symmetricDecrypt } from "./oauth-normalize.mjs";
import { runSecrets } from "./secrets.mjs";

let started = null;

export function socialIdP() {
  started ??= startIdP({ onSecret: (value, kind) => runSecrets.add(value, kind) });
  return started;
}

export async function stopSocialIdP() {
  if (!started) return;
  const idp = await started.catch(() => null);
  started = null;
  await idp?.stop();
}

export { person };

// The browser's part of a social sign-in or link after the server answered with the
// authorization URL: the visit to the provider (not a step: the IdP is not under test), then
// the provider's redirect followed to this side's server, which is a step. Returns the
// callback's answer ({status, headers, text, data}).
export async function completeAtProvider(browser, authorizationURL, login) {
  const idp = await socialIdP();
  const callback = new URL(await idp.authorize(authorizationURL, login));
  return followCallback(browser, callback);
}

// A callback URL (on the group's base URL) sent to the server the browser talks to.
export async function followCallback(browser, callback) {
  const u = new URL(callback);
  const base = new URL(browser.server.group.baseURL);
  if (u.origin !== base.origin) throw new Error(`callback ${u.href} is not on the base URL ${base.origin}`);
  const path = u.pathname.replace(/^\/api\/auth/, "");
  return browser.request("GET", path + u.search);
}

// The callback URLs every scenario's sign-in names.
export const CALLBACK = { callbackURL: "/dashboard", newUserCallbackURL: "/welcome", errorCallbackURL: "/oops" };

// The state row of an authorization URL, as compared: its JSON keys in order and its values,
// the verifier checked against the URL's code_challenge and then masked, the link's
// encrypted session token decrypted (under derivePurposeKey) to the token it must hold.
export async function recordStateRow(t, url, name = "state row") {
  const u = new URL(url);
  const state = u.searchParams.get("state");
  const { rows } = await t.sql(`select identifier, value, "expiresAt" from verification where identifier = $1`, [`auth-state:${state}`]);
  if (!rows[0]) return t.record(name, null);
  const json = JSON.parse(rows[0].value);
  const challenge = createHash("sha256").update(json.codeVerifier ?? "").digest("base64url");
  t.check(/^[A-Za-z0-9_-]{128}$/.test(json.codeVerifier ?? ""), "the code verifier is 128 characters of the 64-character alphabet");
  t.check(u.searchParams.get("code_challenge") === null || u.searchParams.get("code_challenge") === challenge, "code_challenge is S256 of the stored verifier");
  const value = { ...json, codeVerifier: "<verifier>", expiresAt: new Date(json.expiresAt) };
  if (json.link?.encryptedSessionToken) {
    // Shown as what it decrypts to: the session token, labelled like the session row's.
    const token = symmetricDecrypt(purposeKey(SECRET, "oauth-link-session-token"), json.link.encryptedSessionToken);
    value.link = { ...json.link, encryptedSessionToken: token ?? "<does not decrypt>" };
  }
  t.record(name, { identifier: rows[0].identifier, keys: Object.keys(json), value, expiresAt: rows[0].expiresAt });
}

// signIn.social (or linkSocial) through the client, then the provider and the callback.
export async function social(t, b, provider, { body = {}, login = {}, local = "alice", link = false, personExtra } = {}) {
  const call = link ? b.client.linkSocial : b.client.signIn.social;
  const res = await t.call(`${link ? "linkSocial" : "signIn.social"} ${provider}`, call({ provider, ...CALLBACK, ...body }));
  const url = res.data?.url;
  t.check(url, `${provider}: the server answered with an authorization URL`);
  if (!url) return null;
  await recordStateRow(t, url);
  return completeAtProvider(b, url, { person: person(t.email(local), personExtra), ...login });
}

// The authorization URL alone (the provider not visited yet).
export async function start(t, b, provider, body = {}) {
  const res = await t.call(`signIn.social ${provider}`, b.client.signIn.social({ provider, ...CALLBACK, ...body }));
  return res.data?.url;
}

// The session and the accounts a signed-in browser sees.
export const afterSignIn = async (t, b) => {
  await t.call("getSession", b.client.getSession());
  await t.call("listAccounts", b.client.listAccounts());
};

// The takeover of scenarios/72-social*.mjs: for each [fromSide, toSide, provider] of flows, a
// sign-in started on one server completes on the other (which writes the user and account),
// then the same person signs in on the first: each server signs in the other's users.
export async function socialTakeover(h, flows) {
  const idp = await socialIdP();
  const databaseURL = await h.database("social");
  const servers = { node: await h.startNode({ databaseURL, groupName: "social" }), go: await h.startGo({ databaseURL, groupName: "social" }) };
  const pool = h.pool(databaseURL);
  const users = async () => (await pool.query(`select count(*)::int as n from "user" where email like $1`, [`%@${h.domain}`])).rows[0].n;
  for (const [fromSide, toSide, provider] of flows) {
    const [from, to] = [servers[fromSide], servers[toSide]];
    const step = `${from.side}→${to.side} ${provider}`;
    const b = h.browser(from);
    const p = person(h.email(`${provider}-${from.side}`));
    const { data } = await b.client.signIn.social({ provider, callbackURL: "/dashboard" });
    const cb = await idp.authorize(data?.url, { person: p });
    const moved = b.on(to);
    const res = await followCallback(moved, cb);
    h.equal(302, res.status, { step, field: "callback status" });
    h.equal("/dashboard", res.headers.get("location"), { step, field: "callback location" });
    const session = await moved.client.getSession();
    h.equal(p.email, session.data?.user?.email, { step, field: "session user" });
    // The user and account written by one are signed in by the other.
    const again = h.browser(from);
    const r2 = await again.client.signIn.social({ provider, callbackURL: "/again" });
    const res2 = await followCallback(again, await idp.authorize(r2.data?.url, { person: p }));
    h.equal("/again", res2.headers.get("location"), { step, field: "sign-in on the first server" });
  }
  h.equal(flows.length, await users(), { step: "rows", field: "one user per person" });
}
