// Email verification: send-verification-email, the mailed link (GET /verify-email) and the
// sign-up and sign-in mails (PROTOCOL.md §2.9; 1.7.25 wins where they differ).
import { UNTRUSTED_ORIGIN } from "../lib/config.mjs";
import { follow, mailTo, param } from "../lib/mail-steps.mjs";
import { PASSWORD, signedUp } from "../lib/steps.mjs";

// In the "mail" group sign-up mails a verification link: returns the browser and the link.
async function signedUpWithLink(t, extra = {}) {
  const { b } = await signedUp(t, "alice", extra);
  const mail = await mailTo(t, t.email("alice"));
  return { b, url: mail.url };
}

export default [
  {
    name: "verify-email: disabled without a mailer",
    async run(t) {
      const { b } = await signedUp(t);
      await t.call("sendVerificationEmail", b.client.sendVerificationEmail({ email: t.email("alice") }));
      await t.request("POST", "/send-verification-email", { json: { email: t.email("alice") } });
    },
  },
  {
    name: "verify-email: the sign-up link verifies",
    group: "mail",
    async run(t) {
      const { b, url } = await signedUpWithLink(t, { callbackURL: "/welcome" });
      await follow(t, b, url);
      await t.call("getSession verified", b.client.getSession());
      await follow(t, t.browser(), url);
    },
  },
  {
    name: "verify-email: JSON answer without callbackURL",
    group: "mail",
    async run(t) {
      const { url } = await signedUpWithLink(t);
      await t.request("GET", `/verify-email?token=${param(url, "token")}`);
      await t.request("GET", `/verify-email?token=${param(url, "token")}`);
    },
    expectDifference: [
      {
        // Deliberate (88-session-security): the link, opened in another browser, proves the
        // mailbox of an unverified account and ends its other sessions on Go.
        step: /database/, field: /^session\[0\]$/, why: "the sign-up session ends when the link is opened elsewhere",
        check: (node, go) => go === undefined || "Go should have no session row",
      },
    ],
  },
  {
    name: "verify-email: bad links",
    group: "mail",
    async run(t) {
      const { url } = await signedUpWithLink(t);
      const token = param(url, "token");
      // A well-formed HS256 token for alice, signed with the wrong key: the same text on both sides.
      const b64 = (v) => Buffer.from(JSON.stringify(v)).toString("base64url");
      const tampered = `${b64({ alg: "HS256" })}.${b64({ email: t.email("alice"), iat: 1795360937, exp: 4102444800 })}.${"A".repeat(43)}`;
      await t.request("GET", "/verify-email?token=garbage");
      await t.request("GET", `/verify-email?token=${tampered}`);
      await t.request("GET", `/verify-email?token=${tampered}&callbackURL=%2Fdone`);
      await t.request("GET", `/verify-email?token=garbage&callbackURL=${encodeURIComponent("/done?step=2")}`);
      await t.request("GET", `/verify-email?token=garbage&callbackURL=${encodeURIComponent("https://trusted.example.com/done")}`);
      await t.request("GET", `/verify-email?token=${token}&callbackURL=${encodeURIComponent(`${UNTRUSTED_ORIGIN}/x`)}`);
      await t.request("GET", "/verify-email");
      await t.request("GET", "/verify-email?token=a&token=b");
    },
  },
  {
    name: "verify-email: the user is gone",
    group: "mail",
    async run(t) {
      const { url } = await signedUpWithLink(t);
      await t.sql(`update "user" set "email" = $2 where "email" = $1`, [t.email("alice"), t.email("renamed")]);
      await t.request("GET", `/verify-email?token=${param(url, "token")}`);
      await t.request("GET", `/verify-email?token=${param(url, "token")}&callbackURL=%2Fdone`);
    },
  },
  {
    name: "send-verification-email: signed in",
    group: "mail",
    async run(t) {
      const { b } = await signedUpWithLink(t);
      await t.call("send", b.client.sendVerificationEmail({ email: t.email("ALICE"), callbackURL: "/verified" }));
      const mail = await mailTo(t, t.email("alice"));
      await t.call("send mismatch", b.client.sendVerificationEmail({ email: t.email("bob") }));
      await follow(t, b, mail.url);
      await t.call("send verified", b.client.sendVerificationEmail({ email: t.email("alice") }));
    },
  },
  {
    name: "send-verification-email: signed out",
    group: "mail",
    async run(t) {
      await signedUpWithLink(t);
      await t.request("POST", "/send-verification-email", { json: { email: t.email("alice") } });
      await mailTo(t, t.email("alice"));
      await t.request("POST", "/send-verification-email", { json: { email: t.email("nobody") } });
    },
  },
  {
    name: "send-verification-email: bad bodies",
    group: "mail",
    async run(t) {
      const { b } = await signedUpWithLink(t);
      for (const json of [{}, { email: "nope" }, { email: 3 }, { email: t.email("alice"), callbackURL: 1 }, "x"]) {
        await b.request("POST", "/send-verification-email", { json });
      }
      await b.request("POST", "/send-verification-email", { json: { email: t.email("alice"), callbackURL: `${UNTRUSTED_ORIGIN}/x` } });
    },
  },
  {
    name: "verify-email: requireEmailVerification sign-up, sign-in and auto sign-in",
    group: "mail_strict",
    async run(t) {
      const b = t.browser();
      await t.call("signUp", b.client.signUp.email({ name: "Alice", email: t.email("alice"), password: PASSWORD }));
      const first = await mailTo(t, t.email("alice"), "sign-up mail");
      await t.call("signIn unverified", b.client.signIn.email({ email: t.email("alice"), password: PASSWORD, callbackURL: "/in" }));
      await mailTo(t, t.email("alice"), "sign-in mail");
      await follow(t, b, first.url);
      await t.call("getSession after auto sign-in", b.client.getSession());
      await t.call("signIn verified", t.browser().client.signIn.email({ email: t.email("alice"), password: PASSWORD }));
    },
  },
];
