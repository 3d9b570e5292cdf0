// Deleting the account: /delete-user with a password, a fresh session or a mailed link, and
// /delete-user/callback (PROTOCOL.md §2.7).
import { UNTRUSTED_ORIGIN } from "../lib/config.mjs";
import { follow, mailTo, mailUser, param, verifiedSignedIn } from "../lib/mail-steps.mjs";
import { PASSWORD, signedUp } from "../lib/steps.mjs";

export default [
  {
    name: "delete-user: disabled by default",
    async run(t) {
      const { b } = await signedUp(t);
      await t.call("deleteUser", b.client.deleteUser({ password: PASSWORD }));
      await b.request("GET", "/delete-user/callback?token=abc");
      await t.call("getSession", b.client.getSession());
    },
  },
  {
    name: "delete-user: with the password",
    group: "mail",
    async run(t) {
      const { b } = await mailUser(t);
      await mailUser(t, "bob");
      await t.call("wrong password", b.client.deleteUser({ password: "wrong-password" }));
      await t.call("too long", b.client.deleteUser({ password: "x".repeat(200) }));
      await t.call("deleteUser", b.client.deleteUser({ password: PASSWORD }));
      await t.call("getSession", b.client.getSession());
      await t.call("signIn", t.browser().client.signIn.email({ email: t.email("alice"), password: PASSWORD }));
    },
  },
  {
    name: "delete-user: a fresh session is enough, a stale one is not",
    group: "mail",
    async run(t) {
      const { b, token } = await mailUser(t);
      await t.sql(`update "session" set "createdAt" = now() - interval '2 days' where "token" = $1`, [token]);
      await t.call("stale", b.client.deleteUser({}));
      await t.sql(`update "session" set "createdAt" = now() where "token" = $1`, [token]);
      await t.call("fresh", b.client.deleteUser({ callbackURL: "/bye" }));
    },
  },
  {
    name: "delete-user: refusals",
    group: "mail",
    async run(t) {
      const { b, user: u } = await mailUser(t);
      for (const json of [{ password: 1 }, { token: 2 }, { callbackURL: 3 }, "x", []]) {
        await b.request("POST", "/delete-user", { json });
      }
      await b.request("POST", "/delete-user", { json: { callbackURL: `${UNTRUSTED_ORIGIN}/x` } });
      await b.request("POST", "/delete-user", { json: { token: "0123456789abcdefghij0123456789ab" } });
      await t.request("POST", "/delete-user", { json: {} });
      await t.sql(`delete from "account" where "userId" = $1`, [u?.id]);
      await b.request("POST", "/delete-user", { json: { password: PASSWORD } });
      await t.call("getSession", b.client.getSession());
    },
  },
  {
    name: "delete-user: by the mailed link",
    group: "mail_strict",
    async run(t) {
      const { b } = await verifiedSignedIn(t);
      await t.call("deleteUser", b.client.deleteUser({ callbackURL: "/goodbye" }));
      const mail = await mailTo(t, t.email("alice"), "deletion mail");
      await follow(t, b, mail.url);
      await t.call("getSession", b.client.getSession());
    },
  },
  {
    name: "delete-user: the mailed token in the body",
    group: "mail_strict",
    async run(t) {
      const { b } = await verifiedSignedIn(t);
      await t.call("deleteUser", b.client.deleteUser({}));
      const mail = await mailTo(t, t.email("alice"), "deletion mail");
      await t.call("deleteUser with token", b.client.deleteUser({ token: param(mail.url, "token") }));
    },
  },
  {
    name: "delete-user: callback refusals",
    group: "mail_strict",
    async run(t) {
      const { b } = await verifiedSignedIn(t);
      const bob = await verifiedSignedIn(t, "bob");
      await t.call("deleteUser", b.client.deleteUser({}));
      const mail = await mailTo(t, t.email("alice"), "deletion mail");
      const token = param(mail.url, "token");
      await t.request("GET", `/delete-user/callback?token=${token}`);
      await b.request("GET", `/delete-user/callback?token=${token}&callbackURL=${encodeURIComponent(`${UNTRUSTED_ORIGIN}/x`)}`);
      await b.request("GET", "/delete-user/callback");
      await bob.b.request("GET", `/delete-user/callback?token=${token}`);
      await follow(t, b, mail.url);
      await t.call("getSession", b.client.getSession());
    },
  },
];
