// The bad-input matrix's generator: every operation of the OpenAPI files has its cases, a new
// operation gets them without anyone writing them, and the documented differences still apply.
import assert from "node:assert/strict";
import { test } from "node:test";
import { GROUPS } from "../lib/groups.mjs";
import { BODY_CAP, HUGE_WITHIN_CAP, PAST_CAP, coverage, loadSpec, matrixCases, operations, requiredKinds } from "../lib/matrix.mjs";
import { MATRIX_DIFFERENCES, differencesFor } from "../lib/matrix-differences.mjs";
import { slugOf } from "../lib/scenarios.mjs";

const env = {
  email: (local) => `${local}@matrix.test`,
  token: "K".repeat(32),
  cookie: (name) => `better-auth.${name}`,
  signature: () => "S".repeat(43) + "=",
};

const clone = (v) => structuredClone(v);

// The OpenAPI document with one more operation, as a later issue might add it.
function withNewEndpoint(session = "required") {
  const spec = clone(loadSpec());
  spec.paths["/new/thing"] = {
    post: {
      operationId: "newThing",
      "x-kernia-plugin": "core",
      "x-kernia-session": session,
      requestBody: {
        required: true,
        content: { "application/json": { schema: { $ref: "#/components/schemas/NewThingRequest" } } },
      },
      parameters: [{ name: "callbackURL", in: "query", schema: { type: "array", items: { type: "string" } } }],
      responses: { 200: { description: "ok" } },
    },
  };
  spec.components.schemas.NewThingRequest = {
    type: "object",
    required: ["label"],
    properties: { label: { type: "string" }, count: { type: "integer" }, redirectTo: { type: "string" } },
  };
  return spec;
}

test("every operation of the OpenAPI files has every case its shape calls for", () => {
  const spec = loadSpec();
  assert.deepEqual(coverage(spec), []);
  const ops = operations(spec);
  assert.ok(ops.length >= 27, `only ${ops.length} operations read from the OpenAPI files`);
  const cases = matrixCases(spec);
  for (const op of ops) {
    const mine = cases.filter((c) => c.op.id === op.id);
    assert.ok(mine.length >= requiredKinds(op).size, `${op.id}: ${mine.length} cases`);
    if (op.session !== "none") assert.ok(mine.some((c) => c.auth === "in"), `${op.id} is never tried signed in`);
  }
});

test("a new endpoint is covered without writing its cases", () => {
  const spec = withNewEndpoint();
  assert.deepEqual(coverage(spec), []);
  const mine = matrixCases(spec).filter((c) => c.op.id === "newThing");
  const names = mine.map((c) => c.name);
  for (const auth of ["out", "in"]) {
    for (const label of ["malformed", "empty", "no-ctype", "bad-ctype", "deep", "body-types", "label types", "count types",
      "label huge", "label utf8", "label nul", "redirectTo redirect", "callbackURL redirect-q", "repeat-q", "utf8-q"]) {
      assert.ok(names.includes(`matrix newThing ${auth} ${label}`), `missing: ${auth} ${label}`);
    }
  }
  for (const label of ["cookies", "bearer", "over-cap", "headers"]) assert.ok(names.includes(`matrix newThing out ${label}`), `missing: ${label}`);
  // A number field is never tried as a number.
  const types = mine.find((c) => c.name === "matrix newThing out count types").requests(env).map((r) => JSON.parse(r.body).count);
  assert.deepEqual(types, ["text", true, { a: 1 }, ["a"], null]);
  // Signed out only: one endpoint needing no session has no signed-in cases.
  assert.ok(matrixCases(withNewEndpoint("none")).filter((c) => c.op.id === "newThing").every((c) => c.auth === "out"));
});

test("coverage names an operation whose cases are missing", () => {
  const spec = loadSpec();
  const cases = matrixCases(spec).filter((c) => !(c.op.id === "changePassword" && c.auth === "in" && c.kind === "types"));
  assert.deepEqual(coverage(spec, cases), [{ op: "POST /change-password", auth: "in", missing: ["types"] }]);
});

test("what the generator cannot cover is an error, not a silent gap", () => {
  const unmapped = withNewEndpoint();
  unmapped.paths["/new/thing"].post["x-kernia-plugin"] = "magic-link";
  assert.throws(() => matrixCases(unmapped), /no scenario group for plugin magic-link/);
  const header = withNewEndpoint();
  header.paths["/new/thing"].post.parameters.push({ name: "X-Thing", in: "header", schema: { type: "string" } });
  assert.throws(() => matrixCases(header), /no matrix cases for header parameter/);
  const formOnly = withNewEndpoint();
  const content = formOnly.paths["/new/thing"].post.requestBody.content;
  content["application/x-www-form-urlencoded"] = content["application/json"];
  delete content["application/json"];
  assert.throws(() => matrixCases(formOnly), /needs an application\/json body/);
  const badSession = withNewEndpoint("sometimes");
  assert.throws(() => matrixCases(badSession), /x-kernia-session/);
});

test("cases are named uniquely, run in known groups and stay within their sizes", () => {
  const cases = matrixCases(loadSpec());
  const slugs = new Set(cases.map((c) => slugOf(c.name)));
  assert.equal(slugs.size, cases.length, "two cases share a scenario slug");
  for (const c of cases) assert.ok(GROUPS[c.group], `${c.name}: unknown group ${c.group}`);
  for (const c of cases.filter((c) => c.kind === "huge")) {
    for (const r of c.requests(env)) {
      assert.ok(Buffer.byteLength(r.body) < BODY_CAP, `${c.name}: ${Buffer.byteLength(r.body)} bytes is past the cap`);
      assert.ok(Buffer.byteLength(r.body) > HUGE_WITHIN_CAP, `${c.name}: not huge`);
    }
  }
  for (const c of cases.filter((c) => c.kind === "over-cap")) {
    for (const r of c.requests(env)) assert.ok(Buffer.byteLength(r.body) > PAST_CAP, `${c.name}: within the cap`);
  }
});

test("the bodies carry what each case claims", () => {
  const cases = matrixCases(loadSpec());
  const one = (name) => cases.find((c) => c.name === name).requests(env);
  const [utf8] = one("matrix signUpEmail out name utf8");
  assert.ok(Buffer.isBuffer(utf8.body) && utf8.body.includes(Buffer.from([0xff, 0xfe])), "no invalid UTF-8 in the body");
  const [nul] = one("matrix signUpEmail out name nul");
  assert.equal(JSON.parse(nul.body).name, "Alice\u0000");
  const [noCtype] = one("matrix signUpEmail out no-ctype");
  assert.equal(noCtype.headers["content-type"], undefined);
  const deep = one("matrix signUpEmail out deep");
  assert.equal(deep[0].body.length, 20_000);
  assert.equal(JSON.parse(deep[1].body).name.length, 1);
  const redirects = one("matrix signUpEmail out callbackURL redirect").map((r) => JSON.parse(r.body).callbackURL);
  assert.ok(redirects.includes("//evil.example") && redirects.includes("javascript:alert(1)") && redirects.some((u) => u.includes("\r\n")));
  const cookies = one("matrix getSession out cookies").map((r) => r.headers.cookie);
  assert.ok(cookies.some((c) => c.split("; ").length > 100), "no request with 100 cookies");
  assert.ok(cookies.some((c) => c.length > 10_000), "no 10 kB cookie header");
});

test("every documented difference applies to a case and names its requests", () => {
  const cases = matrixCases(loadSpec());
  for (const d of MATRIX_DIFFERENCES) {
    const hits = cases.filter((c) => d.applies(c));
    assert.ok(hits.length > 0, `no case for: ${d.why}`);
    for (const c of hits) {
      const n = c.requests(env).length;
      for (const i of d.requests(c)) assert.ok(i < n, `${c.name}: request #${i + 1} of ${n}`);
    }
  }
  // Bodies are never read on POST /get-session, so nothing differs there.
  assert.deepEqual(differencesFor(cases.find((c) => c.name === "matrix refreshSession out over-cap")), []);
});
