// GET /get-session: cookie reading, expiry and refresh (PROTOCOL.md §2.5, §4.2–§4.4).
import { createHmac } from "node:crypto";
import { signedIn } from "../lib/steps.mjs";

// A token that matches the format but exists in no database.
const UNKNOWN_TOKEN = "UnknownToken0000000000000000000x";

// Move a session's clock: expiresAt (and the last extension, updatedAt) relative to now.
const setSession = (t, token, { expiresIn, updatedAgo = "0 seconds" }) =>
  t.sql(`update "session" set "expiresAt" = now() + $2::interval, "updatedAt" = now() - $3::interval where "token" = $1`, [token, expiresIn, updatedAgo]);

export default [
  {
    name: "get-session: no cookie",
    async run(t) {
      await t.call("getSession", t.browser().client.getSession());
    },
  },
  {
    name: "get-session: valid session",
    async run(t) {
      const { b } = await signedIn(t);
      await t.call("getSession", b.client.getSession());
      await t.call("getSession disableCookieCache", b.client.getSession({ query: { disableCookieCache: true } }));
    },
  },
  {
    name: "get-session: forged signature",
    async run(t) {
      const { b, token } = await signedIn(t);
      const forged = createHmac("sha256", "not-the-secret-not-the-secret-00").update(token).digest("base64");
      b.jar.set(t.cookieName("session_token"), encodeURIComponent(`${token}.${forged}`));
      await t.call("getSession", b.client.getSession());
    },
  },
  {
    name: "get-session: garbled cookies",
    async run(t) {
      const { token } = await signedIn(t);
      const sig = createHmac("sha256", "x").update(token).digest("base64url"); // 43 chars, url alphabet, no padding
      const values = ["%%%", "garbage", token, `${token}.`, `.${token}`, `${token}.abc`, `${token}.${sig}`, `${t.signed(token)}extra`, "", "%E0%A4%A"];
      for (const v of values) {
        await t.request("GET", "/get-session", { headers: { cookie: `${t.cookieName("session_token")}=${v}` } });
      }
    },
  },
  {
    // A correctly signed token in the URL-safe base64 alphabet without padding passes no
    // check: the cookie reader wants exactly 44 characters of standard base64.
    name: "get-session: signature in another base64 alphabet",
    async run(t) {
      const { token } = await signedIn(t);
      const url = t.signed(token).replace(/%2B/g, "-").replace(/%2F/g, "_").replace(/%3D$/, "");
      const unencoded = decodeURIComponent(t.signed(token));
      await t.request("GET", "/get-session", { headers: { cookie: `${t.cookieName("session_token")}=${url}` } });
      await t.request("GET", "/get-session", { headers: { cookie: `${t.cookieName("session_token")}=${unencoded}` } });
    },
  },
  {
    name: "get-session: signed but unknown token",
    async run(t) {
      const b = t.browser();
      b.jar.set(t.cookieName("session_token"), t.signed(UNKNOWN_TOKEN));
      await t.call("getSession", b.client.getSession());
    },
  },
  {
    name: "get-session: duplicate and misnamed cookies",
    async run(t) {
      const { token } = await signedIn(t);
      const good = t.signed(token);
      const bad = t.signed(UNKNOWN_TOKEN);
      const name = t.cookieName("session_token");
      await t.request("GET", "/get-session", { headers: { cookie: `${name}=${bad}; ${name}=${good}` } });
      await t.request("GET", "/get-session", { headers: { cookie: `${name}=${good}; ${name}=${bad}` } });
      await t.request("GET", "/get-session", { headers: { cookie: `better-auth-session_token=${good}` } });
      await t.request("GET", "/get-session", { headers: { cookie: `__Secure-${name}=${good}` } });
      await t.request("GET", "/get-session", { headers: { cookie: `other=1;${name}=${good} ; x=y` } });
    },
  },
  {
    name: "get-session: expired row",
    async run(t) {
      const { b, token } = await signedIn(t);
      await setSession(t, token, { expiresIn: "-1 minute", updatedAgo: "7 days" });
      await t.call("getSession", b.client.getSession());
      await t.call("getSession again", b.client.getSession());
    },
  },
  {
    // Refreshed once updateAge (1 day) has passed since the last extension, i.e. when
    // expiresAt <= now + expiresIn - updateAge.
    name: "get-session: refresh at updateAge",
    async run(t) {
      const { b, token } = await signedIn(t);
      await setSession(t, token, { expiresIn: "6 days -1 minute", updatedAgo: "1 day 1 minute" });
      await t.call("getSession refreshes", b.client.getSession());
      await t.call("getSession after refresh", b.client.getSession());
    },
  },
  {
    name: "get-session: no refresh before updateAge",
    async run(t) {
      const { b, token } = await signedIn(t);
      await setSession(t, token, { expiresIn: "6 days 1 hour", updatedAgo: "23 hours" });
      await t.call("getSession", b.client.getSession());
    },
  },
  {
    name: "get-session: disableRefresh",
    async run(t) {
      const { b, token } = await signedIn(t);
      await setSession(t, token, { expiresIn: "5 days", updatedAgo: "2 days" });
      await t.call("disableRefresh true", b.client.getSession({ query: { disableRefresh: true } }));
      // Coerced with JS truthiness: the string "false" is true, only "" is false (PROTOCOL.md §1.2).
      await b.request("GET", "/get-session?disableRefresh=false");
      await b.request("GET", "/get-session?disableRefresh=0");
      await b.request("GET", "/get-session?disableRefresh=");
    },
  },
  {
    name: "get-session: dont_remember session is never refreshed",
    async run(t) {
      // A 1-day session is always inside the refresh window; only dont_remember stops it.
      const { b, token } = await signedIn(t, "alice", { rememberMe: false });
      await setSession(t, token, { expiresIn: "2 hours", updatedAgo: "22 hours" });
      await t.call("getSession", b.client.getSession());
    },
  },
  {
    name: "get-session: rememberMe false session without dont_remember cookie",
    async run(t) {
      const { b } = await signedIn(t, "alice", { rememberMe: false });
      b.jar.delete(t.cookieName("dont_remember"));
      await t.call("getSession", b.client.getSession());
    },
  },
  {
    name: "get-session: forged dont_remember cookie",
    async run(t) {
      const { b } = await signedIn(t, "alice", { rememberMe: false });
      b.jar.set(t.cookieName("dont_remember"), encodeURIComponent(`true.${"B".repeat(43)}=`));
      await t.call("getSession", b.client.getSession());
    },
  },
  {
    name: "get-session: POST without deferSessionRefresh",
    async run(t) {
      const { b } = await signedIn(t);
      await t.request("POST", "/get-session", { json: {} });
      await b.request("POST", "/get-session", { json: {} });
    },
  },
  {
    name: "get-session: Authorization header ignored without bearer plugin",
    async run(t) {
      const { token } = await signedIn(t);
      await t.request("GET", "/get-session", { headers: { authorization: `Bearer ${token}` } });
    },
  },
];
