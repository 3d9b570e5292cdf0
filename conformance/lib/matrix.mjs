// The bad-input matrix: cases generated from the OpenAPI files (openapi/*.yaml), so that a new endpoint is covered
// without anyone writing its cases (scenarios/97-bad-input-matrix.mjs runs them).
//
// Every operation gets the cases that fit its method, body schema, query and path
// parameters and session needs:
//
//   body (every POST)     malformed and truncated JSON, an empty body, no Content-Type, an
//                         unknown Content-Type, JSON nested 10,000 deep, a body past the cap
//   body schema fields    each field as every JSON type but its own; a 60,000-character string
//                         (within the 64 KiB cap); invalid UTF-8; a NUL character; bodies that
//                         are not objects
//   redirect fields       CR/LF, javascript:, //evil.example and the like in callbackURL and
//                         redirectTo, in a body or a query
//   query parameters      repeated keys, invalid UTF-8 and NUL, broken %-escapes, an 8,000-character
//                         value
//   path parameters       invalid UTF-8, NUL, dot segments, an encoded slash, a long value
//   cookies               garbled, forged, wrongly signed, 100 cookies, a 10 kB Cookie header, bytes
//                         that are not UTF-8
//   Authorization         every malformed bearer shape (in the bearer group)
//   other headers         User-Agent and X-Forwarded-For with bytes that are not ASCII, too long,
//                         or not addresses
//
// Operations that use a session (x-kernia-session: required or optional) get the body and
// query cases twice: signed out, and signed in with a valid session, since otherwise the
// session check could answer before the input is looked at.
//
// A case is data: { name, op, auth, group, kind, requests(env) }, where env gives the
// scenario's addresses and the seeded user's session token. Which operations a case
// applies to is decided here from the spec alone; coverage() proves that every operation
// of the OpenAPI files has its cases (test/matrix.test.mjs).
import fs from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { ROOT } from "./config.mjs";

export const OPENAPI_DIR = path.join(ROOT, "..", "openapi");

// The scenario group each plugin's operations run in. The core's run in "mail", where every
// account flow is switched on, so that the flows' own checks are reached too. A plugin
// missing here makes the generator throw: its operations would otherwise go untested.
export const PLUGIN_GROUPS = { core: "mail", "multi-session": "multi", username: "username", social: "social", "two-factor": "two_factor", passkey: "passkey" };
// Plugins whose scenario group does not exist yet, left out of the matrix until it does:
// social needs a group with a local identity provider on both sides (being written beside the
// Go side). Remove a plugin from here when PLUGIN_GROUPS names its group.
export const PLUGINS_WITHOUT_GROUP = new Set([]);
// The bearer plugin has no operations of its own; its header is tried on the core's.
export const BEARER_GROUP = "bearer";

// Operations whose body Better Auth never reads (disableBody): what a POST sends there does not
// matter. The Go router's bodilessEndpoints lists the same.
export const BODILESS_OPERATIONS = new Set(["refreshSession"]);

// The Go side's default body cap (Config.MaxBodyBytes).
export const BODY_CAP = 64 * 1024;
export const HUGE_WITHIN_CAP = 60_000;
export const PAST_CAP = 1024 * 1024;
export const NESTING = 10_000;

const METHODS = ["get", "post", "put", "patch", "delete"];
const JSON_TYPES = ["string", "number", "boolean", "object", "array", "null"];
// A value of each JSON type, for the wrong-type cases.
const OF_TYPE = { string: "text", number: 42, boolean: true, object: { a: 1 }, array: ["a"], null: null };

export const PASSWORD = "password123";

/**
 * Every plugin's operations in one document, as the generator merges them
 * (generator/openapi_load.go): openapi/core.yaml with each plugin's paths and schemas added,
 * and each operation's plugin, the file it came from, in x-kernia-plugin.
 */
export function loadSpec(dir = OPENAPI_DIR) {
  const read = (plugin) => {
    const doc = parse(fs.readFileSync(path.join(dir, `${plugin}.yaml`), "utf8"));
    for (const [route, item] of Object.entries(doc.paths ?? {})) {
      for (const method of METHODS) {
        if (!item[method]) continue;
        const named = item[method]["x-kernia-plugin"];
        if (named && named !== plugin) throw new Error(`openapi/${plugin}.yaml: ${method} ${route} names plugin ${named}`);
        item[method]["x-kernia-plugin"] = plugin;
      }
    }
    return doc;
  };
  const spec = read("core");
  const plugins = fs.readdirSync(dir).filter((f) => f.endsWith(".yaml") && f !== "core.yaml").map((f) => f.slice(0, -".yaml".length));
  for (const plugin of plugins.sort()) {
    const part = read(plugin);
    for (const [key, into] of [["paths", spec.paths], ["schemas", spec.components.schemas]]) {
      const from = key === "paths" ? part.paths : part.components?.schemas;
      for (const [name, value] of Object.entries(from ?? {})) {
        if (name in into) throw new Error(`openapi/${plugin}.yaml: ${key} ${name} is defined twice`);
        into[name] = value;
      }
    }
  }
  return spec;
}

function deref(spec, schema) {
  let s = schema ?? {};
  for (let i = 0; s.$ref && i < 10; i++) {
    const m = /^#\/components\/schemas\/(.+)$/.exec(s.$ref);
    if (!m || !spec.components?.schemas?.[m[1]]) throw new Error(`openapi: cannot resolve ${s.$ref}`);
    s = spec.components.schemas[m[1]];
  }
  return s;
}

/** The operations of the spec, with what the cases need to know about their input. */
export function operations(spec) {
  const out = [];
  for (const [route, item] of Object.entries(spec.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const where = `${method.toUpperCase()} ${route}`;
      const plugin = op["x-kernia-plugin"];
      if (!plugin) throw new Error(`openapi: ${where} has no x-kernia-plugin`);
      if (PLUGINS_WITHOUT_GROUP.has(plugin)) continue;
      const session = op["x-kernia-session"] ?? "none";
      if (!["none", "optional", "required"].includes(session)) throw new Error(`openapi: ${where}: x-kernia-session must be required or optional`);
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])];
      const query = [];
      const pathParams = [];
      for (const p of params) {
        if (p.in === "query") query.push(p.name);
        else if (p.in === "path") pathParams.push(p.name);
        // Headers and cookies as parameters would need cases of their own.
        else throw new Error(`openapi: ${where}: no matrix cases for ${p.in} parameter ${p.name}`);
      }
      let body = null;
      if (op.requestBody) {
        const media = Object.keys(op.requestBody.content ?? {});
        if (!media.includes("application/json")) throw new Error(`openapi: ${where}: the matrix needs an application/json body`);
        const schema = deref(spec, op.requestBody.content["application/json"].schema);
        if (schema.type !== "object") throw new Error(`openapi: ${where}: the matrix needs an object body`);
        const required = new Set(schema.required ?? []);
        const fields = Object.entries(schema.properties ?? {}).map(([name, prop]) => {
          const type = deref(spec, prop).type;
          if (!JSON_TYPES.includes(type === "integer" ? "number" : type)) throw new Error(`openapi: ${where}: field ${name} has no type`);
          return { name, type: type === "integer" ? "number" : type, required: required.has(name) };
        });
        body = { required: op.requestBody.required === true, media, fields, open: Boolean(schema.additionalProperties) };
      }
      out.push({
        route, method: method.toUpperCase(), id: op.operationId, plugin, session, query, pathParams, body,
        redirects: [...(body?.fields ?? []).map((f) => f.name), ...query].filter(isRedirectField),
      });
    }
  }
  return out;
}

export function isRedirectField(name) {
  return /^(callbackURL|redirectTo)$|URL$/.test(name);
}

// A deterministic string of letters and digits that does not compress well: a long run of
// one character would slip under PostgreSQL's index size limits after compression.
// Made once per length and seed: both sides of every scenario use the same strings.
const noiseMade = new Map();

export function noise(length, seed = 7) {
  const key = `${length}:${seed}`;
  if (!noiseMade.has(key)) {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    const out = Buffer.alloc(length);
    let x = seed;
    for (let i = 0; i < length; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      out[i] = alphabet.charCodeAt((x >>> 16) % alphabet.length);
    }
    noiseMade.set(key, out.toString("latin1"));
  }
  return noiseMade.get(key);
}

// A well-formed value for a field, by its name and type; names the table does not know get a
// plain value of their type. With the seeded user's address and password, most bodies are
// valid, so each case changes exactly one thing.
export function sampleValue(field, env) {
  const { name, type } = field;
  if (type === "boolean") return /^revoke|^remember/.test(name) ? false : true;
  if (type === "number") return 1;
  if (type === "array") return [];
  if (type === "object") return {};
  if (/^newEmail$/i.test(name)) return env.email("new");
  if (/email/i.test(name)) return env.email("alice");
  if (/password/i.test(name)) return PASSWORD;
  if (isRedirectField(name)) return "/dashboard";
  if (/token/i.test(name)) return "T".repeat(32);
  if (name === "name") return "Alice";
  if (name === "image") return "https://example.com/a.png";
  return "x";
}

// A long string that is still a well-formed value for the field (an address stays an
// address, a redirect stays a relative path), so that it reaches past validation.
function hugeValue(field, env, length) {
  if (/email/i.test(field.name)) {
    const domain = env.email("x").split("@")[1];
    return `${noise(length - domain.length - 1)}@${domain}`;
  }
  if (isRedirectField(field.name)) return `/${noise(length - 1)}`;
  return noise(length);
}

export function baseBody(op, env) {
  if (!op.body) return undefined;
  const body = {};
  for (const f of op.body.fields) if (f.required || f.type !== "boolean") body[f.name] = sampleValue(f, env);
  // What a group's server requires besides the spec's fields: a schema group's required
  // additional fields (scenarios/97-bad-input-matrix.mjs).
  Object.assign(body, env.bodyExtra?.[op.id]);
  return body;
}

// Query parameters, each with its sample value, as [name, value] pairs.
function baseQuery(op, env) {
  return op.query.map((name) => [name, sampleValue({ name, type: "string" }, env)]);
}

function queryString(pairs) {
  if (pairs.length === 0) return "";
  return "?" + pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
}

// The base query with one parameter's value written raw (already %-encoded, or broken).
function queryWith(op, env, name, raw) {
  return "?" + baseQuery(op, env).map(([k, v]) => `${encodeURIComponent(k)}=${k === name ? raw : encodeURIComponent(v)}`).join("&");
}

// The route with its path parameters filled in (a well-formed value, or one given raw).
function routePath(op, raw = {}) {
  return op.route.replace(/\{([^}]+)\}/g, (_, name) => raw[name] ?? "T".repeat(32));
}

const JSON_HEADERS = { "content-type": "application/json" };

// A request: method and path (relative to the base path, with its query), body (string or
// bytes) and headers. contentType: false sends no Content-Type at all. Every request goes out
// through node:http on a connection of its own, with exactly these headers (and the page's
// Origin on a POST, as a browser sends it).
function request(op, env, { body, query, path, headers, contentType = true } = {}) {
  const json = op.method !== "GET" && body === undefined ? baseBody(op, env) : undefined;
  if (json !== undefined) body = JSON.stringify(json);
  return {
    method: op.method,
    path: (path ?? routePath(op)) + (query ?? queryString(baseQuery(op, env))),
    body,
    headers: { ...(body !== undefined && contentType ? JSON_HEADERS : {}), ...headers },
  };
}

// A body with one field replaced by raw JSON text (for bytes that JSON.stringify cannot write).
function bodyWithRaw(op, env, name, rawJSON) {
  const marker = "\u0000raw\u0000";
  const text = JSON.stringify({ ...baseBody(op, env), [name]: marker });
  return text.replace(JSON.stringify(marker), rawJSON);
}

// Stray bytes, a cut 2-byte sequence, an encoded surrogate and a cut 4-byte sequence: decoders
// differ in how many U+FFFD each becomes.
const INVALID_UTF8 = Buffer.from([0x61, 0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0xf0, 0x9f, 0x98, 0x62]);

function withInvalidUTF8(op, env, field) {
  // Bytes inside the string: after the address's local part starts, or after the leading "/".
  const good = sampleValue(field, env);
  const at = /email/i.test(field.name) ? 2 : isRedirectField(field.name) ? 1 : good.length;
  const text = bodyWithRaw(op, env, field.name, `"${good.slice(0, at)}\u0001${good.slice(at)}"`);
  const [head, tail] = text.split("\u0001");
  return Buffer.concat([Buffer.from(head), INVALID_UTF8, Buffer.from(tail)]);
}

// The field's sample value with a JSON escape written into it, where withInvalidUTF8 puts its bytes.
function withEscape(op, env, field, escape) {
  const good = sampleValue(field, env);
  const at = /email/i.test(field.name) ? 2 : isRedirectField(field.name) ? 1 : good.length;
  return bodyWithRaw(op, env, field.name, `${JSON.stringify(good.slice(0, at)).slice(0, -1)}${escape}${JSON.stringify(good.slice(at)).slice(1)}`);
}

const deep = (n) => "[".repeat(n) + "]".repeat(n);

// Values an attacker might put where the server redirects to or builds a link from.
export const REDIRECT_ATTACKS = [
  "/a\r\nSet-Cookie: injected=1",
  "/a%0d%0aLocation:%20https://evil.example",
  "javascript:alert(1)",
  "//evil.example",
  "/\\evil.example",
  "https://evil.example/x",
  " http://evil.example",
];

// Cookie headers that carry no valid session: garbled, forged from the seeded user's real
// token, oversized. env.cookie(name) is the group's cookie name.
function cookieAttacks(env) {
  const st = env.cookie("session_token");
  const token = env.token;
  const sig = "A".repeat(43) + "=";
  return [
    `${st}=garbage`,
    `${st}=${token}`,
    `${st}=${token}.${sig}`,
    `${st}=${encodeURIComponent(`${token}.${sig}`)}`,
    `${st}=${token}.${env.signature(token).slice(0, 20)}`,
    `${st}=${token}.${env.signature(token).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_")}`,
    `${st}=%E0%A4%A`,
    `${st}=${token}.%ZZ`,
    `${env.cookie("session_data")}=${noise(200)}; ${env.cookie("dont_remember")}=${noise(40)}`,
    Array.from({ length: 100 }, (_, i) => `c${i}=${noise(8, i + 1)}`).join("; ") + `; ${st}=${token}.${sig}`,
    `${st}=${noise(10_000)}`,
    `${st}=a; ${st}=b; ${st}=${token}.${sig}`,
    `${st}=\u00ff\u00fe.\u00e9`,
    `${st}=a%00b.${sig}`,
  ];
}

// Request headers whose values end up in rows (the session's user agent and IP address):
// bytes that are not ASCII (a header is Latin-1 on the wire), UTF-8 bytes, and values that
// are too long or not addresses at all.
const HEADER_ATTACKS = [
  { "user-agent": "Mozilla/5.0 \u00ff\u00fe\u00e9" },
  { "user-agent": "Mozilla/5.0 \u00c3\u00a9" },
  { "user-agent": noise(10_000) },
  { "x-forwarded-for": "not-an-ip" },
  { "x-forwarded-for": "203.0.113.9, 999.1.1.1, garbage" },
  { "x-forwarded-for": "\u00ff, 203.0.113.7" },
];

function bearerAttacks(env) {
  const token = env.token;
  const sig = env.signature(token);
  return [
    "Bearer",
    "Bearer ",
    "Bearer  ",
    "bearer x",
    "Basic " + Buffer.from("alice:password").toString("base64"),
    `Bearer ${token}.${"A".repeat(43)}=`,
    `Bearer ${token}.`,
    `Bearer .${sig}`,
    `Bearer ${token}.${sig}.${sig}`,
    `Bearer ${token}.${sig.slice(0, 20)}`,
    `Bearer ${token} ${sig}`,
    `Bearer %ZZ.%ZZ`,
    `Bearer ${encodeURIComponent(`${token}.${"A".repeat(43)}=`)}`,
    `Bearer ${noise(10_000)}`,
    `Token ${token}`,
    "Bearer \u00ff\u00fe.\u00e9",
    "Bearer a%00b",
    `Bearer ${token}\u00ff`,
  ];
}

/** Every case of the matrix, in a stable order. */
export function matrixCases(spec) {
  const cases = [];
  for (const op of operations(spec)) {
    const group = PLUGIN_GROUPS[op.plugin];
    if (!group) throw new Error(`matrix: no scenario group for plugin ${op.plugin} (lib/matrix.mjs PLUGIN_GROUPS)`);
    const auths = op.session === "none" ? ["out"] : ["out", "in"];
    const add = (auth, kind, label, requests, extra = {}) =>
      cases.push({ name: `matrix ${op.id} ${auth} ${label}`, op, auth, group: extra.group ?? group, kind, requests });

    // Cookies and Authorization headers carry no session, so they are tried signed out. An
    // endpoint that uses no session gets an empty object, so that no request succeeds.
    const quiet = op.session === "none" && op.body ? "{}" : undefined;
    add("out", "cookies", "cookies", (env) => cookieAttacks(env).map((cookie) => request(op, env, { body: quiet, headers: { cookie } })));
    if (op.plugin === "core") {
      add("out", "bearer", "bearer", (env) => bearerAttacks(env).map((authorization) => request(op, env, { body: quiet, headers: { authorization } })), {
        group: BEARER_GROUP,
      });
    }
    // Stored headers matter where a session is created (sign-in), which needs no session.
    add("out", "headers", "headers", (env) => HEADER_ATTACKS.map((headers) => request(op, env, { headers })));
    if (op.pathParams.length) {
      add("out", "path", "path", (env) =>
        op.pathParams.flatMap((name) =>
          ["%FF%FE", "%00", "..", "%2F", "%2e%2e", "a%0d%0ab", noise(4000)].map((v) => request(op, env, { path: routePath(op, { [name]: v }) })),
        ),
      );
    }

    for (const auth of auths) {
      if (op.query.length) {
        add(auth, "query", "repeat-q", (env) =>
          op.query.map((name) => request(op, env, { query: queryString([...baseQuery(op, env), [name, "second"]]) })),
        );
        add(auth, "query", "utf8-q", (env) =>
          op.query.flatMap((name) => ["%FF%FE", "%C3%28", "%ED%A0%80", "a%00b"].map((v) => request(op, env, { query: queryWith(op, env, name, v) }))),
        );
        add(auth, "query", "pct-q", (env) =>
          op.query.flatMap((name) => ["%E0%A4%A", "%ZZ", "%", "a%2"].map((v) => request(op, env, { query: queryWith(op, env, name, v) }))),
        );
        add(auth, "query", "long-q", (env) => op.query.map((name) => request(op, env, { query: queryWith(op, env, name, noise(8000)) })));
      } else {
        add(auth, "query", "stray-q", (env) => [request(op, env, { query: "?x=1&x=2&%FF=%FE&y=%ZZ" })]);
      }
      for (const name of op.query.filter(isRedirectField)) {
        add(auth, "redirect", `${name} redirect-q`, (env) =>
          REDIRECT_ATTACKS.map((v) => request(op, env, { query: queryWith(op, env, name, encodeURIComponent(v)) })),
        );
      }

      if (op.method === "GET") continue;
      // The body as such, whatever the endpoint expects of it.
      add(auth, "body", "malformed", (env) => {
        const good = JSON.stringify(baseBody(op, env) ?? { a: 1 });
        return [good.slice(0, Math.ceil(good.length / 2)), "{", "{'a':1}", "{\"a\":1,}", "nul", "{\"a\":\"\\x\"}", "{\"a\":1}{\"b\":2}", "\uFEFF" + good].map((body) =>
          request(op, env, { body }),
        );
      });
      add(auth, "body", "empty", (env) => [request(op, env, { body: "" })]);
      add(auth, "body", "no-ctype", (env) => [request(op, env, { body: JSON.stringify(baseBody(op, env) ?? {}), contentType: false })]);
      add(auth, "body", "bad-ctype", (env) =>
        ["text/plain", "application/xml", "multipart/form-data; boundary=x", "application/jsonx", "json"].map((ct) =>
          request(op, env, { body: JSON.stringify(baseBody(op, env) ?? {}), headers: { "content-type": ct } }),
        ),
      );
      add(auth, "body", "deep", (env) => [
        request(op, env, { body: deep(NESTING) }),
        request(op, env, { body: op.body?.fields.length ? bodyWithRaw(op, env, op.body.fields[0].name, deep(NESTING)) : `{"a":${deep(NESTING)}}` }),
      ]);
      // Past the cap, only the size matters: the Go side refuses it before anything else,
      // signed in or not. Node has no cap; it sees a body with no known field.
      if (auth === "out") add(auth, "over-cap", "over-cap", (env) => [request(op, env, { body: JSON.stringify({ padding: noise(PAST_CAP) }) })]);
      if (!op.body) continue;
      add(auth, "body", "body-types", (env) => ["[]", "\"text\"", "42", "null", "true", "[{}]"].map((body) => request(op, env, { body })));
      for (const field of op.body.fields) {
        add(auth, "types", `${field.name} types`, (env) =>
          JSON_TYPES.filter((t) => t !== field.type).map((t) => request(op, env, { body: JSON.stringify({ ...baseBody(op, env), [field.name]: OF_TYPE[t] }) })),
        );
        if (field.type !== "string") continue;
        add(auth, "huge", `${field.name} huge`, (env) => [
          request(op, env, { body: JSON.stringify({ ...baseBody(op, env), [field.name]: hugeValue(field, env, HUGE_WITHIN_CAP) }) }),
        ]);
        add(auth, "utf8", `${field.name} utf8`, (env) => [request(op, env, { body: withInvalidUTF8(op, env, field) })]);
        add(auth, "nul", `${field.name} nul`, (env) => [request(op, env, { body: withEscape(op, env, field, "\\u0000") })]);
        if (isRedirectField(field.name)) {
          add(auth, "redirect", `${field.name} redirect`, (env) =>
            REDIRECT_ATTACKS.map((v) => request(op, env, { body: JSON.stringify({ ...baseBody(op, env), [field.name]: v }) })),
          );
        }
      }
    }
  }
  return cases;
}

// Kinds tried signed out only: what they send carries no session, is refused before any
// session is looked at (past the body cap), or is stored when a session is created (headers).
const SIGNED_OUT_ONLY = new Set(["cookies", "bearer", "path", "over-cap", "headers"]);

// The case kinds each operation must have, from its shape alone.
export function requiredKinds(op) {
  const kinds = new Set(["cookies", "query", "headers"]);
  if (op.plugin === "core") kinds.add("bearer");
  if (op.pathParams.length) kinds.add("path");
  if (op.method !== "GET") for (const k of ["body", "over-cap"]) kinds.add(k);
  if (op.body?.fields.length) kinds.add("types");
  if (op.body?.fields.some((f) => f.type === "string")) for (const k of ["huge", "utf8", "nul"]) kinds.add(k);
  if (op.redirects.length) kinds.add("redirect");
  return kinds;
}

/**
 * Which operations of the spec lack cases: [{ op: "POST /x", auth, missing: [kind…] }].
 * Empty when every operation has every kind its shape calls for, signed out and, when it
 * uses a session, signed in.
 */
export function coverage(spec, cases = matrixCases(spec)) {
  const gaps = [];
  for (const op of operations(spec)) {
    const mine = cases.filter((c) => c.op.method === op.method && c.op.route === op.route);
    for (const auth of op.session === "none" ? ["out"] : ["out", "in"]) {
      const have = new Set(mine.filter((c) => c.auth === auth).map((c) => c.kind));
      const want = [...requiredKinds(op)].filter((k) => auth === "out" || !SIGNED_OUT_ONLY.has(k));
      const missing = want.filter((k) => !have.has(k));
      if (missing.length) gaps.push({ op: `${op.method} ${op.route}`, auth, missing });
    }
  }
  return gaps;
}
