// Integer ids the database assigns (advanced.database.generateId: "serial", schemas/serial.json;
// groups schema_serial*): the ids are identity columns and the references integer columns, the
// JSON carries them as strings. Each group's servers live for the whole run and both sides run
// the same steps in the same order, so their sequences agree and the ids are compared as they
// are (they are not masked: "7" is no random id). One step would make them drift: a sign-up
// with a taken address, which the Go side finds by the insert's unique violation (an id of
// the sequence spent) and Node by a lookup first; it is the last step of its group here, and
// the core groups test it.
import { schemaNames } from "../lib/schemas.mjs";
import { follow, mailTo } from "../lib/mail-steps.mjs";
import { PASSWORD, signedIn, signedUp } from "../lib/steps.mjs";
import { dumpScenario, takeoverScenarios } from "../lib/schema-scenarios.mjs";

const S = schemaNames("serial");
const serial = (scenario) => ({ group: "schema_serial", ...scenario });
const NEW_PASSWORD = "new-password-456";
const WHOLE = /^[1-9][0-9]*$/;

export default [
  serial({
    name: "schema serial: sign-up, get-session and sign-in with integer ids",
    async run(t) {
      const { b, user } = await signedUp(t);
      t.check(WHOLE.test(user?.id ?? ""), "user id is a whole number, as a string", String(user?.id));
      const { data } = await t.call("getSession", b.client.getSession());
      t.check(typeof data?.session?.userId === "string" && data.session.userId === user?.id, "session.userId is the user's id as a string", String(data?.session?.userId));
      await t.call("signIn", t.browser().client.signIn.email({ email: t.email("alice"), password: PASSWORD }));
      await t.call("signIn wrong password", t.browser().client.signIn.email({ email: t.email("alice"), password: NEW_PASSWORD }));
      // The credential account's accountId is the user's id as text.
      const { rows } = await t.sql(`select ${S.col("account", "accountId")} as a, ${S.col("account", "userId")}::text = ${S.col("account", "accountId")} as same from ${S.table("account")} where ${S.col("account", "userId")} = $1`, [Number(user?.id ?? 0)]);
      t.record("credential account", rows);
      await t.call("listAccounts", b.client.listAccounts());
    },
  }),
  serial({
    name: "schema serial: a field referencing a user, set on sign-up and update-user",
    async run(t) {
      const { user: bob } = await signedUp(t, "bob");
      const { b } = await signedUp(t, "alice", { invitedBy: bob?.id });
      await t.call("getSession", b.client.getSession());
      await t.call("updateUser invitedBy null", b.client.updateUser({ invitedBy: null }));
      await t.call("updateUser invitedBy bob", b.client.updateUser({ invitedBy: bob?.id }));
      await t.call("updateSession", b.request("POST", "/update-session", { json: { workspace: "w1" } }).then((r) => ({ status: r.status, data: r.data })));
      await t.call("getSession after", b.client.getSession());
      await t.call("listSessions", b.client.listSessions());
      const { rows } = await t.sql(`select ${S.col("user", "invitedBy")} as invited from ${S.table("user")} where ${S.col("user", "email")} = $1`, [t.email("alice")]);
      t.record("invitedBy column", rows);
    },
  }),
  serial({
    name: "schema serial: list and revoke sessions, sign out, revoke all",
    async run(t) {
      const { b } = await signedUp(t);
      const other = t.browser();
      const { data } = await t.call("signIn other", other.client.signIn.email({ email: t.email("alice"), password: PASSWORD }));
      await t.call("listSessions", b.client.listSessions());
      await t.call("revokeSession", b.client.revokeSession({ token: data?.token ?? "" }));
      await t.call("other getSession", other.client.getSession());
      await t.call("signOut", b.client.signOut());
      const { b: again } = await signedIn(t, "bob");
      await t.call("revokeSessions", again.client.revokeSessions());
      await t.call("getSession revoked", again.client.getSession());
    },
  }),
  {
    name: "schema serial (mail): verification, password reset and deletion with integer ids",
    group: "schema_serial_mail",
    async run(t) {
      const b = t.browser();
      await t.call("signUp", b.client.signUp.email({ name: "Alice", email: t.email("alice"), password: PASSWORD }));
      const verify = await mailTo(t, t.email("alice"), "sign-up mail");
      await follow(t, b, verify.url);
      await t.call("getSession verified", b.client.getSession());
      const user = (await t.sql(`select id from ${S.table("user")} where ${S.col("user", "email")} = $1`, [t.email("alice")])).rows[0];
      await t.call("requestPasswordReset", t.browser().client.requestPasswordReset({ email: t.email("alice"), redirectTo: "/reset" }));
      const reset = await mailTo(t, t.email("alice"), "reset mail");
      const token = reset.url ? new URL(reset.url).pathname.split("/").pop() : "";
      const v = (f) => S.col("verification", f);
      const row = async () => (await t.sql(`select ${v("identifier")} as identifier, ${v("value")} as value from ${S.table("verification")} where ${v("value")} = $1`, [String(user?.id ?? "")])).rows;
      t.record("reset token row", await row());
      await follow(t, t.browser(), reset.url);
      await t.call("resetPassword", t.browser().client.resetPassword({ newPassword: NEW_PASSWORD, token }));
      t.record("reset token row after the reset", await row());
      await t.call("signIn new", t.browser().client.signIn.email({ email: t.email("alice"), password: NEW_PASSWORD }));
      // A taken address is concealed: the user shown has an id like a new one's (Go) or a
      // random 32-character one (Node; docs/differences.md). Last: it spends an id on Go.
      const taken = await t.request("POST", "/sign-up/email", { json: { name: "Alice", email: t.email("alice"), password: PASSWORD } });
      if (t.side === "go") t.check(WHOLE.test(taken.data?.user?.id ?? ""), "the concealing user's id is a whole number", String(taken.data?.user?.id));
    },
    expectDifference: [
      {
        step: /^#\d+ POST \/sign-up\/email/, field: /^body\.json\.user\.id$/,
        why: "with serial ids, the user a concealed duplicate sign-up shows has an id like a new user's, where Node's 32-character id tells the address is taken (docs/differences.md)",
        check: (node, go) => (/^<id#\d+>$/.test(String(node)) && WHOLE.test(String(go))) || `want Node a random id, Go a whole number: ${node} / ${go}`,
      },
    ],
  },
  {
    name: "schema serial (rate limit): sign-in allows 3, then 429, counted in rows with integer ids",
    group: "schema_serial_ratelimit",
    async run(t) {
      const h = { "x-forwarded-for": "198.51.111.1" };
      const got = [];
      for (let i = 0; i < 4; i++) got.push((await t.request("POST", "/sign-in/email", { json: { email: t.email("nobody"), password: PASSWORD }, headers: h })).status);
      t.check(got.join() === "401,401,401,429", "sign-in limit", got.join());
      const rl = (f) => S.col("rateLimit", f);
      const { rows } = await t.sql(`select pg_typeof(id)::text as id_type, ${rl("key")} as key, ${rl("count")} as count from ${S.table("rateLimit")} where ${rl("key")} like '198.51.111.%'`);
      t.record("rate limit rows", rows);
    },
  },
  ...takeoverScenarios("schema_serial", {}),
  dumpScenario("schema_serial"),
];
