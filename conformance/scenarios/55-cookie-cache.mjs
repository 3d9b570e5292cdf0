// The cookie cache, session_data (PROTOCOL.md §4.5), with each strategy: where it is set,
// when get-session answers from it, when it falls back to the database, chunking, and caches
// that one server set and the other reads.
//
// That an answer came from the cache is proven by deleting the session row: the cached
// session still comes back, and with disableCookieCache it does not.
import { SECRET } from "../lib/config.mjs";
import { encodeCache } from "../lib/cookie-cache.mjs";
import { PASSWORD, signedIn, signedUp } from "../lib/steps.mjs";
import { sessionOf, signUp } from "../lib/takeover.mjs";

const STRATEGIES = ["compact", "jwt", "jwe"];
const ANOTHER_SECRET = "not-the-secret-not-the-secret-00";

const deleteSessions = (t, email) =>
  t.sql(`delete from "session" where "userId" = (select "id" from "user" where "email" = $1)`, [email]);

// One character in the middle of a value changed.
function tamper(v) {
  const i = Math.floor(v.length / 2);
  return v.slice(0, i) + (v[i] === "A" ? "B" : "A") + v.slice(i + 1);
}

const perStrategy = (strategy) => {
  const group = `cache_${strategy}`;
  return [
    {
      name: `cookie cache (${strategy}): sign-in sets it and get-session answers from it`,
      group,
      async run(t) {
        const { b } = await signedIn(t);
        t.check(b.jar.get(t.cookieName("session_data")), "sign-in set session_data");
        await t.call("getSession", b.client.getSession());
        await deleteSessions(t, t.email("alice"));
        await t.call("getSession from the cache, the row deleted", b.client.getSession());
        await b.request("GET", "/get-session?disableCookieCache=true");
        await t.call("getSession after the database said no", b.client.getSession());
      },
    },
    {
      name: `cookie cache (${strategy}): a cache that does not hold falls back to the database`,
      group,
      async run(t) {
        const { b } = await signedIn(t);
        const { b: bob } = await signedIn(t, "bob");
        const { data } = await t.call("getSession", b.client.getSession());
        // The database answer differs from every cached one.
        await t.sql(`update "user" set "name" = 'From the database' where "email" = $1`, [t.email("alice")]);
        const good = b.jar.get(t.cookieName("session_data"));
        const payload = { session: data?.session, user: data?.user, updatedAt: Date.now(), version: "1" };
        const past = new Date(Date.now() - 60_000).toISOString();
        const caches = {
          "signed with another secret": encodeCache(strategy, payload, ANOTHER_SECRET),
          "version 2": encodeCache(strategy, { ...payload, version: "2" }, SECRET),
          "another session's cache": bob.jar.get(t.cookieName("session_data")),
          "the cache expired": encodeCache(strategy, payload, SECRET, { now: Date.now() - 10 * 60_000 }),
          "the session in it expired": encodeCache(strategy, { ...payload, session: { ...payload.session, expiresAt: past } }, SECRET),
          tampered: tamper(good),
          garbage: "garbage",
          // Crafted here in Better Auth's format with the run's secret: read by both.
          "valid, crafted": encodeCache(strategy, payload, SECRET),
        };
        const token = `${t.cookieName("session_token")}=${b.jar.get(t.cookieName("session_token"))}`;
        for (const [what, value] of Object.entries(caches)) {
          const r = await t.request("GET", "/get-session", { headers: { cookie: `${token}; ${t.cookieName("session_data")}=${value}` } });
          t.record(what, r.data?.user?.name ?? null);
        }
      },
    },
    {
      name: `cookie cache (${strategy}): rememberMe false`,
      group,
      async run(t) {
        const { b } = await signedIn(t, "alice", { rememberMe: false });
        await deleteSessions(t, t.email("alice"));
        await t.call("getSession from the cache", b.client.getSession());
      },
    },
    {
      name: `cookie cache (${strategy}): sign-out clears it`,
      group,
      async run(t) {
        const { b } = await signedIn(t);
        await t.call("signOut", b.client.signOut());
        await t.call("getSession", b.client.getSession());
      },
    },
    {
      name: `cookie cache (${strategy}): a large user is chunked`,
      group,
      async run(t) {
        const { b } = await signedUp(t, "alice", { name: "Ada Lovelace ".repeat(400), image: `https://example.com/${"i".repeat(900)}.png` });
        t.check(b.jar.get(t.cookieName("session_data.1")), "the cache was chunked");
        await deleteSessions(t, t.email("alice"));
        await t.call("getSession from the chunks", b.client.getSession());
        // A small cache replaces the chunks.
        const small = t.browser();
        small.jar.set(t.cookieName("session_data.0"), "stale");
        small.jar.set(t.cookieName("session_data.1"), "stale");
        await t.call("signUp bob", small.client.signUp.email({ name: "Bob", email: t.email("bob"), password: PASSWORD }));
        await t.call("signOut", b.client.signOut());
      },
    },
  ];
};

export default [
  ...STRATEGIES.flatMap(perStrategy),
  {
    // KERNIA_COOKIE_CACHE_MAX_AGE=5: the cache is read for 5 seconds, then the database again.
    name: "cookie cache: maxAge passes, and the database is read and the cache set again",
    group: "cache_short",
    async run(t) {
      const { b } = await signedIn(t);
      await t.sql(`update "user" set "name" = 'Changed' where "email" = $1`, [t.email("alice")]);
      await t.call("getSession from the cache", b.client.getSession());
      await new Promise((r) => setTimeout(r, 5500));
      await t.call("getSession from the database", b.client.getSession());
      // Due for a refresh: the session cookie is set again, and the cache with it.
      await t.sql(`update "session" set "expiresAt" = now() + interval '5 days', "updatedAt" = now() - interval '2 days'`);
      await t.sql(`update "user" set "name" = 'Changed again' where "email" = $1`, [t.email("alice")]);
      await new Promise((r) => setTimeout(r, 5500));
      await t.call("getSession refreshed", b.client.getSession());
    },
  },
  ...STRATEGIES.map((strategy) => ({
    name: `cookie cache (${strategy}): a cache that Node set is read by Go, and the reverse`,
    kind: "custom",
    async run(h) {
      const db = await h.database("shared");
      const groupName = `cache_${strategy}`;
      const node = await h.startNode({ databaseURL: db, groupName });
      const go = await h.startGo({ databaseURL: db, groupName });
      const pool = h.pool(db);
      for (const [from, to] of [[node, go], [go, node]]) {
        const b = h.browser(from);
        const r = await signUp(b, h.email(`${from.side}-user`));
        const seen = await sessionOf(b);
        h.check(r.status === 200 && b.jar.get("better-auth.session_data") && seen.data?.session, {
          side: from.side, step: `${from.side} sign-up`, field: "session_data", node: "", go: `${r.status} ${r.text}`,
        });
        // Only the cache can answer now.
        await pool.query(`delete from "session" where "userId" = $1`, [seen.data?.user?.id]);
        const step = `${to.side} get-session with the cache ${from.side} set, its row deleted`;
        const got = await sessionOf(b.on(to));
        h.equal(seen.data, got.data, { side: to.side, step, field: "body" });
        h.equal([], got.setCookie, { side: to.side, step, field: "set-cookie" });
      }
    },
  })),
];
