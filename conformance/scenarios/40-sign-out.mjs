// POST /sign-out (PROTOCOL.md §2.4, §7.1).
import { UNTRUSTED_ORIGIN } from "../lib/config.mjs";
import { signedIn, signedUp } from "../lib/steps.mjs";

export default [
  {
    name: "sign-out: with session",
    async run(t) {
      const { b } = await signedIn(t);
      await t.call("signOut", b.client.signOut());
      await t.call("getSession after", b.client.getSession());
    },
  },
  {
    name: "sign-out: without session",
    async run(t) {
      const b = t.browser();
      await t.call("signOut", b.client.signOut());
      await b.request("POST", "/sign-out");
    },
  },
  {
    name: "sign-out: rememberMe false session",
    async run(t) {
      const { b } = await signedIn(t, "alice", { rememberMe: false });
      await t.call("signOut", b.client.signOut());
      await t.call("getSession after", b.client.getSession());
    },
  },
  {
    name: "sign-out: cookie without Origin is refused",
    async run(t) {
      const { b } = await signedIn(t);
      await b.request("POST", "/sign-out", { json: {}, noOrigin: true });
      await b.request("POST", "/sign-out", { json: {}, headers: { origin: "null" } });
      await t.call("getSession still signed in", b.client.getSession());
    },
  },
  {
    name: "sign-out: cookie with untrusted Origin is refused",
    async run(t) {
      const { b } = await signedIn(t);
      await b.request("POST", "/sign-out", { json: {}, headers: { origin: UNTRUSTED_ORIGIN } });
      await b.request("POST", "/sign-out", { json: {}, noOrigin: true, headers: { referer: `${UNTRUSTED_ORIGIN}/page` } });
      await t.call("getSession still signed in", b.client.getSession());
    },
  },
  {
    name: "sign-out: trusted Referer instead of Origin",
    async run(t) {
      const { b } = await signedIn(t);
      await b.request("POST", "/sign-out", { json: {}, noOrigin: true, headers: { referer: "http://localhost:3000/account/settings" } });
      await t.call("getSession after", b.client.getSession());
    },
  },
  {
    name: "sign-out: forged cookie",
    async run(t) {
      const { b, token } = await signedIn(t);
      b.jar.set(t.cookieName("session_token"), encodeURIComponent(`${token}.${"A".repeat(43)}=`));
      await t.call("signOut", b.client.signOut());
    },
  },
  {
    name: "sign-out: bodies and content types",
    async run(t) {
      const b = t.browser();
      await b.request("POST", "/sign-out", { body: "", headers: { "content-type": "application/json" } });
      await b.request("POST", "/sign-out", { body: "{bad", headers: { "content-type": "application/json" } });
      await b.request("POST", "/sign-out", { body: "x=1", headers: { "content-type": "application/x-www-form-urlencoded" } });
      await b.request("POST", "/sign-out", { json: { callbackURL: `${UNTRUSTED_ORIGIN}/bye` } });
      await b.request("POST", "/sign-out", { json: { callbackURL: "/bye" } });
    },
  },
  {
    name: "sign-out: other sessions of the user stay",
    async run(t) {
      const { b } = await signedUp(t);
      const other = t.browser();
      await t.call("signIn other", other.client.signIn.email({ email: t.email("alice"), password: "password123" }));
      await t.call("signOut", b.client.signOut());
      await t.call("getSession other", other.client.getSession());
    },
  },
];
