// Adoption (DESIGN.md §4.3): a database created and used by an older Better Auth is
// taken over by the Go server. Its migrations adopt the schema with no row lost, old
// users sign in, old browser sessions stay valid, new sign-ups work, and the result is
// a database the pinned Better Auth is content with too.
//
// Layouts: 1.6.x, and 1.7.0–1.7.2 whose NOT NULL account.issuer 1.7.3+ never writes
// (PROTOCOL.md §0): it has to be relaxed (dropped, nullable or defaulted).
import { LEGACY_1_6, LEGACY_1_7_1 } from "../lib/config.mjs";
import { allCoreRows } from "../lib/db.mjs";
import { checkNoRowLost, columnNullable, schemaGaps, sessionOf, signIn, signUp } from "../lib/takeover.mjs";

function adoption(label, pkg, { legacyIssuer }) {
  return {
    name: `adoption: Better Auth ${label} database`,
    kind: "custom",
    async run(h) {
      const db = await h.database("legacy");
      const pool = h.pool(db);
      const old = await h.startNode({ databaseURL: db, pkg, tag: "old" });

      // Life on the old version: three users, one signed in twice (once without
      // rememberMe), one signed out again.
      const alice = h.browser(old);
      await signUp(alice, h.email("alice"));
      await signUp(h.browser(old), h.email("bob"), { image: "https://example.com/bob.png" });
      const bob = h.browser(old);
      await signIn(bob, h.email("bob"), { rememberMe: false });
      const carol = h.browser(old);
      await signUp(carol, h.email("carol"));
      await carol.request("POST", "/sign-out", { json: {} });
      const seen = { alice: await sessionOf(alice), bob: await sessionOf(bob) };
      h.check(seen.alice.data?.session && seen.bob.data?.session, { side: "node", step: "setup", field: `sessions on ${label}`, node: seen, go: "" });
      if (legacyIssuer) {
        const { rows } = await pool.query(`select count(*)::int as n from "account" where "issuer" = 'local:credential'`);
        h.check(rows[0].n === 3, { side: "node", step: "setup", field: "account.issuer written by 1.7.0–1.7.2", node: rows[0].n, go: 3 });
      }

      const before = await allCoreRows(pool);
      await old.stop();
      const go = await h.startGo({ databaseURL: db });

      checkNoRowLost(h, before, await allCoreRows(pool), {
        step: `Go migrations on a ${label} database`,
        mayDrop: legacyIssuer ? { account: ["issuer"] } : {},
      });
      if (legacyIssuer) {
        const issuer = await columnNullable(db, "account", "issuer");
        h.check(issuer !== false, { step: "schema after Go migrations", field: "account.issuer", node: "nullable or dropped", go: "NOT NULL" });
      }

      // Browser sessions from the old version, and its password hashes.
      for (const [name, browser] of Object.entries({ alice, bob })) {
        const got = await sessionOf(browser.on(go));
        h.equal(seen[name].data, got.data, { step: `Go get-session with ${label} cookie (${name})`, field: "body" });
      }
      for (const name of ["alice", "bob", "carol"]) {
        const r = await signIn(h.browser(go), h.email(name));
        h.check(r.status === 200, { step: `Go sign-in of ${label} user ${name}`, field: "status", node: 200, go: `${r.status} ${r.text}` });
      }

      // New users on the adopted database.
      const dave = h.browser(go);
      const r = await signUp(dave, h.email("dave"));
      h.check(r.status === 200, { step: `Go sign-up on the adopted ${label} database`, field: "status", node: 200, go: `${r.status} ${r.text}` });
      const again = await signIn(h.browser(go), h.email("dave"));
      h.check(again.status === 200, { step: "Go sign-in of the new user", field: "status", node: 200, go: `${again.status} ${again.text}` });

      // The adopted database is one the pinned Better Auth accepts as it is.
      const gaps = await schemaGaps(db);
      h.check(gaps.length === 0, { step: "Better Auth 1.7.25 migration plan after adoption", field: "changes", node: "(none)", go: gaps });
      const pinned = await h.startNode({ databaseURL: db, tag: "pinned" });
      const viaPinned = await sessionOf(dave.on(pinned));
      h.check(viaPinned.data?.user?.email === h.email("dave"), { side: "node", step: "pinned Node get-session with Go cookie", field: "user.email", node: viaPinned.data?.user?.email, go: h.email("dave") });
      const old1 = await signIn(h.browser(pinned), h.email("alice"));
      h.check(old1.status === 200, { side: "node", step: `pinned Node sign-in of ${label} user`, field: "status", node: `${old1.status} ${old1.text}`, go: 200 });
    },
  };
}

export default [
  adoption("1.6.34", LEGACY_1_6, { legacyIssuer: false }),
  adoption("1.7.1", LEGACY_1_7_1, { legacyIssuer: true }),
];
