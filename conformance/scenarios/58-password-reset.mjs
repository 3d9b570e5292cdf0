// Password reset: request-password-reset, the mailed link (GET /reset-password/:token) and
// reset-password (PROTOCOL.md §2.8; 1.7.25 wins where they differ).
import { UNTRUSTED_ORIGIN } from "../lib/config.mjs";
import { follow, linkPath, mailTo, verifiedSignedIn } from "../lib/mail-steps.mjs";
import { PASSWORD, signedUp } from "../lib/steps.mjs";

const NEW_PASSWORD = "new-password-456";

// A reset requested for alice; returns the mailed link and the token in it.
async function resetLink(t, redirectTo = "/reset") {
  await t.call("requestPasswordReset", t.browser().client.requestPasswordReset({ email: t.email("alice"), redirectTo }));
  // Where sign-up sends a verification mail, it may reach the mailbox before or after the
  // reset mail (the Go server sends mail in the background): wait for the reset link itself.
  const mail = await mailTo(t, t.email("alice"), "mail", {
    match: (m) => Boolean(m.url) && new URL(m.url).pathname.includes("/reset-password/"),
  });
  const token = mail.url ? new URL(mail.url).pathname.split("/").pop() : "";
  return { url: mail.url, token };
}

export default [
  {
    name: "reset: disabled without a mailer",
    async run(t) {
      await signedUp(t);
      await t.call("requestPasswordReset", t.browser().client.requestPasswordReset({ email: t.email("alice") }));
      await t.request("POST", "/reset-password", { json: { newPassword: NEW_PASSWORD, token: "AbCdEfGhIjKlMnOpQrStUvWx" } });
    },
  },
  {
    name: "reset: the whole flow",
    group: "mail",
    async run(t) {
      const { b } = await signedUp(t);
      // Verified: an unverified account's sessions end at a reset on Go (88-session-security).
      await t.sql(`update "user" set "emailVerified" = true where "email" = $1`, [t.email("alice")]);
      const { url, token } = await resetLink(t);
      const page = t.browser();
      await follow(t, page, url);
      await t.call("resetPassword", page.client.resetPassword({ newPassword: NEW_PASSWORD, token }));
      await t.call("signIn old", t.browser().client.signIn.email({ email: t.email("alice"), password: PASSWORD }));
      await t.call("signIn new", t.browser().client.signIn.email({ email: t.email("alice"), password: NEW_PASSWORD }));
      await t.call("existing session kept", b.client.getSession());
      await t.call("resetPassword again", page.client.resetPassword({ newPassword: "third-password", token }));
      await follow(t, page, url);
    },
  },
  {
    name: "reset: unknown address looks the same",
    group: "mail",
    async run(t) {
      await t.call("requestPasswordReset", t.browser().client.requestPasswordReset({ email: t.email("nobody"), redirectTo: "/reset" }));
    },
  },
  {
    name: "reset: request bodies",
    group: "mail",
    async run(t) {
      await signedUp(t);
      for (const json of [{}, { email: "not-an-email" }, { email: 1 }, { email: t.email("alice"), redirectTo: 5 }, ["x"], null]) {
        await t.request("POST", "/request-password-reset", { json });
      }
      await t.request("POST", "/request-password-reset", { json: { email: t.email("alice"), redirectTo: `${UNTRUSTED_ORIGIN}/steal` } });
      await t.request("POST", "/request-password-reset", { json: { email: t.email("alice"), redirectTo: "https://trusted.example.com/reset" } });
      await mailTo(t, t.email("alice"));
    },
  },
  {
    name: "reset: token in the query, redirect without callback",
    group: "mail",
    async run(t) {
      await signedUp(t);
      // A reset of an unverified account ends its sessions on Go (88-session-security).
      await t.sql(`update "user" set "emailVerified" = true where "email" = $1`, [t.email("alice")]);
      const { token } = await resetLink(t, "");
      await t.request("POST", `/reset-password?token=${token}`, { json: { newPassword: NEW_PASSWORD } });
      await t.call("signIn new", t.browser().client.signIn.email({ email: t.email("alice"), password: NEW_PASSWORD }));
    },
  },
  {
    name: "reset: link errors",
    group: "mail",
    async run(t) {
      await signedUp(t);
      // A reset of an unverified account ends its sessions on Go (88-session-security).
      await t.sql(`update "user" set "emailVerified" = true where "email" = $1`, [t.email("alice")]);
      const { url, token } = await resetLink(t, "https://trusted.example.com/reset?from=mail");
      await follow(t, t.browser(), url);
      await t.request("GET", "/reset-password/AbCdEfGhIjKlMnOpQrStUvWx?callbackURL=%2Freset");
      await t.request("GET", `/reset-password/${token}`);
      await t.request("GET", `/reset-password/${token}?callbackURL=${encodeURIComponent(`${UNTRUSTED_ORIGIN}/x`)}`);
      await t.request("GET", `/reset-password/${token}?callbackURL=a&callbackURL=b`);
      await t.sql(`update "verification" set "expiresAt" = now() - interval '1 second'`);
      await t.request("GET", linkPath(t, url));
    },
  },
  {
    name: "reset: refusals change nothing",
    group: "mail",
    async run(t) {
      await signedUp(t);
      const { token } = await resetLink(t);
      const bodies = [
        {}, { newPassword: NEW_PASSWORD }, { newPassword: NEW_PASSWORD, token: "" }, { newPassword: NEW_PASSWORD, token: "forged" },
        { newPassword: "short", token }, { newPassword: "x".repeat(129), token }, { newPassword: 12345678, token },
        { newPassword: NEW_PASSWORD, token: 5 }, [token],
      ];
      for (const json of bodies) await t.request("POST", "/reset-password", { json });
      await t.sql(`update "verification" set "expiresAt" = now() - interval '1 second'`);
      await t.request("POST", "/reset-password", { json: { newPassword: NEW_PASSWORD, token } });
      await t.call("signIn unchanged", t.browser().client.signIn.email({ email: t.email("alice"), password: PASSWORD }));
    },
  },
  {
    name: "reset: a deleted user's token",
    group: "mail",
    async run(t) {
      const { user } = await signedUp(t);
      const { token } = await resetLink(t);
      await t.sql(`update "verification" set "value" = 'NoSuchUser000000000000000000000x' where "value" = $1`, [user?.id]);
      await t.request("POST", "/reset-password", { json: { newPassword: NEW_PASSWORD, token } });
    },
  },
  {
    name: "reset: revokeSessionsOnPasswordReset",
    group: "mail_strict",
    async run(t) {
      const { b } = await verifiedSignedIn(t);
      const { token } = await resetLink(t);
      await t.call("resetPassword", t.browser().client.resetPassword({ newPassword: NEW_PASSWORD, token }));
      await t.call("getSession revoked", b.client.getSession());
    },
  },
];
