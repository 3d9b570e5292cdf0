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
