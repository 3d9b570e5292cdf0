// A mail that cannot be sent (issue 24): each mail flow, for a known and an unknown address,
// with a mail server that refuses the connection ("mail_refused", the strict flows) or accepts
// it and hangs up ("mail_dropped", the plain flows). Status, body and rows are compared with
// Node. Better Auth logs a failed send and answers as if the mail had gone out
// (runInBackgroundOrAwait), except in send-verification-email, which the Go side follows when
// signed in and not when signed out (deliberate: upstream's 500 there tells that the address
// has an unverified account).
import { PASSWORD, signedUp } from "../lib/steps.mjs";

const SINKS = [
  { group: "mail_refused", label: "refused" },
  { group: "mail_dropped", label: "dropped" },
];

// Sign `local` up and mark the address verified in the database; the sign-up mail, if any,
// fails. Returns a browser signed in as them.
async function verifiedUser(t, local = "alice") {
  await t.request("POST", "/sign-up/email", { json: { name: "Alice", email: t.email(local), password: PASSWORD } });
  await t.sql(`update "user" set "emailVerified" = true where "email" = $1`, [t.email(local)]);
  const b = t.browser();
  await t.call(`signIn ${local}`, b.client.signIn.email({ email: t.email(local), password: PASSWORD }));
  return b;
}

// Node answers a send that throws with an empty 500; the Go side with the generic JSON body
// (a deliberate difference of the core package, asserted in 95-deliberate).
const emptyNode500 = (step) => [
  { step, field: /^body\.(empty|text)$/, why: "Node sends an empty 500", check: (node) => node === true || node === undefined || "Node's 500 should be empty" },
  {
    step, field: /^body\.json$/, why: "a 500 says what happened, never the cause",
    check: (node, go) => (go?.code === "INTERNAL_SERVER_ERROR" && go?.message === "Internal server error") || "want the generic INTERNAL_SERVER_ERROR body",
  },
  { step, field: /^headers\.content-type$/, why: "the 500 body is JSON", check: (node, go) => go === "application/json" || "want application/json" },
];

const perSink = ({ group, label }) => [
  {
    name: `mail failure (${label}): request-password-reset, known and unknown address`,
    group,
    async run(t) {
      await t.request("POST", "/sign-up/email", { json: { name: "Alice", email: t.email("alice"), password: PASSWORD } });
      await t.request("POST", "/request-password-reset", { json: { email: t.email("alice"), redirectTo: "/reset" } });
      await t.request("POST", "/request-password-reset", { json: { email: t.email("nobody"), redirectTo: "/reset" } });
    },
  },
  {
    name: `mail failure (${label}): sign-up, new and taken address`,
    group,
    async run(t) {
      await t.request("POST", "/sign-up/email", { json: { name: "Alice", email: t.email("alice"), password: PASSWORD } });
      await t.request("POST", "/sign-up/email", { json: { name: "Alice", email: t.email("alice"), password: PASSWORD } });
    },
  },
  {
    name: `mail failure (${label}): change-email, free and taken address`,
    group,
    async run(t) {
      await t.request("POST", "/sign-up/email", { json: { name: "Bob", email: t.email("bob"), password: PASSWORD } });
      const b = await verifiedUser(t);
      await b.request("POST", "/change-email", { json: { newEmail: t.email("alice-new"), callbackURL: "/done" } });
      await b.request("POST", "/change-email", { json: { newEmail: t.email("bob") } });
      await t.call("getSession", b.client.getSession());
    },
  },
  {
    name: `mail failure (${label}): delete-user mails its link`,
    group,
    async run(t) {
      const b = await verifiedUser(t);
      await b.request("POST", "/delete-user", { json: { callbackURL: "/bye" } });
      await t.call("getSession", b.client.getSession());
    },
  },
  {
    name: `mail failure (${label}): signed-out send-verification-email, unverified and unknown address`,
    group,
    async run(t) {
      await t.request("POST", "/sign-up/email", { json: { name: "Alice", email: t.email("alice"), password: PASSWORD } });
      await t.request("POST", "/send-verification-email", { json: { email: t.email("nobody") } });
      await t.request("POST", "/send-verification-email", { json: { email: t.email("alice") } });
    },
    expectDifference: [
      {
        step: /^#3 POST \/send-verification-email$/, field: /^status$/,
        why: "signed out, a failed send is answered as a sent one (Node's 500 tells that the address has an unverified account)",
        check: (node, go) => (node === 500 && go === 200) || "want Node 500, Go 200",
      },
      {
        step: /^#3 POST \/send-verification-email$/, field: /^body\.(empty|json)$/, why: "Go answers {status: true}, as for an unknown address",
        check: (node, go) => (node === true && go === undefined) || (node === undefined && JSON.stringify(go) === '{"status":true}') || "want Node's empty 500, Go's {status: true}",
      },
      {
        step: /^#3 POST \/send-verification-email$/, field: /^headers\.content-type$/, why: "Go answers JSON",
        check: (node, go) => go === "application/json" || "want application/json",
      },
    ],
  },
];

export default [
  ...SINKS.flatMap(perSink),
  {
    name: "mail failure (refused): sign-in of an unverified user with sendOnSignIn",
    group: "mail_refused",
    async run(t) {
      await t.request("POST", "/sign-up/email", { json: { name: "Alice", email: t.email("alice"), password: PASSWORD } });
      await t.request("POST", "/sign-in/email", { json: { email: t.email("alice"), password: PASSWORD } });
    },
  },
  {
    name: "mail failure (refused): change-email of an unverified user, updated at once",
    group: "mail_refused",
    async run(t) {
      await t.request("POST", "/sign-up/email", { json: { name: "Bob", email: t.email("bob"), password: PASSWORD } });
      await t.request("POST", "/sign-up/email", { json: { name: "Alice", email: t.email("alice"), password: PASSWORD } });
      // Signed in without verifying: the session is made in the database, as an admin tool would.
      const b = await verifiedUser(t, "carol");
      await t.sql(`update "user" set "emailVerified" = false where "email" = $1`, [t.email("carol")]);
      await b.request("POST", "/change-email", { json: { newEmail: t.email("bob") } });
      await b.request("POST", "/change-email", { json: { newEmail: t.email("carol-new") } });
    },
  },
  {
    name: "mail failure (dropped): signed-in send-verification-email fails, as upstream",
    group: "mail_dropped",
    async run(t) {
      const { b } = await signedUp(t);
      await b.request("POST", "/send-verification-email", { json: { email: t.email("alice") } });
    },
    expectDifference: emptyNode500(/send-verification-email/),
  },
];
