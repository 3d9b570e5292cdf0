// Social sign-in in the harness: the run's local identity provider (servers/idp.mjs), started
// the first time a group with `social: true` (lib/groups.mjs) starts a server, and the steps
// the social scenarios share.
//
// Both servers of such a group get idp.env(): the client credentials, and for the Go side the
// provider URLs as overrides (KERNIA_GOOGLE_TOKEN_URL, …); the Node server sends upstream's
// hard-coded Google and GitHub hosts to the IdP (CONFORMANCE_SOCIAL_IDP, servers/social.mjs).
import { person, startIdP } from "../servers/idp.mjs";
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
