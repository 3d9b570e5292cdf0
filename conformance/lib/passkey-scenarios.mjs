// Takeover with the passkey plugin (scenarios/74-passkey.mjs): a passkey registered on one
// side, on one database, signs in on the other, and the counter the other side stored is
// honoured. The authenticator (lib/webauthn.mjs) keeps its credential across the switch, as
// a user's device would.
import { passkey } from "@better-auth/passkey";
import { schemaGaps, signUp } from "./takeover.mjs";
import { newDevice, withDevice } from "./webauthn.mjs";

/** Signs `email` up through `browser` and registers a passkey on `dev`; returns the row id. */
async function registered(h, browser, dev, email, side) {
  const up = await signUp(browser, email);
  h.check(up.status === 200, { side, step: "sign-up", field: "status", node: up.status, go: up.status });
  const added = await withDevice(dev, () => browser.client.passkey.addPasskey({ name: "phone" }));
  h.check(added.data?.credentialID, { side, step: "addPasskey", field: "body", node: "the passkey", go: JSON.stringify(added.error ?? added.data) });
  return added.data?.id;
}

/** Signs in on `server` with `dev`; checks the answer and the session it gives. */
async function signsIn(h, server, dev, email, { side, what }) {
  const b = h.browser(server);
  const r = await withDevice(dev, () => b.client.signIn.passkey());
  h.check(r.data?.user?.email === email && r.data?.session?.token, { side, step: `${what}: signIn.passkey`, field: "body", node: "a session", go: JSON.stringify(r.error ?? r.data) });
  const s = await b.request("GET", "/get-session");
  h.check(s.data?.user?.email === email, { side, step: `${what}: get-session`, field: "body", node: email, go: s.text });
  return b;
}

export function takeoverScenarios() {
  return [
    {
      name: "passkey: takeover, a passkey registered on Node signs in on Go, and again on Node",
      kind: "custom",
      groups: ["passkey"],
      async run(h) {
        const db = await h.database("shared");
        const node = await h.startNode({ databaseURL: db, groupName: "passkey" });
        const email = h.email("alice");
        const first = h.browser(node);
        const dev = newDevice(first.origin);
        await registered(h, first, dev, email, "node");
        await signsIn(h, node, dev, email, { side: "node", what: "Node" });

        const go = await h.startGo({ databaseURL: db, groupName: "passkey" });
        const b = await signsIn(h, go, dev, email, { side: "go", what: "Go, the Node passkey" });
        const list = await b.request("GET", "/passkey/list-user-passkeys");
        h.check(list.data?.length === 1 && list.data[0].counter === 2, { side: "go", step: "Go list: the counter after two sign-ins", field: "body", node: "counter 2", go: list.text });
        await signsIn(h, node, dev, email, { side: "node", what: "Node again, after Go's counter update" });
      },
    },
    {
      name: "passkey: takeover, a passkey registered on Go signs in on Node",
      kind: "custom",
      groups: ["passkey"],
      async run(h) {
        const db = await h.database("shared");
        const go = await h.startGo({ databaseURL: db, groupName: "passkey" });
        const gaps = await schemaGaps(db, { plugins: [passkey()] });
        h.check(gaps.length === 0, { step: "Better Auth migration plan on the Go schema", field: "changes", node: "(none)", go: gaps });
        const email = h.email("carol");
        const first = h.browser(go);
        const dev = newDevice(first.origin);
        await registered(h, first, dev, email, "go");
        await signsIn(h, go, dev, email, { side: "go", what: "Go" });

        const node = await h.startNode({ databaseURL: db, groupName: "passkey" });
        const b = await signsIn(h, node, dev, email, { side: "node", what: "Node, the Go passkey" });
        const list = await b.request("GET", "/passkey/list-user-passkeys");
        h.check(list.data?.length === 1 && list.data[0].counter === 2, { side: "node", step: "Node list: the counter after two sign-ins", field: "body", node: list.text, go: "counter 2" });
        await signsIn(h, go, dev, email, { side: "go", what: "Go again, after Node's counter update" });
      },
    },
  ];
}
