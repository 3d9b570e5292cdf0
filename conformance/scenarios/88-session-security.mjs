// Deliberate differences of issue 15 about sessions, asserted as such: the Go side must
// answer as designed, Node as Better Auth 1.7.25 does.
//
// - A session revoked while its cookie cache still holds it: Node serves list-sessions and
//   update-user from the cache, handing the revoked browser the tokens of the sessions that
//   survived; Go confirms the session in the database and answers 401.
// - Pre-account takeover: an attacker signs up with the victim's address, never verified.
//   When the victim proves the mailbox (a password reset, the verification link), Go ends
//   the attacker's sessions; Node keeps them.
import { follow, mailTo } from "../lib/mail-steps.mjs";
import { PASSWORD, signedUp } from "../lib/steps.mjs";

const NEW_PASSWORD = "victims-password-456";

// Go answers 401 UNAUTHORIZED and expires the session cookies where Node answers from the
// cache; these are the only fields of such a step that may differ, and Go's must be these.
const expired = (line) => line === undefined || /^[^=]+=; Max-Age=0;/.test(String(line));
const revokedIsRefused = (step) => [
  { step, field: /^status$/, why: "a revoked session is confirmed in the database", check: (node, go) => (node === 200 && go === 401) || "want Node 200, Go 401" },
  {
    step, field: /^body\.json/, why: "Go's answer is the 401 body, Node's comes from the cache",
    check: (node, go) => go === undefined || go === "UNAUTHORIZED" || go === "Unauthorized" ||
      (go?.code === "UNAUTHORIZED" && go?.message === "Unauthorized") || "want Go's 401 UNAUTHORIZED body",
  },
  {
    step, field: /^cookies/, why: "Go expires the revoked session's cookies, as get-session does for a session that is gone",
    check: (node, go) => expired(go) || "Go's cookies should only expire",
  },
];

// A step that shows the attacker's session after the mailbox was proven: alive on Node, gone
// on Go (null, and the cookies expired).
const attackerSignedOut = {
  step: /getSession of the attacker, after|#\d+ GET \/get-session$/, field: /^(body\.json|cookies|data|error)/,
  why: "the attacker's session ended when the mailbox was proven",
  check: (node, go) => go === undefined || go === null || expired(go) || "Go should have no session for the attacker",
};

// The rows compared after the scenario: the attacker's session row exists only on Node.
const attackerRowGone = {
  step: /database/, field: /^session\[0\]/, why: "the attacker's session row is deleted on Go",
  check: (node, go) => go === undefined || "Go should have no row for the attacker's session",
};

export default [
  ...["compact", "jwt", "jwe"].map((strategy) => ({
    name: `session security (${strategy}): a revoked session in the cookie cache gets no tokens`,
    group: `cache_${strategy}`,
    async run(t) {
      const { b: victim } = await signedUp(t, "alice");
      // Two stolen sessions, one for each endpoint: a 401 expires the cookies it was sent with.
      const thieves = [t.browser(), t.browser()];
      for (const [i, thief] of thieves.entries()) {
        await t.call(`signIn thief ${i}`, thief.client.signIn.email({ email: t.email("alice"), password: PASSWORD }));
      }
      await t.call("revokeOtherSessions", victim.client.revokeOtherSessions());
      // Both sides still serve the thieves' cached copies: get-session is the cache's by design.
      await t.call("getSession of a revoked thief, from the cache", thieves[0].client.getSession());
      await thieves[0].request("GET", "/list-sessions");
      await thieves[1].request("POST", "/update-user", { json: { name: "Thief" } });
      await t.call("getSession of the victim", victim.client.getSession({ query: { disableCookieCache: true } }));
    },
    expectDifference: [
      ...revokedIsRefused(/list-sessions/),
      ...revokedIsRefused(/update-user/),
      {
        step: /getSession of the victim|disableCookieCache=true/, field: /(user\.name|^cookies\[0\])$/,
        why: "the revoked session did not rename the user",
        check: (node, go) => !String(go).includes("Thief") || "Go's user was renamed",
      },
      {
        step: /database/, field: /^user\[0\]\.name$/, why: "the revoked session did not rename the user",
        check: (node, go) => (node === "Thief" && go === "Alice") || "want Node Thief, Go Alice",
      },
    ],
  })),
  {
    name: "session security: a password reset of an unverified account ends the attacker's sessions",
    group: "mail",
    async run(t) {
      // The attacker signs up first, with the victim's address; nobody reads the sign-up mail.
      const { b: attacker } = await signedUp(t, "victim");
      await mailTo(t, t.email("victim"), "sign-up mail");
      await t.call("getSession of the attacker, before", attacker.client.getSession());
      await t.call("requestPasswordReset", t.browser().client.requestPasswordReset({ email: t.email("victim"), redirectTo: "/reset" }));
      const mail = await mailTo(t, t.email("victim"));
      const page = t.browser();
      await follow(t, page, mail.url);
      const token = new URL(mail.url).pathname.split("/").pop();
      await t.call("resetPassword", page.client.resetPassword({ newPassword: NEW_PASSWORD, token }));
      await t.call("getSession of the attacker, after", attacker.client.getSession());
    },
    expectDifference: [attackerSignedOut, attackerRowGone],
  },
  {
    name: "session security: the verification link of an unverified account ends the attacker's sessions",
    group: "mail",
    async run(t) {
      const { b: attacker } = await signedUp(t, "victim");
      const mail = await mailTo(t, t.email("victim"), "sign-up mail");
      await t.call("getSession of the attacker, before", attacker.client.getSession());
      // The victim opens the link in a browser of their own, signed in nowhere.
      await follow(t, t.browser(), mail.url);
      await t.call("getSession of the attacker, after", attacker.client.getSession());
    },
    expectDifference: [attackerSignedOut, attackerRowGone],
  },
  {
    name: "session security: the verification link keeps the session of the browser that opens it",
    group: "mail",
    async run(t) {
      const { b } = await signedUp(t, "alice");
      const mail = await mailTo(t, t.email("alice"), "sign-up mail");
      await follow(t, b, mail.url);
      await t.call("getSession", b.client.getSession());
    },
  },
];
