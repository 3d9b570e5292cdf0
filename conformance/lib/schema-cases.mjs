// The additional fields' wrong-type cases (scenarios/63-schema.mjs, group schema_fields with
// conformance/schemas/fields.json), and what each side answers.
//
// Better Auth 1.7.25 checks no type: sign-up's and update-user's bodies take any JSON value
// for an additional field (api/routes/sign-up.ts, update-user.ts), and what the value becomes
// is decided by the pg driver and PostgreSQL's input functions. So "3" is stored in an integer
// column as 3 and 5 in a text column as "5", while 3.5 or "x" for an integer fails in the
// database: sign-up then answers 422 FAILED_TO_CREATE_USER (it catches every database error)
// and update-user an empty 500 (it catches none). Dates are the exception: a string goes
// through `new Date()` first (core's adapter factory), so anything Date.parse reads is a date.
//
// `node` is what 1.7.25 does with the value: "stored" (200, the value coerced) or "refused"
// (422 on sign-up, 500 on update-user); the Node side asserts it, so a change upstream shows.
// `go` is the Go side's answer on each endpoint:
//   "same"     exactly Node's, rows included: the Go side coerces a value as PostgreSQL's input
//              functions do (field_input.go in the emitted package), and refuses at sign-up
//              what the database refuses, with the same 422 FAILED_TO_CREATE_USER;
//   "invalid"  400 VALIDATION_ERROR with a message naming the field as `[body.<field>]`, and
//              nothing changed, where Node's database refusal is an empty 500 (update-user):
//              bad input never gets a 5xx (docs/differences.md);
//   "refused"  422 FAILED_TO_CREATE_USER and no rows, where Node stores what the Go type cannot
//              hold: an array field takes only elements of its type (docs/differences.md).
const COERCED = { signUp: "same", updateUser: "same" };
const REFUSED = { signUp: "same", updateUser: "invalid" };
const TYPED = { signUp: "refused", updateUser: "invalid" };
export const TYPE_CASES = [
  { field: "age", value: "3", node: "stored", go: COERCED, why: "a string for a number" },
  { field: "age", value: 3.5, node: "refused", go: REFUSED, why: "a fraction for an integer column" },
  { field: "age", value: true, node: "refused", go: REFUSED, why: "a boolean for a number" },
  { field: "visits", value: "12", node: "stored", go: COERCED, why: "a string for a bigint" },
  { field: "visits", value: 1.5, node: "refused", go: REFUSED, why: "a fraction for a bigint" },
  { field: "plan", value: 5, node: "stored", go: COERCED, why: "a number for a string" },
  { field: "plan", value: ["a", "b"], node: "stored", go: COERCED, why: "an array for a string" },
  { field: "newsletter", value: "true", node: "stored", go: COERCED, why: "a string for a boolean" },
  { field: "newsletter", value: 1, node: "stored", go: COERCED, why: "a number for a boolean" },
  { field: "newsletter", value: "x", node: "refused", go: REFUSED, why: "a word for a boolean" },
  { field: "birthday", value: "yesterday", node: "refused", go: REFUSED, why: "a string that is no date" },
  { field: "birthday", value: 946782245000, node: "refused", go: REFUSED, why: "epoch milliseconds for a date" },
  { field: "tags", value: "a", node: "refused", go: REFUSED, why: "a string for string[]" },
  { field: "tags", value: [1, 2], node: "stored", go: TYPED, why: "numbers in string[]" },
  { field: "scores", value: ["1"], node: "stored", go: TYPED, why: "strings in number[]" },
  { field: "prefs", value: "hello", node: "refused", go: REFUSED, why: "a string that is no JSON text for json" },
  { field: "tenantId", value: 5, node: "stored", go: COERCED, why: "a number for a required string" },
  { field: "tenantId", value: null, node: "refused", go: REFUSED, why: "null for a required string" },
];

// Values of the right type in every shape the Go side must take as upstream does: stored,
// answered and cached alike.
export const VALID_VALUES = {
  all: {
    plan: "pro", age: 42, newsletter: true, birthday: "2000-01-02T03:04:05.000Z", tags: ["a", "b"], scores: [1, 2.5],
    prefs: { theme: "dark", sizes: [1, { x: null }], "z-last": true, "a-first": "é\u2028" }, tenantId: "t1", internalNote: "kept out of answers",
    visits: 7,
  },
  // An offset and a date alone are both dates; JSON scalars are JSON.
  shapes: {
    tenantId: "t2", birthday: "2000-01-02T03:04:05+02:00", prefs: [1, "two", null], tags: [], scores: [-1, 0, 1e3], age: -5,
    visits: 9007199254740991,
  },
  dateOnly: { tenantId: "t3", birthday: "2000-01-02", prefs: 5 },
  scalars: { tenantId: "t4", prefs: true, plan: "" },
  nulls: { tenantId: "t5", plan: null, age: null, newsletter: null, birthday: null, tags: null, scores: null, prefs: null, nickname: null, visits: null, internalNote: null },
};

const NODE_STATUS = { signUp: { stored: 200, refused: 422 }, updateUser: { stored: 200, refused: 500 } };

/** Node's status for a case on an endpoint ("signUp" or "updateUser"). */
export function nodeStatus(c, endpoint) {
  return NODE_STATUS[endpoint][c.node];
}

/** The Go side's answer to a case on an endpoint ("signUp" or "updateUser"). */
export function goAnswer(c, endpoint) {
  return c.go[endpoint];
}

/**
 * The expectDifference entries of a case whose Go answer differs by design. `step` matches
 * the request's step; `column` is the field's database column (its rows differ when Node
 * stored the value).
 */
export function caseDifferences(c, { endpoint, step, column }) {
  const go = goAnswer(c, endpoint);
  if (go === "same") return [];
  const status = go === "invalid" ? 400 : 422;
  const why = go === "invalid"
    ? `bad input is never a 5xx: ${c.why} is a 400 where Node's database refuses it with a 500 (docs/differences.md)`
    : `array fields hold their type: ${c.why} is refused where Node stores it (docs/differences.md)`;
  const entries = [
    { step, field: /^status$/, why, check: (node, g) => g === status || `want Go ${status}, Node ${nodeStatus(c, endpoint)}` },
    // Node's body (a user, an error of its own, or an empty 500) against Go's answer, which
    // the Go side checks itself; cookies set only by Node's 200.
    { step, field: /^(body|headers|cookies)\b/, why, check: () => true },
  ];
  if (c.node === "stored") {
    entries.push(
      endpoint === "signUp"
        ? { step: /^database$/, field: /./, why: `${why}: no rows`, check: (node, g) => g === undefined || "want no Go rows" }
        : { step: /^database$/, field: new RegExp(`^user\\[0\\]\\.${column}$`), why: `${why}: the row keeps its value`, check: () => true },
    );
  }
  return entries;
}
