// The multi-session plugin (PROTOCOL.md §6; DESIGN.md §4 for its one cookie).
import { PASSWORD, signedUp } from "../lib/steps.mjs";
import { signIn, signUp } from "../lib/takeover.mjs";

// DESIGN.md §4: the Go side keeps the browser's sessions in one signed session_list cookie;
// Node sets one …session_token_multi-<token> cookie per session. Everything else is the same.
const listCookie = {
  step: /./,
  field: /^cookies/,
  why: "one signed session_list cookie instead of one _multi- cookie per session",
  check: (node, go) =>
    ((node === undefined || /_multi-/.test(String(node))) && (go === undefined || /\.session_list=/.test(String(go)))) ||
    "Node's lines should be _multi- cookies and Go's the session_list",
};

// Signs up alice, bob (and more) in throw-away browsers, then signs each in, in order, in
// one browser; returns that browser and each user's session token.
async function browserWith(t, ...locals) {
  for (const local of locals) await signedUp(t, local);
  const b = t.browser();
  const tokens = {};
  for (const local of locals) {
    const { data } = await t.call(`signIn ${local}`, b.client.signIn.email({ email: t.email(local), password: PASSWORD }));
    tokens[local] = data?.token;
  }
  return { b, tokens };
}

const scenarios = [
  {
    name: "multi-session: list device sessions",
    group: "multi",
    async run(t) {
      const { b } = await browserWith(t, "alice", "bob");
      await t.call("listDeviceSessions", b.client.multiSession.listDeviceSessions());
      await t.call("getSession", b.client.getSession());
    },
    expectDifference: [listCookie],
  },
  {
    name: "multi-session: no cookies, no device sessions",
    group: "multi",
    run: (t) => t.call("listDeviceSessions", t.browser().client.multiSession.listDeviceSessions()),
  },
  {
    name: "multi-session: set-active switches the session",
    group: "multi",
    async run(t) {
      const { b, tokens } = await browserWith(t, "alice", "bob");
      await t.call("setActive", b.client.multiSession.setActive({ sessionToken: tokens.alice }));
      await t.call("getSession", b.client.getSession());
    },
    expectDifference: [listCookie],
  },
  {
    name: "multi-session: revoke a session that is not active",
    group: "multi",
    async run(t) {
      const { b, tokens } = await browserWith(t, "alice", "bob");
      await t.call("revoke", b.client.multiSession.revoke({ sessionToken: tokens.alice }));
      await t.call("listDeviceSessions", b.client.multiSession.listDeviceSessions());
      await t.call("getSession", b.client.getSession());
    },
    expectDifference: [listCookie],
  },
  {
    name: "multi-session: revoke the active session",
    group: "multi",
    async run(t) {
      const { b, tokens } = await browserWith(t, "alice", "bob");
      await t.call("revoke", b.client.multiSession.revoke({ sessionToken: tokens.bob }));
      await t.call("getSession", b.client.getSession());
      await t.call("listDeviceSessions", b.client.multiSession.listDeviceSessions());
    },
    expectDifference: [listCookie],
  },
  {
    name: "multi-session: sign-out ends every device session",
    group: "multi",
    async run(t) {
      const { b } = await browserWith(t, "alice", "bob", "carol");
      await t.call("signOut", b.client.signOut());
      await t.call("listDeviceSessions", b.client.multiSession.listDeviceSessions());
      await t.call("getSession", b.client.getSession());
    },
    expectDifference: [listCookie],
  },
  {
    name: "multi-session: signing in again replaces the user's session",
    group: "multi",
    async run(t) {
      const { b } = await browserWith(t, "alice", "bob");
      await t.call("signIn alice again", b.client.signIn.email({ email: t.email("alice"), password: PASSWORD }));
      await t.call("listDeviceSessions", b.client.multiSession.listDeviceSessions());
    },
    expectDifference: [listCookie],
  },
  {
    name: "multi-session: maximumSessions",
    group: "multi_max2",
    async run(t) {
      const { b } = await browserWith(t, "alice", "bob", "carol");
      await t.call("listDeviceSessions", b.client.multiSession.listDeviceSessions());
      await t.call("getSession", b.client.getSession());
    },
    expectDifference: [listCookie],
  },
  {
    name: "multi-session: a session the browser does not hold",
    group: "multi",
    async run(t) {
      const { b } = await browserWith(t, "alice");
      const { tokens } = await browserWith(t, "bob");
      await t.call("setActive", b.client.multiSession.setActive({ sessionToken: tokens.bob }));
      await t.call("revoke", b.client.multiSession.revoke({ sessionToken: tokens.bob }));
      await b.request("POST", "/multi-session/set-active", { json: {} });
      await b.request("POST", "/multi-session/set-active", { json: { sessionToken: 5 } });
    },
    expectDifference: [listCookie],
  },
  {
    name: "multi-session: revoke needs a session",
    group: "multi",
    async run(t) {
      const { tokens } = await browserWith(t, "alice");
      await t.request("POST", "/multi-session/revoke", { json: { sessionToken: tokens.alice } });
    },
    expectDifference: [listCookie],
  },
  {
    name: "multi-session: forged Node-style cookies are ignored",
    group: "multi",
    async run(t) {
      const { tokens } = await browserWith(t, "alice");
      const forged = `better-auth.session_token_multi-${String(tokens.alice).toLowerCase()}=${tokens.alice}.${"A".repeat(43)}%3D`;
      await t.request("GET", "/multi-session/list-device-sessions", { headers: { cookie: forged } });
      await t.request("POST", "/multi-session/set-active", { json: { sessionToken: tokens.alice }, headers: { cookie: forged } });
    },
    expectDifference: [listCookie],
  },
];

// A browser arriving from a Node deployment, with one _multi- cookie per session, keeps its
// device sessions on the Go server, and its next sign-in folds them into the session list.

const deviceEmails = async (browser) => {
  const r = await browser.request("GET", "/multi-session/list-device-sessions");
  return (r.data || []).map((d) => d.user.email).join(",");
};

scenarios.push({
  name: "multi-session: a browser with Node's _multi- cookies on the Go server",
  kind: "custom",
  async run(h) {
    const db = await h.database("multi");
    const node = await h.startNode({ databaseURL: db, groupName: "multi" });
    const go = await h.startGo({ databaseURL: db, groupName: "multi" });
    for (const name of ["alice", "bob", "carol"]) await signUp(h.browser(node), h.email(name));
    const b = h.browser(node);
    await signIn(b, h.email("alice"));
    await signIn(b, h.email("bob"));
    const onNode = await deviceEmails(b);
    h.check(b.jar.names().some((n) => n.includes("_multi-")), { step: "Node sign-ins", field: "cookies", node: b.jar.names(), go: "" });

    const moved = b.on(go);
    h.equal(onNode, await deviceEmails(moved), { step: "Go list-device-sessions with Node's cookies", field: "users" });
    await signIn(moved, h.email("carol"));
    h.check(!moved.jar.names().some((n) => n.includes("_multi-")) && moved.jar.names().some((n) => n.endsWith(".session_list")), {
      step: "Go sign-in folds Node's cookies into the list", field: "cookies", node: "", go: moved.jar.names(),
    });
    h.equal(`${onNode},${h.email("carol")}`, await deviceEmails(moved), { step: "Go list-device-sessions after folding", field: "users" });
  },
});

export default scenarios;
