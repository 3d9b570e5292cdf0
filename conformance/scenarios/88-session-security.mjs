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
// cache; every field of such a step may differ, and Go's must be these.
const revokedIsRefused = (step) => [
  { step, field: /^status$/, why: "a revoked session is confirmed in the database", check: (node, go) => (node === 200 && go === 401) || "want Node 200, Go 401" },
  { step, field: /^body\.json\.code$/, why: "401 body", check: (node, go) => go === "UNAUTHORIZED" || "want UNAUTHORIZED" },
  { step, field: /^body\.json\.message$/, why: "401 body", check: (node, go) => go === "Unauthorized" || "want Unauthorized" },
  {
    step, field: /^body\.json(\[\d+\].*|\.status)?$/, why: "Node's answer from the cache; Go's is the 401 body",
    check: (node, go) => go === undefined || typeof go === "object" || "Go should have no such field",
  },
  {
    step, field: /^cookies/, why: "Go expires the revoked session's cookies, as get-session does",
    check: (node, go) => go === undefined || /Max-Age=0|=;|^\S+=$/i.test(String(go)) || String(go).includes("max-age=0") || "Go's cookies should only expire",
  },
  { step, field: /^headers\./, why: "JSON either way", check: () => true },
];

// A step that shows the attacker's session: alive on Node, gone on Go.
const attackerSignedOut = (step) => ({
  step, field: /./, why: "the attacker's session ended when the mailbox was proven",
  check: (node, go) => go === undefined || go === null || "Go should have no session for the attacker",
});

// The rows compared after the scenario: the attacker's session rows exist only on Node.
const attackerRowsGone = {
  step: /database/, field: /^session/, why: "the attacker's session rows are deleted on Go",
  check: (node, go) => go === undefined || "Go should have no row for the attacker's session",
};

export default [
  ...["compact", "jwt", "jwe"].map((strategy) => ({
    name: `session security (${strategy}): a revoked session in the cookie cache gets no tokens`,
    group: `cache_${strategy}`,
    async run(t) {
      const { b: victim } = await signedUp(t, "alice");
      const thief = t.browser();
      await t.call("signIn thief", thief.client.signIn.email({ email: t.email("alice"), password: PASSWORD }));
      await t.call("revokeOtherSessions", victim.client.revokeOtherSessions());
      // Both sides still serve the thief's cached copy: get-session is the cache's by design.
      await t.call("getSession of the revoked thief, from the cache", thief.client.getSession());
      await thief.request("GET", "/list-sessions");
      await thief.request("POST", "/update-user", { json: { name: "Thief" } });
      await t.call("getSession of the victim", victim.client.getSession({ query: { disableCookieCache: true } }));
    },
    expectDifference: [
      ...revokedIsRefused(/list-sessions/),
      ...revokedIsRefused(/update-user/),
      {
        step: /getSession of the victim/, field: /user\.name$/, why: "the revoked session did not rename the user",
        check: (node, go) => (node === "Thief" && go === "Alice") || "want Node Thief, Go Alice",
      },
      {
        step: /database/, field: /(^|\.)name$|updatedAt/, why: "the revoked session did not rename the user",
        check: (node, go) => go !== "Thief" || "Go renamed the user",
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
      await t.call("requestPasswordReset", t.browser().client.requestPasswordReset({ email: t.email("victim"), redirectTo: "/reset" }));
      const mail = await mailTo(t, t.email("victim"));
      const page = t.browser();
      await follow(t, page, mail.url);
      const token = new URL(mail.url).pathname.split("/").pop();
      await t.call("resetPassword", page.client.resetPassword({ newPassword: NEW_PASSWORD, token }));
      await t.call("getSession of the attacker", attacker.client.getSession());
      await t.call("signIn of the victim", t.browser().client.signIn.email({ email: t.email("victim"), password: NEW_PASSWORD }));
    },
    expectDifference: [attackerSignedOut(/getSession of the attacker/), attackerRowsGone],
  },
  {
    name: "session security: the verification link of an unverified account ends the attacker's sessions",
    group: "mail",
    async run(t) {
      const { b: attacker } = await signedUp(t, "victim");
      const mail = await mailTo(t, t.email("victim"), "sign-up mail");
      // The victim opens the link in a browser of their own, signed in nowhere.
      await follow(t, t.browser(), mail.url);
      await t.call("getSession of the attacker", attacker.client.getSession());
    },
    expectDifference: [attackerSignedOut(/getSession of the attacker/), attackerRowsGone],
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
