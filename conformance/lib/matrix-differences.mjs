// The bad-input matrix's documented differences: where the Go side answers otherwise than Node
// Better Auth 1.7.25, by design or because Node fails with a 500. Each is asserted, not masked:
// the Go side must give exactly the answer named here (`go`), Node must still answer as
// described (`nodeStatus`, when Node's answer is the point), and a difference listed here that
// no longer shows up fails the scenario (lib/compare.mjs, applyExpectedDifferences).
//
// An entry: { why, applies(case) → bool, requests(case) → indexes of the affected requests,
//             go(answer) → true or what is wrong, on the Go side's {status, data, text},
//             nodeStatus?: the status Node answers there,
//             rows?: expectDifference entries for the rows compared after the scenario }
import { BODILESS_OPERATIONS } from "./matrix.mjs";

// The Go side answers exactly status and body (undefined: an empty body).
const json = (status, body) => (res) => {
  const got = JSON.stringify({ status: res.status, body: res.data });
  const want = JSON.stringify({ status, body });
  return got === want || `want ${want}, got ${got.slice(0, 300)}`;
};
const invalidToken = (status) => json(status, { message: "Invalid token", code: "INVALID_TOKEN" });
const readsBody = (c) => c.op.method !== "GET" && !BODILESS_OPERATIONS.has(c.op.id);
const named = (id, auth, label) => (c) => c.op.id === id && c.auth === auth && c.name.endsWith(` ${label}`);

export const MATRIX_DIFFERENCES = [
  {
    why: "request bodies are capped at 64 KiB (Config.MaxBodyBytes): 413 before anything else; Node has no cap",
    applies: (c) => c.kind === "over-cap" && readsBody(c),
    requests: () => [0],
    go: json(413, { message: "Request body is too large", code: "PAYLOAD_TOO_LARGE" }),
  },
  {
    why:
      "JSON nested deeper than 10,000 levels is refused as invalid JSON (the limit of Go's encoding/json); " +
      "Node parses any depth, and its validator then reports the field's type",
    applies: (c) => c.kind === "body" && c.name.endsWith(" deep") && readsBody(c),
    // The first request is exactly 10,000 deep and parses on both sides; the second is one deeper.
    requests: () => [1],
    go: json(400, { message: "Invalid JSON in request body", code: "BAD_REQUEST" }),
  },
  {
    why:
      "a path parameter that is an encoded slash alone (/reset-password/%2F, /callback/%2F) is a 404: Go's ServeMux " +
      "reads it as an empty segment; Node's router passes \"%2F\" on as the token or provider, which matches nothing " +
      "(a 302 to its error page)",
    applies: (c) => c.kind === "path" && ["resetPasswordCallback", "socialCallback", "socialCallbackPost"].includes(c.op.id),
    requests: () => [3],
    go: json(404, undefined),
    nodeStatus: 302,
  },
  {
    why:
      "Node answers 500 when sign-in's callbackURL holds characters above U+00FF (its Headers refuse them in Location, " +
      "after the session is created); Go signs in and answers 200 like for any other callbackURL",
    applies: named("signInEmail", "out", "callbackURL utf8"),
    requests: () => [0],
    // The session's token and the user vary; the answer must be the sign-in's, with the URL decoded.
    go: (res) =>
      (res.status === 200 && res.data?.redirect === true && /^\/a\uFFFD.*dashboard$/.test(res.data?.url) && res.data?.user?.name === "Alice") ||
      `want 200 with the signed-in user and url "/a\uFFFD…dashboard", got ${res.status} ${res.text.slice(0, 200)}`,
    nodeStatus: 500,
    // Both sides store the same session; its ids are numbered apart because only Go's answer
    // names the token first.
    rows: [
      {
        step: /^database$/, field: /(^|\.)(id|userId|accountId|token)$/,
        check: (node, go) => (/^<id#\d+>$/.test(node) && /^<id#\d+>$/.test(go)) || "want an id on both sides",
      },
    ],
  },
  {
    why:
      "Node answers 500 when revoke-session's token holds a NUL (PostgreSQL refuses the query); " +
      "Go looks such a token up as unknown: 200 {status: true}, nothing revoked",
    applies: named("revokeSession", "in", "token nul"),
    requests: () => [0],
    go: json(200, { status: true }),
    nodeStatus: 500,
  },
  {
    why: "Node answers 500 when reset-password's token holds a NUL (PostgreSQL refuses the query); Go: 400 INVALID_TOKEN, as for any unknown token",
    applies: named("resetPassword", "out", "token nul"),
    requests: () => [0],
    go: invalidToken(400),
    nodeStatus: 500,
  },
  {
    why: "Node answers 500 when delete-user's token holds a NUL (PostgreSQL refuses the query); Go: 404 INVALID_TOKEN, as for any unknown token",
    applies: named("deleteUser", "in", "token nul"),
    requests: () => [0],
    go: invalidToken(404),
    nodeStatus: 500,
  },
  {
    why:
      "Node answers 500 when the deletion link's token holds a NUL (?token=a%00b, PostgreSQL refuses the query); " +
      "Go: 404 INVALID_TOKEN, as for any unknown token",
    applies: named("deleteUserCallback", "in", "utf8-q"),
    requests: () => [3],
    go: invalidToken(404),
    nodeStatus: 500,
  },
  ...["deletePasskey", "updatePasskey"].map((id) => ({
    why:
      `Node answers 500 when ${id}'s id holds a NUL (PostgreSQL refuses the query); ` +
      "Go looks such an id up as unknown: 404 PASSKEY_NOT_FOUND",
    applies: named(id, "in", "id nul"),
    requests: () => [0],
    go: json(404, { message: "Passkey not found", code: "PASSKEY_NOT_FOUND" }),
    nodeStatus: 500,
  })),
];

/** The documented differences that apply to a case, with the affected request indexes. */
export function differencesFor(c) {
  return MATRIX_DIFFERENCES.filter((d) => d.applies(c)).map((d) => ({ ...d, indexes: new Set(d.requests(c)) }));
}
