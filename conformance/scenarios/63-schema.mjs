// Schema customisation (issue 16): additional fields (group schema_fields, schemas/fields.json)
// and renamed tables and columns with UUID ids (group schema_names, schemas/names.json). Both
// servers are built with the same configuration (KERNIA_SCHEMA for Node, kernia.yaml for Go);
// rows are read through the configured names (lib/db.mjs).
//
// What upstream does with additional fields (no type checks: PostgreSQL coerces or refuses
// the value), the wrong-type cases and the Go side's deliberate answers are in
// lib/schema-cases.mjs; takeover and the pg_dump comparison in lib/schema-scenarios.mjs.
import { schemaNames } from "../lib/schemas.mjs";
import { TYPE_CASES, VALID_VALUES, caseDifferences, goAnswer, nodeStatus } from "../lib/schema-cases.mjs";
import { follow, mailTo } from "../lib/mail-steps.mjs";
import { PASSWORD, signedIn, signedUp } from "../lib/steps.mjs";
import { dumpScenario, takeoverScenarios } from "../lib/schema-scenarios.mjs";

const SELF_TEST = Boolean(process.env.CONFORMANCE_SELF_TEST && process.env.CONFORMANCE_SELF_TEST !== "0");
const NEW_PASSWORD = "new-password-456";
const fields = (scenario) => ({ group: "schema_fields", ...scenario });
const names = (scenario) => ({ group: "schema_names", ...scenario });
const body = (t, local, extra = {}) => ({ name: "Alice", email: t.email(local), password: PASSWORD, ...extra });
const F = schemaNames("fields");
const N = schemaNames("names");
// Every field, with a nickname (a unique column) of the scenario's own: the group's servers
// live for the whole run.
const everyField = (t) => ({ ...VALID_VALUES.all, nickname: t.email("nick") });

// The Go side's own answer to a value it refuses by design (lib/schema-cases.mjs).
function checkRefusal(t, c, endpoint, res, what) {
  const go = goAnswer(c, endpoint);
  if (t.side !== "go" || SELF_TEST || go === "same") return;
  if (go === "refused") {
    const ok = res.status === 422 && res.data?.code === "FAILED_TO_CREATE_USER";
    t.check(ok, `${what}: Go's answer`, `want 422 FAILED_TO_CREATE_USER, got ${res.status} ${res.text.slice(0, 200)}`);
    return;
  }
  const ok = res.status === 400 && res.data?.code === "VALIDATION_ERROR" && String(res.data?.message).startsWith(`[body.${c.field}]`);
  t.check(ok, `${what}: Go's answer`, `want 400 VALIDATION_ERROR "[body.${c.field}] …", got ${res.status} ${res.text.slice(0, 200)}`);
}

function checkNode(t, c, endpoint, res, what) {
  if (t.side === "node") t.check(res.status === nodeStatus(c, endpoint), `${what}: Node's answer`, `Node answered ${res.status}, want ${nodeStatus(c, endpoint)}`);
}

const typeCases = TYPE_CASES.flatMap((c) => {
  const label = `${c.field} ${JSON.stringify(c.value)}`;
  return [
    fields({
      name: `schema fields: sign-up with ${label} (${c.why})`,
      async run(t) {
        const res = await t.request("POST", "/sign-up/email", { json: body(t, "alice", { tenantId: "t1", [c.field]: c.value }) });
        checkNode(t, c, "signUp", res, "sign-up");
        checkRefusal(t, c, "signUp", res, "sign-up");
      },
      expectDifference: caseDifferences(c, { endpoint: "signUp", step: /sign-up/, column: F.raw.col("user", c.field) }),
    }),
    fields({
      name: `schema fields: update-user with ${label} (${c.why})`,
      async run(t) {
        const { b } = await signedUp(t, "alice", { tenantId: "t1" });
        const res = await b.request("POST", "/update-user", { json: { [c.field]: c.value } });
        checkNode(t, c, "updateUser", res, "update-user");
        checkRefusal(t, c, "updateUser", res, "update-user");
      },
      expectDifference: caseDifferences(c, { endpoint: "updateUser", step: /update-user/, column: F.raw.col("user", c.field) }),
    }),
  ];
});

export default [
  // ---- additional fields (schemas/fields.json) ----
  fields({
    name: "schema fields: sign-up with every field, get-session and sign-in",
    async run(t) {
      const { b, user } = await signedUp(t, "alice", everyField(t));
      // returned: false keeps internalNote out of every answer, not out of the row.
      t.check(user && !("internalNote" in user) && user.tenantId === "t1", "sign-up answers the fields but internalNote", JSON.stringify(user));
      const { rows } = await t.sql(`select "internalNote" from "user" where email = $1`, [t.email("alice")]);
      t.check(rows[0]?.internalNote === VALID_VALUES.all.internalNote, "internalNote is stored", JSON.stringify(rows));
      await t.call("getSession", b.client.getSession());
      await b.request("GET", "/get-session?disableCookieCache=true");
      await t.call("signIn", t.browser().client.signIn.email({ email: t.email("alice"), password: PASSWORD }));
    },
  }),
  fields({
    name: "schema fields: sign-up with only the required field takes the defaults",
    async run(t) {
      const { b } = await signedUp(t, "alice", { tenantId: "t1" });
      await b.request("GET", "/get-session");
    },
  }),
  fields({
    name: "schema fields: values of every shape the types allow",
    async run(t) {
      for (const [local, values] of Object.entries(VALID_VALUES)) {
        if (local === "all") continue;
        await t.request("POST", "/sign-up/email", { json: body(t, local.toLowerCase(), values) });
      }
    },
  }),
  fields({
    name: "schema fields: the required field missing",
    async run(t) {
      await t.request("POST", "/sign-up/email", { json: body(t, "alice") });
      await t.request("POST", "/sign-up/email", { json: body(t, "bob", { plan: "pro", age: 3 }) });
      await t.call("client signUp", t.browser().client.signUp.email(body(t, "carol")));
    },
  }),
  fields({
    // input: false with a default: the sent value is replaced by the default on sign-up, and
    // refused when truthy on update-user; a falsy one is dropped.
    name: "schema fields: input:false field sent",
    async run(t) {
      await t.request("POST", "/sign-up/email", { json: body(t, "alice", { tenantId: "t1", role: "admin" }) });
      await t.request("POST", "/sign-up/email", { json: body(t, "bob", { tenantId: "t1", role: "no-such-role" }) });
      const { b } = await signedUp(t, "carol", { tenantId: "t1", role: "" });
      await b.request("POST", "/update-user", { json: { role: "admin" } });
      await b.request("POST", "/update-user", { json: { role: "admin", name: "Carol B" } });
      await b.request("POST", "/update-user", { json: { role: "" } });
      await b.request("POST", "/update-user", { json: { role: false, plan: "pro" } });
      await b.request("GET", "/get-session");
    },
  }),
  fields({
    // Keys that are not input fields (unknown, or core fields) are left out silently.
    name: "schema fields: unknown and core keys in the body",
    async run(t) {
      await t.request("POST", "/sign-up/email", {
        json: body(t, "alice", { tenantId: "t1", foo: "bar", id: "MyOwnIdMyOwnIdMyOwnIdMyOwnId0000", emailVerified: true, createdAt: "2000-01-01T00:00:00.000Z" }),
      });
      const { b } = await signedUp(t, "bob", { tenantId: "t1" });
      await b.request("POST", "/update-user", { json: { foo: "bar" } });
      await b.request("POST", "/update-user", { json: { foo: "bar", plan: "team" } });
      await b.request("POST", "/update-user", { json: { emailVerified: true, id: "x" } });
      await b.request("GET", "/get-session");
    },
  }),
  fields({
    name: "schema fields: a unique field taken",
    async run(t) {
      await signedUp(t, "alice", { tenantId: "t1", nickname: t.email("ally") });
      await t.request("POST", "/sign-up/email", { json: body(t, "bob", { tenantId: "t1", nickname: t.email("ally") }) });
      const { b } = await signedUp(t, "carol", { tenantId: "t1", nickname: t.email("carrie") });
      // Its own value again, then another user's (the database refuses it: an empty 500 upstream).
      await b.request("POST", "/update-user", { json: { nickname: t.email("carrie") } });
      await b.request("POST", "/update-user", { json: { nickname: t.email("ally") } });
    },
    expectDifference: [
      { step: /^#5 POST \/update-user/, field: /^status$/, why: "a unique value taken is refused, never a 500", check: (node, go) => (node === 500 && go >= 400 && go < 500) || "want Node 500, Go 4xx" },
      { step: /^#5 POST \/update-user/, field: /^(body|headers)\b/, why: "Node's 500 is empty", check: () => true },
    ],
  }),
  fields({
    name: "schema fields: update-user with fields, then read back",
    async run(t) {
      const { b } = await signedUp(t, "alice", { tenantId: "t1" });
      await t.call("updateUser", b.client.updateUser({ age: 7, tags: ["x"], prefs: { a: [1] }, birthday: "2020-02-02T00:00:00.000Z", visits: 12 }));
      await t.call("getSession", b.client.getSession());
      await b.request("POST", "/update-user", { json: { plan: null, newsletter: true, internalNote: "kept", nickname: t.email("al") } });
      await b.request("POST", "/update-user", { json: { tenantId: "t9", name: "Alice B", scores: [3, 4.5] } });
      await b.request("GET", "/get-session");
      await t.call("signIn", t.browser().client.signIn.email({ email: t.email("alice"), password: PASSWORD }));
    },
  }),
  fields({
    // Session and account fields: device (default "web") in get-session and list-sessions;
    // label (null) in list-accounts; the user's fields in change-password's answer.
    name: "schema fields: list-sessions, list-accounts and change-password",
    async run(t) {
      await signedUp(t, "alice", { tenantId: "t1" });
      const b = t.browser();
      await t.call("signIn", b.client.signIn.email({ email: t.email("alice"), password: PASSWORD }));
      await t.call("listSessions", b.client.listSessions());
      await t.call("listAccounts", b.client.listAccounts());
      await t.call("changePassword", b.client.changePassword({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD, revokeOtherSessions: true }));
      await t.call("listSessions after", b.client.listSessions());
    },
  }),
  fields({
    // update-session sets the session's own additional fields (device, default "web").
    name: "schema fields: update-session sets the session's field",
    async run(t) {
      const { b } = await signedUp(t, "alice", { tenantId: "t1" });
      await b.request("POST", "/update-session", { json: { device: "mobile" } });
      await t.call("getSession", b.client.getSession());
      await t.call("listSessions", b.client.listSessions());
      await b.request("POST", "/update-session", { json: { device: null, unknown: 1 } });
      await b.request("POST", "/update-session", { json: { unknown: 1 } });
      await b.request("POST", "/update-session", { json: {} });
      await b.request("GET", "/get-session?disableCookieCache=true");
    },
  }),
  ...typeCases,

  // ---- additional fields in the cookie cache (schema_fields_cache) ----
  {
    name: "schema fields (cookie cache): the cache carries the fields, get-session answers from it",
    group: "schema_fields_cache",
    async run(t) {
      const { b } = await signedUp(t, "alice", everyField(t));
      await t.call("getSession", b.client.getSession());
      await t.sql(`delete from ${F.table("session")} where ${F.col("session", "userId")} = (select id from ${F.table("user")} where email = $1)`, [t.email("alice")]);
      await t.call("getSession from the cache, the row deleted", b.client.getSession());
      await b.request("GET", "/get-session?disableCookieCache=true");
    },
  },
  {
    name: "schema fields (cookie cache): update-user rewrites the cache",
    group: "schema_fields_cache",
    async run(t) {
      const { b } = await signedUp(t, "alice", { tenantId: "t1" });
      await t.call("updateUser", b.client.updateUser({ age: 8, prefs: { b: 2 }, internalNote: "not cached" }));
      await t.call("getSession", b.client.getSession());
      await b.request("GET", "/get-session?disableCookieCache=true");
      await t.call("listSessions", b.client.listSessions());
    },
  },

  // ---- renamed tables and columns, UUID ids (schemas/names.json) ----
  names({
    name: "schema names: sign-up, get-session and sign-in with uuid ids",
    async run(t) {
      const { b, user } = await signedUp(t);
      t.check(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(user?.id ?? ""), "user id is a uuid", String(user?.id));
      await t.call("getSession", b.client.getSession());
      await t.call("signIn", t.browser().client.signIn.email({ email: t.email("alice"), password: PASSWORD }));
      await t.call("signIn wrong password", t.browser().client.signIn.email({ email: t.email("alice"), password: NEW_PASSWORD }));
      await t.call("signUp taken", t.browser().client.signUp.email(body(t, "alice")));
      const { rows } = await t.sql(`select ${N.col("account", "accountId")} as a, ${N.col("account", "password")} is not null as p from ${N.table("account")} where ${N.col("account", "userId")} = $1`, [user?.id ?? "00000000-0000-4000-8000-000000000000"]);
      t.record("credential account", rows);
    },
  }),
  names({
    name: "schema names: update-user and change-password",
    async run(t) {
      const { b } = await signedUp(t);
      await t.call("updateUser", b.client.updateUser({ name: "Alice B", image: "https://example.com/a.png" }));
      await t.call("getSession", b.client.getSession());
      await t.call("changePassword wrong", b.client.changePassword({ currentPassword: NEW_PASSWORD, newPassword: NEW_PASSWORD }));
      await t.call("changePassword", b.client.changePassword({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD, revokeOtherSessions: true }));
      await t.call("signIn new", t.browser().client.signIn.email({ email: t.email("alice"), password: NEW_PASSWORD }));
      await t.call("verifyPassword", b.request("POST", "/verify-password", { json: { password: NEW_PASSWORD } }).then((r) => ({ status: r.status, data: r.data })));
      await t.call("listAccounts", b.client.listAccounts());
    },
  }),
  names({
    name: "schema names: list and revoke sessions, sign out",
    async run(t) {
      const { b } = await signedUp(t);
      const other = t.browser();
      const { data } = await t.call("signIn other", other.client.signIn.email({ email: t.email("alice"), password: PASSWORD }));
      const third = t.browser();
      await t.call("signIn third", third.client.signIn.email({ email: t.email("alice"), password: PASSWORD, rememberMe: false }));
      await t.call("listSessions", b.client.listSessions());
      await t.call("revokeSession", b.client.revokeSession({ token: data?.token ?? "" }));
      await t.call("other getSession", other.client.getSession());
      await t.call("revokeOtherSessions", b.client.revokeOtherSessions());
      await t.call("third getSession", third.client.getSession());
      await t.call("signOut", b.client.signOut());
      await t.call("getSession signed out", b.client.getSession());
      const { b: again } = await signedIn(t, "bob");
      await t.call("revokeSessions", again.client.revokeSessions());
    },
  }),
  names({
    name: "schema names: expired and refreshed sessions in the renamed table",
    async run(t) {
      const { b, token } = await signedUp(t);
      const s = N.table("session");
      await t.sql(`update ${s} set ${N.col("session", "expiresAt")} = now() + interval '3 days', ${N.col("session", "updatedAt")} = now() - interval '4 days' where ${N.col("session", "token")} = $1`, [token]);
      await t.call("getSession refreshed", b.client.getSession());
      await t.sql(`update ${s} set ${N.col("session", "expiresAt")} = now() - interval '1 minute' where ${N.col("session", "token")} = $1`, [token]);
      await t.call("getSession expired", b.client.getSession());
    },
  }),
  {
    // The rate limiter's database storage in the renamed table (rate_limits.last_request).
    name: "schema names (rate limit): sign-in allows 3, then 429, counted in rate_limits",
    group: "schema_names_ratelimit",
    async run(t) {
      const h = { "x-forwarded-for": "198.51.110.1" };
      const got = [];
      for (let i = 0; i < 4; i++) got.push((await t.request("POST", "/sign-in/email", { json: { email: t.email("nobody"), password: PASSWORD }, headers: h })).status);
      t.check(got.join() === "401,401,401,429", "sign-in limit", got.join());
      const rl = (f) => N.col("rateLimit", f);
      const rows = async () => (await t.sql(`select id, ${rl("key")} as key, ${rl("count")} as count, ${rl("lastRequest")} as last from ${N.table("rateLimit")} where ${rl("key")} like '198.51.110.%' order by 2`)).rows
        .map((r) => ({ id: r.id, key: r.key, count: r.count, lastRequestRecent: Math.abs(Date.now() - Number(r.last)) < 60_000 }));
      t.record("rate_limits rows", await rows());
      // The window restarts once it has passed: the row is moved 10 s into the past.
      await t.sql(`update ${N.table("rateLimit")} set ${rl("lastRequest")} = ${rl("lastRequest")} - 10000 where ${rl("key")} = $1`, ["198.51.110.1|/sign-in/email"]);
      await t.request("POST", "/sign-in/email", { json: {}, headers: h });
      t.record("rate_limits rows after the window", await rows());
    },
  },
  {
    name: "schema names (mail): verification, password reset and deletion on the renamed tables",
    group: "schema_names_mail",
    async run(t) {
      const { b, user } = await signedUp(t);
      const verify = await mailTo(t, t.email("alice"), "sign-up mail");
      await follow(t, b, verify.url);
      await t.call("getSession verified", b.client.getSession());
      await t.call("requestPasswordReset", t.browser().client.requestPasswordReset({ email: t.email("alice"), redirectTo: "/reset" }));
      const reset = await mailTo(t, t.email("alice"), "reset mail");
      const token = reset.url ? new URL(reset.url).pathname.split("/").pop() : "";
      const v = (f) => N.col("verification", f);
      const row = async () => (await t.sql(`select id, ${v("identifier")} as identifier, ${v("value")} as value, ${v("expiresAt")} as expires from ${N.table("verification")} where ${v("value")} = $1`, [user?.id ?? ""])).rows;
      t.record("reset token row", await row());
      const page = t.browser();
      await follow(t, page, reset.url);
      await t.call("resetPassword", page.client.resetPassword({ newPassword: NEW_PASSWORD, token }));
      t.record("reset token row after the reset", await row());
      const again = t.browser();
      await t.call("signIn new", again.client.signIn.email({ email: t.email("alice"), password: NEW_PASSWORD }));
      await t.call("deleteUser", again.client.deleteUser({ password: NEW_PASSWORD }));
      await t.call("getSession deleted", b.client.getSession());
      const left = async (model) => (await t.sql(`select count(*)::int as n from ${N.table(model)} where ${N.col(model, "userId")} = $1`, [user?.id ?? "00000000-0000-4000-8000-000000000000"])).rows[0].n;
      t.record("sessions and accounts left", { sessions: await left("session"), accounts: await left("account") });
    },
  },
  ...takeoverScenarios("schema_fields", { tenantId: "t1", plan: "pro", age: 30, birthday: "1990-05-06T07:08:09.000Z", tags: ["x"], prefs: { k: [1] }, visits: 3, internalNote: "n" }),
  ...takeoverScenarios("schema_names", {}),
  dumpScenario("core"),
  dumpScenario("schema_fields"),
  dumpScenario("schema_names"),
];
