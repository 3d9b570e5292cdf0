// Schema customisation (issue 16): the configurations in conformance/schemas/, given to both
// servers of a group with `schema: "<name>"` (lib/groups.mjs) as KERNIA_SCHEMA, the JSON of
// Better Auth's `user`/`session`/`account`/`verification`/`rateLimit`
// ({modelName, fields, additionalFields}) and `advanced.database` (servers/node-server.mjs).
//
// The harness reads rows through the names a configuration gives the tables and columns
// (lib/db.mjs), so that it looks where both servers write.
import fs from "node:fs";
import path from "node:path";
import { ROOT } from "./config.mjs";

export const SCHEMA_DIR = path.join(ROOT, "schemas");
const cache = new Map();

/** The parsed configuration `name` (conformance/schemas/<name>.json), or {} for none. */
export function schemaConfig(name) {
  if (!name) return {};
  if (!cache.has(name)) cache.set(name, JSON.parse(fs.readFileSync(schemaFile(name), "utf8")));
  return cache.get(name);
}

export function schemaFile(name) {
  if (!/^[a-z0-9_-]+$/.test(name)) throw new Error(`bad schema name ${name}`);
  return path.join(SCHEMA_DIR, `${name}.json`);
}

/** KERNIA_SCHEMA for a group: the file's text, as both servers get it. */
export function schemaEnv(name) {
  return name ? { KERNIA_SCHEMA: fs.readFileSync(schemaFile(name), "utf8") } : {};
}

const MODELS = ["user", "session", "account", "verification", "rateLimit", "twoFactor"];

/**
 * The database names of a configuration: names.table(model) is the quoted table,
 * names.col(model, field) the quoted column of a logical field (a core field renamed in
 * `fields`, an additional field renamed with `fieldName`, or the field itself).
 */
export function schemaNames(name) {
  const config = schemaConfig(name);
  const ident = (s) => `"${s.replace(/"/g, '""')}"`;
  const raw = {
    table: (model) => {
      if (!MODELS.includes(model)) throw new Error(`unknown model ${model}`);
      return config[model]?.modelName ?? model;
    },
    col: (model, field) => config[model]?.fields?.[field] ?? config[model]?.additionalFields?.[field]?.fieldName ?? field,
  };
  return {
    raw,
    table: (model) => ident(raw.table(model)),
    col: (model, field) => ident(raw.col(model, field)),
    uuid: config.advanced?.database?.generateId === "uuid",
  };
}
