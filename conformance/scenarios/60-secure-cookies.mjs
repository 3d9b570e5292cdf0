// An https base URL: every cookie gets the __Secure- prefix and the Secure attribute,
// and only the prefixed name is read (PROTOCOL.md §4.1). These run in the "secure"
// group, whose servers are configured with https://localhost:3000.
import { signedIn, signedUp } from "../lib/steps.mjs";

const secure = (scenario) => ({ group: "secure", ...scenario });

export default [
  secure({
    name: "https: sign-up sets __Secure- cookie",
    async run(t) {
      const { b } = await signedUp(t);
      await t.call("getSession", b.client.getSession());
    },
  }),
  secure({
    name: "https: sign-in rememberMe false",
    async run(t) {
      const { b } = await signedIn(t, "alice", { rememberMe: false });
      await t.call("getSession", b.client.getSession());
    },
  }),
  secure({
    name: "https: sign-out expires __Secure- cookies",
    async run(t) {
      const { b } = await signedIn(t);
      await t.call("signOut", b.client.signOut());
      await t.call("signOut without session", t.browser().client.signOut());
    },
  }),
  secure({
    name: "https: unprefixed cookie is not read",
    async run(t) {
      const { token } = await signedIn(t);
      await t.request("GET", "/get-session", { headers: { cookie: `better-auth.session_token=${t.signed(token)}` } });
      await t.request("GET", "/get-session", { headers: { cookie: `__Secure-better-auth.session_token=${t.signed(token)}` } });
    },
  }),
  secure({
    name: "https: refresh keeps the prefix",
    async run(t) {
      const { b, token } = await signedIn(t);
      await t.sql(`update "session" set "expiresAt" = now() + interval '3 days', "updatedAt" = now() - interval '4 days' where "token" = $1`, [token]);
      await t.call("getSession", b.client.getSession());
    },
  }),
  secure({
    name: "https: the http origin is not trusted",
    async run(t) {
      await signedUp(t);
      const b = t.browser({ origin: "http://localhost:3000" });
      await t.call("signIn", b.client.signIn.email({ email: t.email("alice"), password: "password123" }));
    },
  }),
];
