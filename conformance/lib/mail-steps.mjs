// Steps of the scenarios that go through mail: read a side's mail, record what can be
// compared of it, and open its link as the browser that received it.
import { BASE_PATH } from "./config.mjs";
import { PASSWORD, signedUp } from "./steps.mjs";

// The next mail to `address` on this side (with match, the next one it accepts), recorded as
// { to, link } with the link's single-use token masked by the normaliser. The subject and
// wording are each side's own templates and are not compared.
export async function mailTo(t, address, name = "mail", { match } = {}) {
  const mail = await t.mail(address, { match });
  t.record(name, mail && { to: mail.to, link: mail.url });
  t.check(mail, `a mail reached ${address}`);
  return mail ?? { url: "" };
}

// The path of a link relative to the base path, e.g. "/verify-email?token=…".
export function linkPath(t, url) {
  const base = new URL(BASE_PATH, t.server.group.baseURL).href;
  t.check(url?.startsWith(base), "the link points at the base URL", url);
  return url.slice(base.length);
}

// Open a mailed link in browser `b` (its cookies go along, as they would).
export function follow(t, b, url) {
  return b.request("GET", linkPath(t, url));
}

// A link's query parameter.
export function param(url, name) {
  return new URL(url).searchParams.get(name);
}

// A user of the "mail_strict" group (requireEmailVerification): signed up, sign-up mail read,
// marked verified in the database, then signed in from a new browser. Returns { b }.
export async function verifiedSignedIn(t, local = "alice") {
  await t.request("POST", "/sign-up/email", { json: { name: "Alice", email: t.email(local), password: PASSWORD } });
  await mailTo(t, t.email(local), `${local} sign-up mail`);
  await t.sql(`update "user" set "emailVerified" = true where "email" = $1`, [t.email(local)]);
  const b = t.browser();
  await t.call(`signIn ${local}`, b.client.signIn.email({ email: t.email(local), password: PASSWORD }));
  return { b };
}

// A signed-up user of the "mail" group, whose sign-up verification mail is read (and
// compared) so that it does not linger. Returns what signedUp returns.
export async function mailUser(t, local = "alice") {
  const res = await signedUp(t, local);
  await mailTo(t, t.email(local), `${local} sign-up mail`);
  return res;
}
