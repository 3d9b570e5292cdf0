// Takeover with the username plugin (scenarios/72-username.mjs): users who signed up with a
// username on one side sign in with it on the other, on one database, both ways.
import * as betterAuthPlugins from "better-auth/plugins";
import { sessionOf, schemaGaps, signUp } from "./takeover.mjs";

const PASSWORD = "password123";
const signInUsername = (browser, username) => browser.request("POST", "/sign-in/username", { json: { username, password: PASSWORD } });

export function takeoverScenarios() {
  return [
    {
      name: "username: takeover, Go server on a Node database",
      kind: "custom",
      groups: ["username"],
      async run(h) {
        const db = await h.database("shared");
        const node = await h.startNode({ databaseURL: db, groupName: "username" });
        const alice = h.browser(node);
        const up = await signUp(alice, h.email("alice"), { username: "Alice_N" });
        h.check(up.status === 200, { side: "node", step: "Node sign-up", field: "status", node: `${up.status} ${up.text}`, go: "" });
        const seen = await sessionOf(alice);

        const go = await h.startGo({ databaseURL: db, groupName: "username" });
        const got = await sessionOf(alice.on(go));
        h.equal(seen.data, got.data, { step: "Go get-session with the Node cookie", field: "body" });
        const r = await signInUsername(h.browser(go), "ALICE_n");
        h.equal(up.data?.user, r.data?.user, { step: "Go sign-in/username of the Node user", field: "user" });

        const carol = h.browser(go);
        const mine = await signUp(carol, h.email("carol"), { username: "Carol_G" });
        h.check(mine.status === 200, { step: "Go sign-up on the Node database", field: "status", node: 200, go: `${mine.status} ${mine.text}` });
        const back = await signInUsername(h.browser(node), "carol_g");
        h.equal(back.data?.user, mine.data?.user, { side: "node", step: "Node sign-in/username of the Go user", field: "user" });
        const taken = await signUp(h.browser(node), h.email("dave"), { username: "CAROL_g" });
        h.check(taken.status === 400, { side: "node", step: "Node sign-up with the Go user's username", field: "status", node: taken.status, go: 400 });
      },
    },
    {
      name: "username: takeover, Node server on a Go database",
      kind: "custom",
      groups: ["username"],
      async run(h) {
        const db = await h.database("shared");
        const go = await h.startGo({ databaseURL: db, groupName: "username" });
        const gaps = await schemaGaps(db, { plugins: [betterAuthPlugins.username()] });
        h.check(gaps.length === 0, { step: "Better Auth migration plan on the Go schema", field: "changes", node: "(none)", go: gaps });

        const node = await h.startNode({ databaseURL: db, groupName: "username" });
        const carol = h.browser(go);
        const up = await signUp(carol, h.email("carol"), { username: "Carol_G" });
        h.check(up.status === 200, { step: "Go sign-up", field: "status", node: "", go: `${up.status} ${up.text}` });
        const r = await signInUsername(h.browser(node), "CAROL_G");
        h.equal(r.data?.user, up.data?.user, { side: "node", step: "Node sign-in/username of the Go user", field: "user" });
        h.equal((await sessionOf(carol.on(node))).data, (await sessionOf(carol)).data, { side: "node", step: "Node get-session with the Go cookie", field: "body" });

        const dave = h.browser(node);
        const theirs = await signUp(dave, h.email("dave"), { username: "Dave_N" });
        const onGo = await signInUsername(h.browser(go), "dave_n");
        h.equal(theirs.data?.user, onGo.data?.user, { step: "Go sign-in/username of the Node user", field: "user" });
        const taken = await signUp(h.browser(go), h.email("erin"), { username: "DAVE_n" });
        h.check(taken.status === 400, { step: "Go sign-up with the Node user's username", field: "status", node: 400, go: `${taken.status} ${taken.text}` });
      },
    },
  ];
}
