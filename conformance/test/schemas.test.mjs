// The schema configurations (lib/schemas.mjs, servers/schema-options.mjs): the names the harness
// reads rows under, and how KERNIA_SCHEMA is merged into the Node server's options.
import assert from "node:assert/strict";
import { test } from "node:test";
import { applySchema } from "../servers/schema-options.mjs";
import { schemaConfig, schemaEnv, schemaNames } from "../lib/schemas.mjs";

test("names.json: tables and columns renamed, others as they are", () => {
  const n = schemaNames("names");
  assert.equal(n.table("user"), '"users"');
  assert.equal(n.col("user", "name"), '"full_name"');
  assert.equal(n.col("user", "email"), '"email"');
  assert.equal(n.col("account", "password"), '"password_hash"');
  assert.equal(n.table("rateLimit"), '"rate_limits"');
  assert.equal(n.col("rateLimit", "lastRequest"), '"last_request"');
  assert.equal(n.uuid, true);
  assert.throws(() => n.table("users"), /unknown model/);
});

test("fields.json: an additional field's fieldName is its column; no schema is the core's", () => {
  assert.equal(schemaNames("fields").col("user", "nickname"), '"nick_name"');
  assert.equal(schemaNames("fields").col("user", "tenantId"), '"tenantId"');
  const core = schemaNames(undefined);
  assert.equal(core.table("session"), '"session"');
  assert.equal(core.col("session", "userId"), '"userId"');
  assert.equal(core.uuid, false);
  assert.deepEqual(schemaEnv(undefined), {});
});

test("KERNIA_SCHEMA is merged key by key into the options", () => {
  const base = {
    user: { changeEmail: { enabled: true }, deleteUser: { enabled: false } },
    rateLimit: { enabled: true, storage: "database" },
    advanced: { ipAddress: { trustedProxies: ["127.0.0.1"] } },
  };
  const out = applySchema(base, schemaEnv("names").KERNIA_SCHEMA);
  assert.equal(out.user.modelName, "users");
  assert.deepEqual(out.user.changeEmail, { enabled: true });
  assert.deepEqual(out.rateLimit, { enabled: true, storage: "database", modelName: "rate_limits", fields: { lastRequest: "last_request" } });
  assert.deepEqual(out.advanced, { ipAddress: { trustedProxies: ["127.0.0.1"] }, database: { generateId: "uuid" } });
  const fields = applySchema(base, schemaEnv("fields").KERNIA_SCHEMA);
  assert.deepEqual(fields.user.additionalFields.role.type, ["member", "admin"]);
  assert.deepEqual(fields.user.deleteUser, { enabled: false });
  assert.equal(base.user.additionalFields, undefined, "the base options are left alone");
  assert.equal(applySchema(base, undefined), base);
});

test("KERNIA_SCHEMA with a key the harness does not pass on is refused", () => {
  assert.throws(() => applySchema({}, JSON.stringify({ plugins: [] })), /unknown key plugins/);
  assert.throws(() => applySchema({}, JSON.stringify({ advanced: { cookiePrefix: "x" } })), /unknown key advanced.cookiePrefix/);
  assert.ok(schemaConfig("fields").user.additionalFields.tenantId.required);
});

test("a schema group without its build is skipped, except under CI and in self-test", async () => {
  const { missingBuild } = await import("../lib/groups.mjs");
  const fields = { kind: "compare", group: "schema_fields" };
  const takeover = { kind: "custom", groups: ["schema_names"] };
  assert.equal(missingBuild(fields, { selfTest: false, env: {} }), "GO_SERVER_BIN_SCHEMA_FIELDS");
  assert.equal(missingBuild(takeover, { selfTest: false, env: {} }), "GO_SERVER_BIN_SCHEMA_NAMES");
  assert.equal(missingBuild({ kind: "compare", group: "schema_fields_cache" }, { selfTest: false, env: {} }), "GO_SERVER_BIN_SCHEMA_FIELDS");
  assert.equal(missingBuild(fields, { selfTest: false, env: { GO_SERVER_BIN_SCHEMA_FIELDS: "/x" } }), null);
  assert.equal(missingBuild(fields, { selfTest: false, env: { CI: "true" } }), null);
  assert.equal(missingBuild(fields, { selfTest: true, env: {} }), null);
  // Other groups with builds of their own still fail without them.
  assert.equal(missingBuild({ kind: "compare", group: "bearer" }, { selfTest: false, env: {} }), null);
  assert.equal(missingBuild({ kind: "custom" }, { selfTest: false, env: {} }), null);
});
