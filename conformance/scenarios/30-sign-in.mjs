// POST /sign-in/email (PROTOCOL.md §2.3, §4.4, §7.1, §7.5).
import { EXTRA_TRUSTED_ORIGINS, UNTRUSTED_ORIGIN } from "../lib/config.mjs";
import { PASSWORD, signedIn, signedUp } from "../lib/steps.mjs";

const creds = (t, local = "alice", extra = {}) => ({ email: t.email(local), password: PASSWORD, ...extra });

export default [
  {
    name: "sign-in: success",
    async run(t) {
      const { b } = await signedIn(t);
      await t.call("getSession", b.client.getSession());
    },
  },
  {
    name: "sign-in: wrong password",
    async run(t) {
      await signedUp(t);
      await t.call("signIn", t.browser().client.signIn.email(creds(t, "alice", { password: "wrong-password" })));
      await t.request("POST", "/sign-in/email", { json: creds(t, "alice", { password: "" }) });
      await t.request("POST", "/sign-in/email", { json: creds(t, "alice", { password: PASSWORD.toUpperCase() }) });
    },
  },
  {
    name: "sign-in: unknown user",
    run: (t) => t.call("signIn", t.browser().client.signIn.email(creds(t, "nobody"))),
  },
  {
    name: "sign-in: email in another case",
    async run(t) {
      await signedUp(t);
      const b = t.browser();
      await t.call("signIn", b.client.signIn.email(creds(t, "alice", { email: t.email("alice").toUpperCase() })));
      await t.call("getSession", b.client.getSession());
    },
  },
  {
    name: "sign-in: invalid email",
    async run(t) {
      for (const email of ["not-an-email", "a@b", "", " " + t.email("alice")]) {
        await t.request("POST", "/sign-in/email", { json: { email, password: PASSWORD } });
      }
    },
  },
  {
    name: "sign-in: missing and wrong-typed fields",
    async run(t) {
      await t.request("POST", "/sign-in/email", { json: {} });
      await t.request("POST", "/sign-in/email", { json: { email: t.email("alice") } });
      await t.request("POST", "/sign-in/email", { json: { email: 7, password: false } });
      await t.request("POST", "/sign-in/email", { json: creds(t, "alice", { rememberMe: "false" }) });
    },
  },
  {
    name: "sign-in: rememberMe false",
    async run(t) {
      const { b } = await signedIn(t, "alice", { rememberMe: false });
      await t.call("getSession", b.client.getSession());
    },
  },
  {
    name: "sign-in: rememberMe true explicitly",
    async run(t) {
      const { b } = await signedIn(t, "alice", { rememberMe: true });
      await t.call("getSession", b.client.getSession());
    },
  },
  {
    name: "sign-in: callbackURL",
    async run(t) {
      await signedUp(t);
      // The client's redirect plugin only acts in a browser window; the reply is compared.
      await t.call("relative", t.browser().client.signIn.email(creds(t, "alice", { callbackURL: "/dashboard?tab=1" })));
      await t.request("POST", "/sign-in/email", { json: creds(t, "alice", { callbackURL: "http://localhost:3000/home" }) });
      await t.request("POST", "/sign-in/email", { json: creds(t, "alice", { callbackURL: `${EXTRA_TRUSTED_ORIGINS[0]}/after` }) });
    },
  },
  {
    name: "sign-in: untrusted callbackURL",
    async run(t) {
      await signedUp(t);
      for (const callbackURL of [`${UNTRUSTED_ORIGIN}/x`, "//evil.example.net", "/\\evil.example.net", "javascript:alert(1)", "http://localhost:3000.evil.example.net/"]) {
        await t.request("POST", "/sign-in/email", { json: creds(t, "alice", { callbackURL }) });
      }
      await t.request("POST", "/sign-in/email", { json: creds(t, "alice", { callbackURL: ["/a"] }) });
    },
  },
  {
    name: "sign-in: form-urlencoded",
    async run(t) {
      await signedUp(t);
      const b = t.browser();
      await b.request("POST", "/sign-in/email", { form: creds(t) });
      await b.request("POST", "/sign-in/email", { form: creds(t, "alice", { rememberMe: "false" }) });
      await t.call("getSession", b.client.getSession());
    },
  },
  {
    name: "sign-in: bad JSON and content types",
    async run(t) {
      await t.request("POST", "/sign-in/email", { body: "{", headers: { "content-type": "application/json" } });
      await t.request("POST", "/sign-in/email", { body: JSON.stringify(creds(t)), headers: { "content-type": "text/plain" } });
      await t.request("POST", "/sign-in/email", { body: JSON.stringify(creds(t)), headers: { "content-type": "application/json; charset=utf-8" } });
    },
  },
  {
    name: "sign-in: origin and fetch-metadata checks",
    async run(t) {
      await signedUp(t);
      const post = (headers) => t.request("POST", "/sign-in/email", { json: creds(t), headers, noOrigin: true, plain: true });
      await post({ "sec-fetch-site": "cross-site", "sec-fetch-mode": "navigate", "sec-fetch-dest": "document", origin: "http://localhost:3000" });
      await post({ "sec-fetch-site": "cross-site", "sec-fetch-mode": "cors" });
      await post({ "sec-fetch-site": "same-origin", "sec-fetch-mode": "cors", origin: "http://localhost:3000" });
      await post({ origin: UNTRUSTED_ORIGIN });
      await post({ origin: "null" });
      await post({ origin: "http://localhost:3001" });
      await post({ origin: "https://localhost:3000" });
      await post({});
    },
  },
  {
    name: "sign-in: stale cookie needs a trusted origin",
    async run(t) {
      const { b } = await signedUp(t);
      await b.request("POST", "/sign-in/email", { json: creds(t), noOrigin: true });
      await b.request("POST", "/sign-in/email", { json: creds(t), headers: { origin: UNTRUSTED_ORIGIN } });
      await b.request("POST", "/sign-in/email", { json: creds(t) });
    },
  },
  {
    name: "sign-in: twice makes two sessions",
    async run(t) {
      await signedUp(t);
      const a = t.browser();
      const b = t.browser();
      await t.call("signIn a", a.client.signIn.email(creds(t)));
      await t.call("signIn b", b.client.signIn.email(creds(t)));
      await t.call("getSession a", a.client.getSession());
      await t.call("getSession b", b.client.getSession());
    },
  },
  {
    name: "sign-in: as another user replaces the cookie",
    async run(t) {
      await signedUp(t, "bob", { name: "Bob" });
      const { b } = await signedUp(t, "alice");
      await t.call("signIn bob", b.client.signIn.email(creds(t, "bob")));
      await t.call("getSession", b.client.getSession());
    },
  },
  {
    // The client address comes from X-Forwarded-For (one valid IP) and is stored in the
    // session; IPv6 is kept to its /64 (PROTOCOL.md §7.2).
    name: "sign-in: client IP from X-Forwarded-For",
    async run(t) {
      await signedUp(t);
      for (const xff of ["203.0.113.7", "2001:db8:1:2:3:4:5:6", "::ffff:198.51.100.2", "203.0.113.7, 198.51.100.9", "not-an-ip"]) {
        await t.browser().request("POST", "/sign-in/email", { json: creds(t), headers: { "x-forwarded-for": xff } });
      }
    },
  },
  {
    name: "sign-in: no user-agent",
    async run(t) {
      await signedUp(t);
      await t.request("POST", "/sign-in/email", { json: creds(t), plain: true, headers: { "user-agent": "" } });
    },
  },
];
