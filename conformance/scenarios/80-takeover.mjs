// Database takeover (DESIGN.md §4.3): the Go server on a database that Node Better Auth
// has been running, and Node Better Auth on one the Go server created. Users keep their
// passwords and browsers keep their sessions, in both directions.
import { allCoreRows } from "../lib/db.mjs";
import { checkNoRowLost, schemaGaps, sessionOf, signIn, signUp } from "../lib/takeover.mjs";

export default [
  {
    name: "takeover: Go server on a Node database",
    kind: "custom",
    async run(h) {
      const db = await h.database("shared");
      const node = await h.startNode({ databaseURL: db });
      const pool = h.pool(db);

      // Node's users: alice remembered, bob signed in with rememberMe false.
      const alice = h.browser(node);
      await signUp(alice, h.email("alice"));
      await signUp(h.browser(node), h.email("bob"));
      const bob = h.browser(node);
      await signIn(bob, h.email("bob"), { rememberMe: false });
      const seen = { alice: await sessionOf(alice), bob: await sessionOf(bob) };
      h.check(seen.alice.data?.session && seen.bob.data?.session, { side: "node", step: "setup", field: "Node sessions", node: seen, go: "" });

      const before = await allCoreRows(pool);
      const go = await h.startGo({ databaseURL: db });
      checkNoRowLost(h, before, await allCoreRows(pool), { step: "Go migrations on a Node database" });

      // The Node-issued cookies are accepted as they are: same session, nothing re-set.
      for (const [name, browser] of Object.entries({ alice, bob })) {
        const got = await sessionOf(browser.on(go));
        h.equal(seen[name].data, got.data, { step: `Go get-session with Node cookie (${name})`, field: "body" });
        h.equal([], got.setCookie, { step: `Go get-session with Node cookie (${name})`, field: "set-cookie" });
      }

      // Passwords hashed by Node verify on Go, and the cookie Go then issues works on Node.
      for (const name of ["alice", "bob"]) {
        const fresh = h.browser(go);
        const r = await signIn(fresh, h.email(name));
        h.check(r.status === 200 && r.data?.user?.id === seen[name].data?.user?.id, {
          step: `Go sign-in of Node user ${name}`, field: "status, user.id", node: seen[name].data?.user?.id, go: `${r.status} ${r.data?.user?.id ?? r.text}`,
        });
        const onGo = await sessionOf(fresh);
        const onNode = await sessionOf(fresh.on(node));
        h.equal(onNode.data, onGo.data, { side: "node", step: `Node get-session with the Go cookie of ${name}`, field: "body" });
      }
      const wrong = await signIn(h.browser(go), h.email("alice"), { password: "not-the-password" });
      h.check(wrong.status === 401, { step: "Go sign-in with a wrong password", field: "status", node: 401, go: wrong.status });

      // Node keeps working on the database after the Go migrations ran.
      h.equal(seen.alice.data, (await sessionOf(alice)).data, { side: "node", step: "Node get-session after Go migrations", field: "body" });
      const carol = h.browser(go);
      const r = await signUp(carol, h.email("carol"));
      h.check(r.status === 200, { step: "Go sign-up on the Node database", field: "status", node: 200, go: `${r.status} ${r.text}` });
      const back = await signIn(h.browser(node), h.email("carol"));
      h.check(back.status === 200, { side: "node", step: "Node sign-in of a Go user", field: "status", node: `${back.status} ${back.text}`, go: 200 });
    },
  },
  {
    name: "takeover: Node server on a Go database",
    kind: "custom",
    async run(h) {
      const db = await h.database("shared");
      const go = await h.startGo({ databaseURL: db });

      // The schema the Go migrations create is complete for Better Auth 1.7.25.
      const gaps = await schemaGaps(db);
      h.check(gaps.length === 0, { step: "Better Auth migration plan on the Go schema", field: "changes", node: "(none)", go: gaps });

      const node = await h.startNode({ databaseURL: db });
      const carol = h.browser(go);
      await signUp(carol, h.email("carol"));
      await signUp(h.browser(go), h.email("dave"));
      const dave = h.browser(go);
      await signIn(dave, h.email("dave"), { rememberMe: false });
      const seen = { carol: await sessionOf(carol), dave: await sessionOf(dave) };
      h.check(seen.carol.data?.session && seen.dave.data?.session, { step: "setup", field: "Go sessions", node: "", go: seen });

      // Go-issued cookies are accepted by Node as they are.
      for (const [name, browser] of Object.entries({ carol, dave })) {
        const got = await sessionOf(browser.on(node));
        h.equal(got.data, seen[name].data, { step: `Node get-session with Go cookie (${name})`, field: "body" });
        h.equal(got.setCookie, [], { step: `Node get-session with Go cookie (${name})`, field: "set-cookie" });
      }

      // Passwords hashed by Go verify on Node.
      const r = await signIn(h.browser(node), h.email("carol"));
      h.check(r.status === 200 && r.data?.user?.id === seen.carol.data?.user?.id, {
        step: "Node sign-in of Go user carol", field: "status, user.id", node: `${r.status} ${r.data?.user?.id ?? r.text}`, go: seen.carol.data?.user?.id,
      });

      // Node signs the Go session out; Go no longer knows it.
      const out = await carol.on(node).request("POST", "/sign-out", { json: {} });
      h.check(out.status === 200, { side: "node", step: "Node sign-out with Go cookie", field: "status", node: out.status, go: 200 });
      const gone = await h.browser(go).request("GET", "/get-session", { headers: { cookie: `better-auth.session_token=${h.signed(seen.carol.data?.session?.token ?? "")}` } });
      h.check(gone.status === 200 && gone.data === null, { step: "Go get-session after Node sign-out", field: "body", node: null, go: gone.text });
    },
  },
];
