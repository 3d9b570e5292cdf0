// Takeover with the passkey plugin (scenarios/74-passkey.mjs): a passkey registered on one
// side, on one database, signs in on the other, and the counter the other side stored is
// honoured. The authenticator (lib/webauthn.mjs) keeps its credential across the switch, as
// a user's device would.
import { passkey } from "@better-auth/passkey";
import { sideCheck, signUp, takeoverBothWays } from "./takeover.mjs";
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
  return takeoverBothWays({
    label: "passkey",
    group: "passkey",
    gapPlugins: [passkey()],
    // The first server: a user registers a passkey and signs in with it once.
    async write(h, server, side) {
      const email = h.email("first");
      const first = h.browser(server);
      const dev = newDevice(first.origin);
      await registered(h, first, dev, email, side);
      await signsIn(h, server, dev, email, { side, what: "the registering side" });
      return { email, dev };
    },
    // The second signs in with the same authenticator, stores the counter, and the first
    // honours it.
    async read(h, { first, second, data, side }) {
      const { email, dev } = data;
      const other = side === "go" ? "node" : "go";
      const b = await signsIn(h, second, dev, email, { side, what: "the other side's passkey" });
      const list = await b.request("GET", "/passkey/list-user-passkeys");
      sideCheck(h, side, list.data?.length === 1 && list.data[0].counter === 2, list.text, "one passkey, counter 2",
        { step: "list: the counter after two sign-ins", field: "body" });
      await signsIn(h, first, dev, email, { side: other, what: "again, after the other side's counter update" });
    },
  });
}
