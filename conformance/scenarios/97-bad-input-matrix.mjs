// The bad-input matrix (lib/matrix.mjs): one scenario per endpoint, session state and case,
// generated from the OpenAPI files (openapi/*.yaml). Every request is compared with Node Better Auth 1.7.25 like any
// other step. Besides, on the Go side, every answer must be below 500, and a refused request
// (4xx) must leave every table as it was: the tables are hashed before and after it. Where the
// Go side differs by design or Node fails (lib/matrix-differences.mjs), the Go side's exact
// answer is asserted instead.
//
// Each scenario seeds its user (alice, with a password and a session) with SQL rather than
// through sign-up, so that the matrix spends no time in scrypt; signed-in scenarios carry that
// session's signed cookie.
//
// The operations that take additional fields (sign-up, update-user) also run in group
// schema_fields (schemas/fields.json), where the rows have more columns and sign-up needs
// tenantId: the spec's cases with that field added to sign-up's base body. The fields' own
// wrong-type cases are in scenarios/63-schema.mjs (lib/schema-cases.mjs).
import { randomBytes } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import { USER_AGENT } from "../lib/browser.mjs";
import { SECRET } from "../lib/config.mjs";
import { BEARER_GROUP, PASSWORD, loadSpec, matrixCases } from "../lib/matrix.mjs";
import { differencesFor } from "../lib/matrix-differences.mjs";
import { sign } from "../lib/normalize.mjs";
import { schemaConfig, schemaNames } from "../lib/schemas.mjs";

// In self-test both sides are Node: the Go side's own assertions are not checked where Node is
// known to differ (as expectDifference entries are not).
const SELF_TEST = Boolean(process.env.CONFORMANCE_SELF_TEST && process.env.CONFORMANCE_SELF_TEST !== "0");

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const id = () => Array.from(randomBytes(32), (b) => ALNUM[b % ALNUM.length]).join("");

let passwordHash;

// The required additional fields of a schema's user without a default, with a value each
// (only strings so far: fields.json's tenantId).
function requiredUserFields(schema) {
  const out = {};
  for (const [name, f] of Object.entries(schemaConfig(schema).user?.additionalFields ?? {})) {
    if (!f.required || f.defaultValue !== undefined || f.input === false) continue;
    if (f.type !== "string") throw new Error(`matrix: no sample value for required field ${name} of type ${f.type}`);
    out[name] = "t1";
  }
  return out;
}

// alice, her credential account and a fresh session, written as Better Auth writes them,
// under the group's table and column names. Returns the session's token.
async function seed(t) {
  passwordHash ??= hashPassword(PASSWORD);
  const hash = await passwordHash;
  const schema = t.server.group.schema;
  const n = schemaNames(schema);
  const cols = (model, fields) => fields.map((f) => n.col(model, f)).join(", ");
  const extra = Object.entries(requiredUserFields(schema));
  const userId = id();
  const token = id();
  // One statement: the foreign keys are checked at its end.
  await t.sql(
    `with u as (
       insert into ${n.table("user")} (${cols("user", ["id", "name", "email", "emailVerified", "image", "createdAt", "updatedAt", ...extra.map(([k]) => k)])})
       values ($1, 'Alice', $2, false, null, now(), now()${extra.map((_, i) => `, $${8 + i}`).join("")}) returning ${n.col("user", "id")} as id),
     a as (
       insert into ${n.table("account")} (${cols("account", ["id", "accountId", "providerId", "userId", "password", "createdAt", "updatedAt"])})
       select $3, u.id, 'credential', u.id, $4, now(), now() from u)
     insert into ${n.table("session")} (${cols("session", ["id", "token", "userId", "expiresAt", "createdAt", "updatedAt", "ipAddress", "userAgent"])})
     select $5, $6, u.id, now() + interval '7 days', now(), now(), '', $7 from u`,
    [userId, t.email("alice"), id(), hash, id(), token, USER_AGENT, ...extra.map(([, v]) => v)],
  );
  return token;
}

const tablesOf = new WeakMap();

// A hash of every row of every table of this side's database (goose's bookkeeping aside).
async function snapshot(t) {
  if (!tablesOf.has(t.pool)) {
    const { rows } = await t.sql(
      `select table_name from information_schema.tables
        where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name not like 'goose%'
        order by table_name`,
    );
    tablesOf.set(t.pool, rows.map((r) => r.table_name));
  }
  const sql = tablesOf
    .get(t.pool)
    .map((name) => `select '${name}' as t, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as h from "${name}" x`)
    .join(" union all ");
  const { rows } = await t.sql(sql);
  return Object.fromEntries(rows.map((r) => [r.t, r.h]));
}

function changedTables(before, after) {
  return Object.keys({ ...before, ...after }).filter((k) => before[k] !== after[k]);
}

function scenarioOf(c) {
  const differences = differencesFor(c);
  const documented = (i) => differences.filter((d) => d.indexes.has(i));
  return {
    name: c.name,
    group: c.group,
    async run(t) {
      const token = await seed(t);
      const env = {
        bodyExtra: { signUpEmail: requiredUserFields(t.server.group.schema) },
        email: (local) => t.email(local),
        token,
        cookie: (name) => t.cookieName(name),
        signature: (value) => sign(SECRET, value),
      };
      const b = t.browser();
      if (c.auth === "in") b.jar.set(t.cookieName("session_token"), t.signed(token));
      // On the Go side, the tables' hash after one request is the one before the next.
      let before = t.side === "go" ? await snapshot(t) : null;
      for (const [i, req] of c.requests(env).entries()) {
        const what = `${c.name} #${i + 1}`;
        const res = await b.request(req.method, req.path, { body: req.body, headers: req.headers, plain: true });
        const known = documented(i);
        if (t.side === "node") {
          for (const d of known) {
            if (d.nodeStatus !== undefined) t.check(res.status === d.nodeStatus, `${what}: Node's answer (${d.why})`, `Node answered ${res.status}, not ${d.nodeStatus}`);
          }
          continue;
        }
        if (SELF_TEST && known.length) continue;
        t.check(res.status < 500, `${what}: no 5xx`, `Go answered ${res.status} ${res.text.slice(0, 300)}`);
        const after = await snapshot(t);
        if (res.status >= 400) {
          const changed = changedTables(before, after);
          t.check(changed.length === 0, `${what}: a refused request changes no row`, `changed: ${changed.join(", ")}`);
        }
        before = after;
        for (const d of known) {
          const verdict = d.go(res);
          t.check(verdict === true, `${what}: Go's answer (${d.why})`, verdict === true ? "" : verdict);
        }
      }
    },
    // The Go side's answer is asserted above; the comparison accepts any difference in these
    // requests, and requires that there is one.
    expectDifference: differences.flatMap((d) => [
      ...[...d.indexes].map((i) => ({ step: new RegExp(`^#${i + 1} `), field: /./, why: d.why, check: () => true })),
      ...(d.rows ?? []).map((e) => ({ ...e, why: d.why })),
    ]),
  };
}

// The operations that read additional fields, again in group schema_fields (the bearer group's
// cases need a build of their own and stay in "bearer").
const SCHEMA_OPERATIONS = new Set(["signUpEmail", "updateUser"]);
const schemaCases = matrixCases(loadSpec())
  .filter((c) => SCHEMA_OPERATIONS.has(c.op.id) && c.group !== BEARER_GROUP)
  .map((c) => ({ ...c, name: c.name.replace(/^matrix /, "matrix fields "), group: "schema_fields" }));

export default [...matrixCases(loadSpec()), ...schemaCases].map(scenarioOf);
