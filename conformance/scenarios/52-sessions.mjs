// Session management: list-sessions, revoke-session(s), revoke-other-sessions, update-session
// (PROTOCOL.md §2.6; 1.7.25 wins where they differ).
import { UNTRUSTED_ORIGIN } from "../lib/config.mjs";
import { PASSWORD, signedIn, signedUp } from "../lib/steps.mjs";

// Another browser of the same user, signed in. Returns { b, token }.
async function secondDevice(t, local = "alice") {
  const b = t.browser();
  const { data } = await t.call(`signIn ${local} again`, b.client.signIn.email({ email: t.email(local), password: PASSWORD }));
  return { b, token: data?.token };
}

const age = (t, token, interval) =>
  t.sql(`update "session" set "createdAt" = now() - $2::interval where "token" = $1`, [token, interval]);

export default [
  {
    name: "list-sessions: every live session of the user",
    async run(t) {
      const { b } = await signedUp(t);
      await secondDevice(t);
      await signedUp(t, "bob", { name: "Bob" });
      await t.call("listSessions", b.client.listSessions());
    },
  },
  {
    name: "list-sessions: expired sessions are left out",
    async run(t) {
      const { b } = await signedUp(t);
      const other = await secondDevice(t);
      await t.sql(`update "session" set "expiresAt" = now() - interval '1 minute' where "token" = $1`, [other.token]);
      await t.call("listSessions", b.client.listSessions());
    },
  },
  {
    name: "list-sessions: without a session",
    async run(t) {
      await t.call("listSessions", t.browser().client.listSessions());
      await t.request("GET", "/list-sessions", { headers: { cookie: `${t.cookieName("session_token")}=forged.value` } });
    },
  },
  {
    name: "list-sessions: a stale session is refused",
    async run(t) {
      const { b, token } = await signedUp(t);
      await age(t, token, "2 days");
      await t.call("listSessions stale", b.client.listSessions());
      await age(t, token, "23 hours");
      await t.call("listSessions fresh enough", b.client.listSessions());
    },
  },
  {
    name: "list-sessions: a session due for refresh is extended",
    async run(t) {
      const { b, token } = await signedUp(t);
      await t.sql(`update "session" set "expiresAt" = now() + interval '5 days', "updatedAt" = now() - interval '2 days' where "token" = $1`, [token]);
      await t.call("listSessions", b.client.listSessions());
    },
  },
  {
    name: "revoke-session: another of the user's sessions",
    async run(t) {
      const { b } = await signedUp(t);
      const other = await secondDevice(t);
      await t.call("revokeSession", b.client.revokeSession({ token: other.token }));
      await t.call("other getSession", other.b.client.getSession());
      await t.call("own getSession", b.client.getSession());
    },
  },
  {
    name: "revoke-session: the current session expires the cookies",
    async run(t) {
      const { b, token } = await signedUp(t);
      await t.call("revokeSession", b.client.revokeSession({ token }));
      await t.call("getSession", b.client.getSession());
    },
  },
  {
    name: "revoke-session: another user's token is left alone",
    async run(t) {
      const { b } = await signedUp(t);
      const bob = await signedUp(t, "bob", { name: "Bob" });
      await t.call("revokeSession", b.client.revokeSession({ token: bob.token }));
      await t.call("bob getSession", bob.b.client.getSession());
      await t.call("revokeSession unknown", b.client.revokeSession({ token: "UnknownToken0000000000000000000x" }));
    },
  },
  {
    name: "revoke-session: bad bodies",
    async run(t) {
      const { b } = await signedUp(t);
      await b.request("POST", "/revoke-session", { json: {} });
      await b.request("POST", "/revoke-session", { json: { token: 42 } });
      await b.request("POST", "/revoke-session", { json: { token: null } });
      await b.request("POST", "/revoke-session", { json: ["token"] });
      await b.request("POST", "/revoke-session", { body: "{bad", headers: { "content-type": "application/json" } });
      await b.request("POST", "/revoke-session", { body: "token=x", headers: { "content-type": "application/x-www-form-urlencoded" } });
      await t.request("POST", "/revoke-session", { json: { token: "x" } });
      await t.request("POST", "/revoke-session", { json: {} });
    },
  },
  {
    name: "revoke-session: untrusted origin",
    async run(t) {
      const { b, token } = await signedUp(t);
      await b.request("POST", "/revoke-session", { json: { token }, headers: { origin: UNTRUSTED_ORIGIN } });
      await b.request("POST", "/revoke-session", { json: { token }, noOrigin: true });
      await t.call("getSession still signed in", b.client.getSession());
    },
  },
  {
    name: "revoke-sessions: every session, the current one too",
    async run(t) {
      const { b } = await signedUp(t);
      const other = await secondDevice(t);
      const bob = await signedUp(t, "bob", { name: "Bob" });
      await t.call("revokeSessions", b.client.revokeSessions());
      await t.call("getSession", b.client.getSession());
      await t.call("other getSession", other.b.client.getSession());
      await t.call("bob getSession", bob.b.client.getSession());
      await t.call("revokeSessions signed out", b.client.revokeSessions());
    },
  },
  {
    name: "revoke-other-sessions: keeps the current one",
    async run(t) {
      const { b } = await signedUp(t);
      const other = await secondDevice(t);
      const third = await secondDevice(t);
      await t.sql(`update "session" set "expiresAt" = now() - interval '1 minute' where "token" = $1`, [third.token]);
      await t.call("revokeOtherSessions", b.client.revokeOtherSessions());
      await t.call("getSession", b.client.getSession());
      await t.call("other getSession", other.b.client.getSession());
      await t.call("revokeOtherSessions signed out", t.browser().client.revokeOtherSessions());
    },
  },
  {
    name: "revoke: a stale session may still revoke",
    async run(t) {
      const { b, token } = await signedUp(t);
      const other = await secondDevice(t);
      await age(t, token, "3 days");
      await t.call("revokeSession", b.client.revokeSession({ token: other.token }));
      await t.call("revokeOtherSessions", b.client.revokeOtherSessions());
    },
  },
  {
    name: "update-session: nothing to update",
    async run(t) {
      const { b } = await signedUp(t);
      await t.call("updateSession", b.client.updateSession({ ipAddress: "1.2.3.4" }));
      await b.request("POST", "/update-session", { json: {} });
      await b.request("POST", "/update-session", { json: [] });
      await b.request("POST", "/update-session", { json: "x" });
      await b.request("POST", "/update-session", { json: null });
      await t.request("POST", "/update-session", { json: { a: 1 } });
      await t.request("POST", "/update-session", { json: [] });
    },
  },
];
