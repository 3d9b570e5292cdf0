// POST /sign-up/email (PROTOCOL.md §1.2, §2.2, §7.1, §7.3, §7.4).
import { EXTRA_TRUSTED_ORIGINS, UNTRUSTED_ORIGIN } from "../lib/config.mjs";
import { PASSWORD, signedUp } from "../lib/steps.mjs";

const body = (t, local, extra = {}) => ({ name: "Alice", email: t.email(local), password: PASSWORD, ...extra });

export default [
  {
    name: "sign-up: success",
    async run(t) {
      const { b } = await signedUp(t);
      await t.call("getSession", b.client.getSession());
    },
  },
  {
    name: "sign-up: duplicate email",
    async run(t) {
      await signedUp(t);
      await t.call("signUp again", t.browser().client.signUp.email(body(t, "alice", { name: "Other" })));
    },
  },
  {
    name: "sign-up: duplicate email in another case",
    async run(t) {
      await signedUp(t);
      await t.call("signUp upper", t.browser().client.signUp.email(body(t, "ALICE", { email: t.email("alice").toUpperCase() })));
    },
  },
  {
    name: "sign-up: mixed-case email stored lower-case",
    async run(t) {
      const b = t.browser();
      const [local, domain] = t.email("Bob.Smith").split("@");
      await t.call("signUp", b.client.signUp.email(body(t, "x", { email: `${local}@${domain.toUpperCase()}` })));
      await t.call("getSession", b.client.getSession());
      await t.call("signIn lower", t.browser().client.signIn.email({ email: t.email("bob.smith"), password: PASSWORD }));
    },
  },
  {
    name: "sign-up: invalid emails",
    async run(t) {
      for (const email of ["not-an-email", "a@b", "alice@example.c", "", " alice@example.com", "alice@example.com ", "al ice@example.com", "alice@@example.com", "alice.@example.com"]) {
        await t.request("POST", "/sign-up/email", { json: { name: "A", email, password: PASSWORD } });
      }
    },
  },
  {
    name: "sign-up: unusual valid emails",
    async run(t) {
      for (const local of ["o'brien", "first.last", "tag+filter", "under_score", "x"]) {
        await t.request("POST", "/sign-up/email", { json: body(t, local) });
      }
    },
  },
  {
    name: "sign-up: password too short",
    async run(t) {
      await t.request("POST", "/sign-up/email", { json: body(t, "seven", { password: "1234567" }) });
      await t.request("POST", "/sign-up/email", { json: body(t, "eight", { password: "12345678" }) });
    },
  },
  {
    name: "sign-up: password too long",
    async run(t) {
      await t.request("POST", "/sign-up/email", { json: body(t, "long129", { password: "p".repeat(129) }) });
      await t.request("POST", "/sign-up/email", { json: body(t, "long128", { password: "p".repeat(128) }) });
    },
  },
  {
    // Lengths are JS string lengths: UTF-16 code units (PROTOCOL.md §7.3).
    name: "sign-up: password length in UTF-16 units",
    async run(t) {
      await t.request("POST", "/sign-up/email", { json: body(t, "accents", { password: "ééééééé" }) }); // 7 units, 14 bytes
      await t.request("POST", "/sign-up/email", { json: body(t, "emoji", { password: "😀😀😀😀" }) }); // 8 units, 4 code points
      await t.request("POST", "/sign-up/email", { json: body(t, "emoji65", { password: "😀".repeat(65) }) }); // 130 units
    },
  },
  {
    name: "sign-up: empty password",
    run: (t) => t.request("POST", "/sign-up/email", { json: body(t, "alice", { password: "" }) }),
  },
  {
    name: "sign-up: empty name accepted",
    async run(t) {
      const b = t.browser();
      await t.call("signUp", b.client.signUp.email(body(t, "alice", { name: "" })));
      await t.call("getSession", b.client.getSession());
    },
  },
  {
    name: "sign-up: missing name",
    run: (t) => t.request("POST", "/sign-up/email", { json: { email: t.email("alice"), password: PASSWORD } }),
  },
  {
    name: "sign-up: empty object and wrong types",
    async run(t) {
      await t.request("POST", "/sign-up/email", { json: {} });
      await t.request("POST", "/sign-up/email", { json: { name: 42, email: true, password: 12345678 } });
      await t.request("POST", "/sign-up/email", { json: body(t, "alice", { rememberMe: "yes" }) });
      await t.request("POST", "/sign-up/email", { json: body(t, "alice", { callbackURL: 5 }) });
    },
  },
  {
    name: "sign-up: non-object JSON bodies",
    async run(t) {
      for (const raw of ["[]", "null", "\"text\"", "42"]) {
        await t.request("POST", "/sign-up/email", { body: raw, headers: { "content-type": "application/json" } });
      }
    },
  },
  {
    name: "sign-up: unknown keys dropped",
    async run(t) {
      const b = t.browser();
      await b.request("POST", "/sign-up/email", {
        json: body(t, "alice", { emailVerified: true, role: "admin", id: "chosen-id", createdAt: "2001-01-01T00:00:00.000Z", banned: false }),
      });
      await t.call("getSession", b.client.getSession());
    },
  },
  {
    name: "sign-up: image",
    async run(t) {
      await t.request("POST", "/sign-up/email", { json: body(t, "with-image", { image: "https://example.com/a.png" }) });
      await t.request("POST", "/sign-up/email", { json: body(t, "null-image", { image: null }) });
    },
  },
  {
    name: "sign-up: unicode and markup in name",
    async run(t) {
      const b = t.browser();
      await t.call("signUp", b.client.signUp.email(body(t, "alice", { name: "Zoë 🚀 <b>&amp;</b> \u2028 \"q\"" })));
      await t.call("getSession", b.client.getSession());
    },
  },
  {
    name: "sign-up: form-urlencoded",
    async run(t) {
      const b = t.browser();
      await b.request("POST", "/sign-up/email", { form: body(t, "alice") });
      await t.call("getSession", b.client.getSession());
    },
  },
  {
    name: "sign-up: form-urlencoded with charset and rememberMe string",
    async run(t) {
      await t.request("POST", "/sign-up/email", {
        form: body(t, "alice"),
        headers: { "content-type": "application/x-www-form-urlencoded; charset=UTF-8" },
      });
      await t.request("POST", "/sign-up/email", { form: body(t, "bob", { rememberMe: "false" }) });
    },
  },
  {
    name: "sign-up: bad JSON",
    async run(t) {
      await t.request("POST", "/sign-up/email", { body: '{"name":"A","email":', headers: { "content-type": "application/json" } });
      await t.request("POST", "/sign-up/email", { body: "", headers: { "content-type": "application/json" } });
    },
  },
  {
    name: "sign-up: unsupported content types (415)",
    async run(t) {
      const json = JSON.stringify(body(t, "alice"));
      await t.request("POST", "/sign-up/email", { body: json, headers: { "content-type": "text/plain" } });
      await t.request("POST", "/sign-up/email", { body: json, headers: { "content-type": "multipart/form-data; boundary=x" } });
      await t.request("POST", "/sign-up/email", { body: json, headers: { "content-type": "application/xml" } });
    },
  },
  {
    name: "sign-up: body without content-type",
    // fetch labels a string body text/plain; bytes go out with no content-type at all.
    run: (t) => t.request("POST", "/sign-up/email", { body: new TextEncoder().encode(JSON.stringify(body(t, "alice"))) }),
  },
  {
    name: "sign-up: rememberMe false",
    async run(t) {
      const b = t.browser();
      await t.call("signUp", b.client.signUp.email(body(t, "alice", { rememberMe: false })));
      await t.call("getSession", b.client.getSession());
    },
  },
  {
    name: "sign-up: callbackURL",
    async run(t) {
      await t.request("POST", "/sign-up/email", { json: body(t, "relative", { callbackURL: "/welcome?x=1" }) });
      await t.request("POST", "/sign-up/email", { json: body(t, "trusted", { callbackURL: `${EXTRA_TRUSTED_ORIGINS[0]}/welcome` }) });
      await t.request("POST", "/sign-up/email", { json: body(t, "untrusted", { callbackURL: `${UNTRUSTED_ORIGIN}/welcome` }) });
      await t.request("POST", "/sign-up/email", { json: body(t, "protocol-relative", { callbackURL: "//evil.example.net/x" }) });
    },
  },
  {
    name: "sign-up: origin and fetch-metadata checks",
    async run(t) {
      // node:http, so that only the headers given here are sent (no automatic sec-fetch-mode).
      const post = (local, headers) => t.request("POST", "/sign-up/email", { json: body(t, local), headers, noOrigin: true, plain: true });
      await post("cross-nav", { "sec-fetch-site": "cross-site", "sec-fetch-mode": "navigate", "sec-fetch-dest": "document" });
      await post("untrusted", { origin: UNTRUSTED_ORIGIN });
      await post("null-origin", { origin: "null" });
      await post("cors-no-origin", { "sec-fetch-site": "cross-site", "sec-fetch-mode": "cors" });
      await post("same-origin", { "sec-fetch-site": "same-origin", "sec-fetch-mode": "cors", origin: "http://localhost:3000" });
      await post("trusted-extra", { origin: EXTRA_TRUSTED_ORIGINS[0] });
      await post("server-to-server", {});
      await post("fetch-mode-only", { "sec-fetch-mode": "cors" });
      await post("referer-trusted", { referer: "http://localhost:3000/signup" });
      await post("referer-untrusted", { referer: `${UNTRUSTED_ORIGIN}/signup` });
    },
  },
];
