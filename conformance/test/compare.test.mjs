import assert from "node:assert/strict";
import { test } from "node:test";
import { applyExpectedDifferences, compareSides, diff } from "../lib/compare.mjs";
import { CookieJar, parseSetCookie } from "../lib/cookies.mjs";

test("diff ignores key order, not array order", () => {
  assert.deepEqual(diff({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }), []);
  assert.deepEqual(diff({ b: [1, 2] }, { b: [2, 1] }).map((d) => d.path), ["b[0]", "b[1]"]);
  assert.deepEqual(diff({ a: 1 }, {}), [{ path: "a", node: 1, go: undefined }]);
});

test("compareSides names the step and the field", () => {
  const side = (status) => ({ steps: [{ label: "GET /ok", exchange: { status } }], records: {}, db: {} });
  assert.deepEqual(compareSides(side(200), side(404)), [{ side: "both", step: "#1 GET /ok", field: "status", node: 200, go: 404 }]);
});

test("database rows are compared too", () => {
  const side = (email) => ({ steps: [], records: {}, db: { user: [{ email }] } });
  assert.deepEqual(compareSides(side("a@x.test"), side("A@x.test")), [{ side: "both", step: "database", field: "user[0].email", node: "a@x.test", go: "A@x.test" }]);
});

test("deliberate differences are asserted, not masked", () => {
  const expected = [{ step: /get-session/, field: /^body/, why: "bearer precedence", check: (n, g) => g === "cookie" || "go should use the cookie" }];
  const d = (go) => [{ side: "both", step: "#2 GET /get-session", field: "body.json.session.token", node: "bearer", go }];
  assert.deepEqual(applyExpectedDifferences(d("cookie"), expected, { selfTest: false }).diffs, []);
  assert.equal(applyExpectedDifferences(d("bearer?"), expected, { selfTest: false }).diffs.length, 1);
  // Not observed at all: a failure against Go, a note in self-test.
  assert.equal(applyExpectedDifferences([], expected, { selfTest: false }).diffs.length, 1);
  const self = applyExpectedDifferences([], expected, { selfTest: true });
  assert.equal(self.diffs.length, 0);
  assert.equal(self.notes.length, 1);
});

test("cookie jar keeps browser order and honours Max-Age=0", () => {
  const jar = new CookieJar();
  jar.store(["a=1; Path=/", "b=2; Max-Age=10"]);
  jar.store(["a=3; Path=/"]);
  assert.equal(jar.header(), "a=3; b=2");
  jar.store(["a=; Max-Age=0; Path=/"]);
  assert.equal(jar.header(), "b=2");
  assert.deepEqual(parseSetCookie("n=v; Max-Age=0; Path=/; HttpOnly"), { name: "n", value: "v", attributes: ["Max-Age=0", "Path=/", "HttpOnly"] });
});
