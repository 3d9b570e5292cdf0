// The deliberate differences of the core package (README "Deliberate differences"), asserted
// as such: the Go side must answer as designed, not merely differ.
import { PASSWORD, signedUp } from "../lib/steps.mjs";

const absentOnGo = (why) => (node, go) => go === undefined || `${why}: Go should not answer this field`;

export default [
  {
    name: "deliberate: a body past the 64 KiB cap gets 413",
    db: false,
    run: (t) => t.request("POST", "/sign-up/email", { json: { name: "n".repeat(70_000), email: t.email("big"), password: PASSWORD } }),
    expectDifference: [
      { step: /sign-up/, field: /^status$/, why: "request bodies are capped (Config.MaxBodyBytes)", check: (node, go) => (node === 200 && go === 413) || "want Node 200, Go 413" },
      { step: /sign-up/, field: /^body\.json\.code$/, why: "413 body", check: (node, go) => go === "PAYLOAD_TOO_LARGE" || "want PAYLOAD_TOO_LARGE" },
      { step: /sign-up/, field: /^body\.json\.message$/, why: "413 body", check: (node, go) => go === "Request body is too large" || "want the 413 message" },
      { step: /sign-up/, field: /^(body\.json\.(token|user)|cookies).*/, why: "nothing is created past the cap", check: absentOnGo("no user, no session") },
    ],
  },
  {
    name: "deliberate: a malformed stored hash gives a 500 with a body",
    async run(t) {
      await signedUp(t);
      await t.sql(`update "account" set "password" = 'not-a-hash' where "userId" in (select "id" from "user" where "email" = $1)`, [t.email("alice")]);
      await t.request("POST", "/sign-in/email", { json: { email: t.email("alice"), password: PASSWORD } });
    },
    expectDifference: [
      { step: /sign-in/, field: /^body\.(empty|text)$/, why: "Node sends an empty 500", check: (node) => node === true || node === undefined || "Node's 500 should be empty" },
      {
        step: /sign-in/, field: /^body\.json$/, why: "a 500 says what happened, never the cause",
        check: (node, go) => (go?.code === "INTERNAL_SERVER_ERROR" && go?.message === "Internal server error") || "want the generic INTERNAL_SERVER_ERROR body",
      },
      { step: /sign-in/, field: /^headers\.content-type$/, why: "the 500 body is JSON", check: (node, go) => go === "application/json" || "want application/json" },
    ],
  },
  {
    // Upstream writes whatever JSON value arrives, coerced by the driver: name 123 is stored as
    // "123", image 5 as "5", name ["a"] as '{"a"}', and name null fails in the database with an
    // empty 500. The Go side validates the two fields and changes nothing.
    name: "deliberate: update-user refuses wrong types",
    async run(t) {
      const { b } = await signedUp(t);
      await b.request("POST", "/update-user", { json: { name: 123 } });
      await b.request("POST", "/update-user", { json: { name: null } });
      await b.request("POST", "/update-user", { json: { image: 5 } });
      await b.request("POST", "/update-user", { json: { name: ["a"] } });
      await t.call("getSession", b.client.getSession());
    },
    expectDifference: [
      { step: /update-user/, field: /^status$/, why: "wrong types are a 400", check: (node, go) => go === 400 || "want Go 400" },
      { step: /update-user/, field: /^body\.json\.code$/, why: "validation error", check: (node, go) => go === "VALIDATION_ERROR" || "want VALIDATION_ERROR" },
      {
        step: /update-user/, field: /^body\.json\.message$/, why: "zod-worded",
        check: (node, go) => /^\[body\.(name|image)\] Invalid input: expected string, received (number|null|array)$/.test(go) || "want a zod-worded type error",
      },
      { step: /update-user/, field: /^(body\.json(\.status)?|body\.empty|cookies\[0\]|headers\.content-type)$/, why: "no update, no cookie", check: () => true },
      { step: /get-session|getSession|database/, field: /user(\[0\])?\.(image|name)$/, why: "nothing stored", check: (node, go) => go === null || go === "Alice" || "want the user unchanged" },
    ],
  },
];
