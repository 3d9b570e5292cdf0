// PostgreSQL: the databases a run creates and drops, and the rows it compares.
import pg from "pg";
import { schemaNames } from "./schemas.mjs";

// Dates come back as JS Date (timestamptz) and bigints as strings; both are fine for
// comparison after normalisation, so pg's default type parsers are kept.

export class Cluster {
  constructor(adminURL) {
    this.adminURL = adminURL;
    this.created = [];
    this.pools = new Set();
  }

  // A database URL on the same cluster as the admin URL.
  urlFor(name) {
    const u = new URL(this.adminURL);
    u.pathname = "/" + name;
    return u.toString();
  }

  async admin(sql) {
    const c = new pg.Client({ connectionString: this.adminURL });
    await c.connect();
    try {
      return await c.query(sql);
    } finally {
      await c.end();
    }
  }

  async createDatabase(name) {
    if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`bad database name ${name}`);
    await this.admin(`drop database if exists ${name} with (force)`);
    await this.admin(`create database ${name}`);
    this.created.push(name);
    return this.urlFor(name);
  }

  pool(url) {
    const p = new pg.Pool({ connectionString: url, max: 4 });
    this.pools.add(p);
    return p;
  }

  async close({ keep = false } = {}) {
    await Promise.allSettled([...this.pools].map((p) => p.end()));
    this.pools.clear();
    if (keep) return;
    for (const name of this.created.splice(0)) {
      await this.admin(`drop database if exists ${name} with (force)`).catch(() => {});
    }
  }
}

// The rows belonging to the users whose email is in `domain`: each scenario signs up
// its users under its own domain, so this selects exactly what the scenario touched.
// The order is chosen from non-random columns so both sides list rows alike. `schema` is a
// group's configuration (lib/schemas.mjs): its tables and columns are read under the names
// it gives them, and the rows keep the database's column names.
export async function rowsForDomain(pool, domain, schema) {
  const n = schemaNames(schema);
  const [U, S, A, V] = ["user", "session", "account", "verification"].map((m) => n.table(m));
  const u = (f) => `u.${n.col("user", f)}`;
  const like = "%@" + domain;
  const q = (sql) => pool.query(sql, [like]).then((r) => r.rows);
  const users = `select u.* from ${U} u where lower(${u("email")}) like $1`;
  return {
    user: await q(`${users} order by lower(${u("email")})`),
    account: await q(
      `select a.* from ${A} a join (${users}) u on ${u("id")} = a.${n.col("account", "userId")}
        order by lower(${u("email")}), a.${n.col("account", "providerId")}, a.${n.col("account", "createdAt")}`,
    ),
    session: await q(
      `select s.* from ${S} s join (${users}) u on ${u("id")} = s.${n.col("session", "userId")}
        order by lower(${u("email")}), s.${n.col("session", "createdAt")}, s.${n.col("session", "expiresAt")}`,
    ),
    // The single-use tokens of the account flows (password reset, deletion) hold the user's id
    // (as text: the id may be a uuid).
    verification: await q(
      `select v.* from ${V} v join (${users}) u on ${u("id")}::text = v.${n.col("verification", "value")}
        order by lower(${u("email")}), v.${n.col("verification", "identifier")} like 'reset-password:%' desc, v.${n.col("verification", "createdAt")}`,
    ),
  };
}

// Every row of the core tables, keyed by id: used by the adoption scenarios to prove
// that nothing was lost or changed.
export async function allCoreRows(pool, schema) {
  const n = schemaNames(schema);
  const out = {};
  for (const table of ["user", "account", "session", "verification"]) {
    const { rows } = await pool.query(`select * from ${n.table(table)}`);
    out[table] = new Map(rows.map((r) => [r.id, r]));
  }
  return out;
}
