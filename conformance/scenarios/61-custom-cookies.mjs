// Better Auth's advanced.cookies: single cookies renamed and given attributes of their own
// (KERNIA_COOKIES on both sides, lib/groups.mjs CUSTOM_COOKIES). Every cookie is written and
// read under its resolved name; the default name is not read. The Set-Cookie lines are
// compared exactly, as everywhere.
//
//   cookies_renamed  session_token → acme_sid (SameSite=Strict, Domain=localhost),
//                    dont_remember → acme_forget (Max-Age=3600)
//   cookies_cache    session_data → acme_cache (compact, maxAge 600, SameSite=Strict), chunked
//   cookies_secure   https, cookiePrefix "acme", session_token → acme_sid: __Secure-acme_sid
//                    next to __Secure-acme.session_data and __Secure-acme.dont_remember
import { PASSWORD, signedIn, signedUp } from "../lib/steps.mjs";
import { sessionOf, signIn, signUp } from "../lib/takeover.mjs";

const renamed = (scenario) => ({ group: "cookies_renamed", ...scenario });

// A session due for a refresh: get-session extends it and sets the cookie again.
const dueForRefresh = (t, token) =>
  t.sql(`update "session" set "expiresAt" = now() + interval '3 days', "updatedAt" = now() - interval '4 days' where "token" = $1`, [token]);

export default [
  renamed({
    name: "custom cookies: renamed session token through sign-up, get-session, refresh and sign-out",
    async run(t) {
      const { b, token } = await signedUp(t);
      t.check(b.jar.get("acme_sid"), "sign-up set acme_sid");
      await t.call("getSession", b.client.getSession());
      await dueForRefresh(t, token);
      await t.call("getSession refreshed", b.client.getSession());
      await t.call("signOut", b.client.signOut());
    },
  }),
  renamed({
    name: "custom cookies: sign-in with and without rememberMe, renamed dont_remember",
    async run(t) {
      const { b: alice } = await signedIn(t, "alice");
      await t.call("getSession alice", alice.client.getSession());
      const { b: bob, token } = await signedIn(t, "bob", { rememberMe: false });
      t.check(bob.jar.get("acme_forget"), "sign-in without rememberMe set acme_forget");
      await dueForRefresh(t, token);
      await t.call("getSession bob refreshed, still not remembered", bob.client.getSession());
      await t.call("signOut bob", bob.client.signOut());
    },
  }),
  renamed({
    name: "custom cookies: only the renamed session cookie is read",
    async run(t) {
      const { token } = await signedIn(t);
      for (const name of ["better-auth.session_token", "__Secure-acme_sid", "acme_sid"]) {
        await t.request("GET", "/get-session", { headers: { cookie: `${name}=${t.signed(token)}` } });
      }
      await t.request("POST", "/sign-out", { headers: { cookie: `better-auth.session_token=${t.signed(token)}` }, json: {} });
    },
  }),
  {
    name: "custom cookies: renamed cache set, served, chunked and expired",
    group: "cookies_cache",
    async run(t) {
      const { b } = await signedIn(t);
      t.check(b.jar.get("acme_cache"), "sign-in set acme_cache");
      await t.sql(`delete from "session" where "userId" = (select "id" from "user" where "email" = $1)`, [t.email("alice")]);
      await t.call("getSession from the renamed cache, the row deleted", b.client.getSession());
      // The same cache under the default name is no cache.
      const other = t.browser();
      other.jar.set("better-auth.session_token", b.jar.get("better-auth.session_token"));
      other.jar.set("better-auth.session_data", b.jar.get("acme_cache"));
      await t.call("getSession with the cache under the default name", other.client.getSession());

      const { b: big } = await signedUp(t, "ada", { name: "Ada Lovelace ".repeat(400), image: `https://example.com/${"i".repeat(900)}.png` });
      t.check(big.jar.get("acme_cache.1"), "the renamed cache was chunked");
      await t.call("getSession from the chunks", big.client.getSession());
      await t.call("signOut expires the chunks", big.client.signOut());
    },
  },
  {
    name: "custom cookies (https): a custom name with cookiePrefix and Secure cookies",
    group: "cookies_secure",
    async run(t) {
      const { b, token } = await signedIn(t, "alice", { rememberMe: false });
      t.check(b.jar.get("__Secure-acme_sid") && b.jar.get("__Secure-acme.dont_remember"), "__Secure-acme_sid and __Secure-acme.dont_remember set");
      await t.call("getSession", b.client.getSession());
      for (const name of ["acme_sid", "__Secure-acme.session_token", "__Secure-acme_sid"]) {
        await t.request("GET", "/get-session", { headers: { cookie: `${name}=${t.signed(token)}` } });
      }
      await t.call("signOut", b.client.signOut());
    },
  },
  // Takeover of a deployment with a renamed session cookie, both ways: the browsers keep
  // their sessions (the renamed cookie is read as it is and nothing is re-set), and a
  // session the new server issues works on the old one.
  ...[["node", "go"], ["go", "node"]].map(([from, to]) => ({
    name: `custom cookies: takeover of the renamed cookie, ${to === "go" ? "Go" : "Node"} after ${from === "go" ? "Go" : "Node"}`,
    kind: "custom",
    async run(h) {
      const db = await h.database("shared");
      const groupName = "cookies_renamed";
      const start = (side) => (side === "go" ? h.startGo({ databaseURL: db, groupName }) : h.startNode({ databaseURL: db, groupName }));
      const old = await start(from);
      const remembered = h.browser(old);
      await signUp(remembered, h.email("alice"));
      await signUp(h.browser(old), h.email("bob"));
      const forgetful = h.browser(old);
      await signIn(forgetful, h.email("bob"), { rememberMe: false });
      const seen = { alice: await sessionOf(remembered), bob: await sessionOf(forgetful) };
      h.check(remembered.jar.get("acme_sid") && forgetful.jar.get("acme_forget") && seen.alice.data?.session && seen.bob.data?.session, {
        side: from, step: "setup", field: "acme_sid, acme_forget and the sessions", node: seen, go: seen,
      });

      const next = await start(to);
      for (const [name, browser] of Object.entries({ alice: remembered, bob: forgetful })) {
        const got = await sessionOf(browser.on(next));
        h.equal(seen[name].data, got.data, { side: to, step: `${to} get-session with the ${from} cookie (${name})`, field: "body" });
        h.equal([], got.setCookie, { side: to, step: `${to} get-session with the ${from} cookie (${name})`, field: "set-cookie" });
      }
      const fresh = h.browser(next);
      const r = await signIn(fresh, h.email("alice"), { password: PASSWORD });
      h.check(r.status === 200 && fresh.jar.get("acme_sid") && !fresh.jar.get("better-auth.session_token"), {
        side: to, step: `${to} sign-in`, field: "status, acme_sid", node: 200, go: `${r.status} ${fresh.jar.names()}`,
      });
      const back = await sessionOf(fresh.on(old));
      h.equal(seen.alice.data?.user, back.data?.user, { side: from, step: `${from} get-session with the ${to} cookie`, field: "body.user" });
    },
  })),
  {
    // Deliberate difference: upstream quietly adds Secure to a SameSite=None cookie (even over
    // http, where browsers then drop it); the Go server refuses to start and names the field.
    name: "custom cookies: SameSite=None without Secure is refused at start, naming the field",
    kind: "custom",
    async run(h) {
      const db = await h.database("refused");
      const node = await h.startNode({ databaseURL: db, groupName: "cookies_refused" });
      const r = await signUp(h.browser(node), h.email("alice"));
      const line = r.headers.getSetCookie().find((l) => l.startsWith("better-auth.session_token=")) ?? "";
      h.check(line.endsWith("; Path=/; HttpOnly; Secure; SameSite=None"), {
        side: "node", step: "Node sign-up", field: "set-cookie", node: line, go: "(upstream adds Secure)",
      });
      let error = "";
      try {
        await h.startGo({ databaseURL: db, groupName: "cookies_refused" });
      } catch (err) {
        error = String(err?.message ?? err);
      }
      // The log line quotes the message, so its own quotes may come escaped.
      const want = 'Config.Cookies.Overrides["session_token"].SameSite: none needs Secure';
      h.check(error.replaceAll('\\"', '"').includes(want), { side: "go", step: "Go start", field: "refusal", node: want, go: error.slice(0, 400) || "started" });
    },
  },
];
