// KERNIA_SCHEMA (conformance/schemas/*.json, lib/schemas.mjs) merged into Better Auth's options:
// the tables' `user`, `session`, `account`, `verification` and `rateLimit`
// ({modelName, fields, additionalFields}) key by key into what the server already sets there
// (the account flows' `user`, the rate limiter's switch and storage), and `advanced.database`
// into `advanced`. Any other key is refused, so that a configuration the harness gives the Go
// side is never silently left out on the Node side. Used by the Node server and by the
// harness's own getMigrations calls (lib/takeover.mjs).

// Plain objects are merged key by key; anything else in `extra` replaces what `base` has.
function deepMerge(base, extra) {
  if (!isPlainObject(base) || !isPlainObject(extra)) return extra === undefined ? base : extra;
  const out = { ...base };
  for (const [k, v] of Object.entries(extra)) out[k] = deepMerge(base[k], v);
  return out;
}

function isPlainObject(v) {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

// KERNIA_SCHEMA: the tables' customisation and advanced.database, merged into the options.
export function applySchema(options, json) {
  if (!json) return options;
  const schema = JSON.parse(json);
  const known = new Set(["user", "session", "account", "verification", "rateLimit", "advanced"]);
  for (const key of Object.keys(schema)) {
    if (!known.has(key)) throw new Error(`KERNIA_SCHEMA: unknown key ${key}`);
  }
  const out = { ...options };
  for (const key of ["user", "session", "account", "verification", "rateLimit"]) {
    if (schema[key]) out[key] = deepMerge(options[key] ?? {}, schema[key]);
  }
  for (const key of Object.keys(schema.advanced ?? {})) {
    if (key !== "database") throw new Error(`KERNIA_SCHEMA: unknown key advanced.${key}`);
  }
  if (schema.advanced?.database) {
    out.advanced = { ...options.advanced, database: deepMerge(options.advanced?.database ?? {}, schema.advanced.database) };
  }
  return out;
}
