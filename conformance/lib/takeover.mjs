// Checks shared by the takeover and adoption scenarios (one database, two servers).
import pg from "pg";
import { getMigrations } from "better-auth/db/migration";
import { applySchema } from "../servers/schema-options.mjs";
import { SECRET } from "./config.mjs";
import { schemaEnv } from "./schemas.mjs";

export const PASSWORD = "password123";

// GET /get-session as the browser's cookies stand, as raw JSON (no client date parsing).
export async function sessionOf(browser) {
  const r = await browser.request("GET", "/get-session");
  return { status: r.status, data: r.data, setCookie: r.headers.getSetCookie() };
}

export async function signUp(browser, email, extra = {}) {
  return browser.request("POST", "/sign-up/email", { json: { name: email.split("@")[0], email, password: PASSWORD, ...extra } });
}

export async function signIn(browser, email, extra = {}) {
  return browser.request("POST", "/sign-in/email", { json: { email, password: PASSWORD, ...extra } });
}

function same(a, b) {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Every row present before is present after, with the same value in every column that
 * still exists. `mayDrop` lists columns a migration is allowed to remove
 * ({ account: ["issuer"] } for the 1.7.0–1.7.2 layout).
 */
export function checkNoRowLost(h, before, after, { step, mayDrop = {} }) {
  for (const [table, rows] of Object.entries(before)) {
    const now = after[table];
    h.check(rows.size === 0 || now.size >= rows.size, { step, field: `${table}: row count`, node: rows.size, go: now.size });
    for (const [id, row] of rows) {
      const later = now.get(id);
      if (!h.check(later, { step, field: `${table} ${id}`, node: "present", go: "lost" })) continue;
      for (const [col, value] of Object.entries(row)) {
        if (!(col in later)) {
          h.check((mayDrop[table] ?? []).includes(col), { step, field: `${table}.${col}`, node: "column present", go: "column dropped" });
          continue;
        }
        h.check(same(value, later[col]), { step, field: `${table} ${id} .${col}`, node: value, go: later[col] });
      }
    }
  }
}

/**
 * What the pinned Better Auth's own migration engine would still change in a database:
 * nothing, for a schema that is complete and compatible. Used on the schema the Go
 * migrations create or adopt; `schema` names a group's customisation (lib/schemas.mjs), and
 * `rateLimitTable` also asks for the rate limiter's table (rateLimit.storage "database");
 * `plugins` are Better Auth plugin instances whose tables and fields count too.
 */
export async function schemaGaps(databaseURL, { schema, rateLimitTable = false, plugins = [] } = {}) {
  const pool = new pg.Pool({ connectionString: databaseURL, max: 2 });
  try {
    const options = applySchema(
      {
        database: pool, secret: SECRET, baseURL: "http://localhost:3000", emailAndPassword: { enabled: true }, telemetry: { enabled: false }, plugins,
        ...(rateLimitTable ? { rateLimit: { storage: "database" } } : {}),
      },
      schemaEnv(schema).KERNIA_SCHEMA,
    );
    const m = await getMigrations(options);
    const gaps = [
      ...m.toBeCreated.map((t) => `create table ${t.table}`),
      ...m.toBeAdded.map((t) => `add ${t.table}.${Object.keys(t.fields).join(", ")}`),
      ...(m.toBeAddedIndexes ?? []).map((i) => `add index ${i.name ?? JSON.stringify(i)} on ${i.table}`),
      ...(m.unsafeChanges ?? []).map((u) => `unsafe change ${JSON.stringify(u)}`),
      ...(m.schemaProblems ?? []),
    ];
    return gaps;
  } finally {
    await pool.end();
  }
}

/**
 * Takeover both ways on one database, as a group's two custom scenarios:
 *   "<label>: takeover, Go server on a Node database": Node's migrations make the schema and
 *     Node writes; then Go starts on that database;
 *   "<label>: takeover, Node server on a Go database": Go's migrations make the schema, which
 *     Better Auth's own migration planner (with `gapPlugins` and the group's `schema`) must
 *     find complete; Go writes; then Node starts.
 * `write(h, server, side)` makes the first server's data and returns what `read` needs;
 * `read(h, { first, second, data, side })` proves that the second server (`side`, "go" or
 * "node") serves that data, and may write its own for the first to read back. `snapshot(h,
 * db)`, when given, reads the rows before Go's migrations run on the Node database and after:
 * none may be lost or changed.
 */
export function takeoverBothWays({ label, group, gapPlugins = [], schema, write, read, snapshot }) {
  const scenario = (name, run) => ({ name: `${label}: takeover, ${name}`, kind: "custom", groups: [group], run });
  return [
    scenario("Go server on a Node database", async (h) => {
      const db = await h.database("shared");
      const node = await h.startNode({ databaseURL: db, groupName: group });
      const data = await write(h, node, "node");
      const before = snapshot && (await snapshot(h, db));
      const go = await h.startGo({ databaseURL: db, groupName: group });
      if (snapshot) checkNoRowLost(h, before, await snapshot(h, db), { step: "Go migrations on a Node database" });
      await read(h, { first: node, second: go, data, side: "go" });
    }),
    scenario("Node server on a Go database", async (h) => {
      const db = await h.database("shared");
      const go = await h.startGo({ databaseURL: db, groupName: group });
      const gaps = await schemaGaps(db, { schema, plugins: gapPlugins });
      h.check(gaps.length === 0, { step: "Better Auth migration plan on the Go schema", field: "changes", node: "(none)", go: gaps });
      const data = await write(h, go, "go");
      const node = await h.startNode({ databaseURL: db, groupName: group });
      await read(h, { first: go, second: node, data, side: "node" });
    }),
  ];
}

/** Checks that `side` ("go" or "node") answered `expected`, in the report's node/go columns. */
export function sideEqual(h, side, actual, expected, { step, field }) {
  return side === "go" ? h.equal(expected, actual, { side, step, field }) : h.equal(actual, expected, { side, step, field });
}

/** Records a failure of `side` unless `condition` holds; `actual` is what it said. */
export function sideCheck(h, side, condition, actual, expected, { step, field }) {
  const columns = side === "go" ? { node: expected, go: actual } : { node: actual, go: expected };
  return h.check(condition, { side, step, field, ...columns });
}

export async function columnNullable(databaseURL, table, column) {
  const pool = new pg.Pool({ connectionString: databaseURL, max: 1 });
  try {
    const { rows } = await pool.query(
      `select is_nullable from information_schema.columns where table_schema = current_schema() and table_name = $1 and column_name = $2`,
      [table, column],
    );
    return rows[0] ? rows[0].is_nullable === "YES" : "absent";
  } finally {
    await pool.end();
  }
}
