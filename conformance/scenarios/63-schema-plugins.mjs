// The two-factor and username plugins on customised schemas (groups schema_names_plugins and
// schema_serial_plugins): renamed tables with UUID ids (schemas/names.json) and integer ids the
// database assigns (schemas/serial.json). The twoFactor row's userId references the renamed or
// integer user id; enable → first code → sign-in challenge → TOTP, a backup code, and a
// username sign-in, compared side by side. With serial ids both sides take the same steps in
// the same order, so their sequences agree, but for one deliberate difference: at a challenged
// sign-in Better Auth inserts a session and deletes it again (its after-hook), spending a
// session id, where the Go side writes none (no session is left behind, not even briefly), so
// each later session id is smaller on the Go side by the number of challenges so far.
import { schemaNames } from "../lib/schemas.mjs";
import { PASSWORD, signedUp } from "../lib/steps.mjs";
import { totpFromURI } from "../lib/totp.mjs";

/** Session ids after challenged sign-ins: Node's are ahead by one per challenge (at most 2 here). */
const spentSessionIds = [{
  step: /get-session|getSession|^database$/,
  field: /(^|\.)session\.id$|^session\[\d+\]\.id$/,
  why: "Better Auth spends a session id on the session it inserts and deletes at each challenged sign-in; Go inserts none",
  check: (node, go) => {
    const ahead = Number(node) - Number(go);
    return (ahead >= 1 && ahead <= 2) || `Node's id ${node} is not 1 or 2 ahead of Go's ${go}`;
  },
}];

function flow(schema, group) {
  const S = schemaNames(schema);
  return {
    group,
    ...(schema === "serial" ? { expectDifference: spentSessionIds } : {}),
    name: `schema ${schema} with two-factor and username: enable, challenge, TOTP, backup code, username sign-in`,
    async run(t) {
      const { b, user } = await signedUp(t, "alice", { username: "alice_" + schema });
      const { data } = await t.call("enable", b.client.twoFactor.enable({ password: PASSWORD }));
      const uri = data?.totpURI ?? "otpauth://x?secret=A";
      await t.call("verifyTotp (enrol)", b.client.twoFactor.verifyTotp({ code: totpFromURI(uri) }));
      const { rows } = await t.sql(
        `select u.${S.col("user", "id")}::text = f.${S.col("twoFactor", "userId")}::text as owner, f.${S.col("twoFactor", "verified")} as verified ` +
        `from ${S.table("twoFactor")} f join ${S.table("user")} u on u.${S.col("user", "id")} = f.${S.col("twoFactor", "userId")} where u.${S.col("user", "email")} = $1`,
        [t.email("alice")]);
      t.record("the twoFactor row of the user", rows);
      t.check(rows.length === 1 && String(user?.id ?? "") !== "", "one twoFactor row references the user");

      const c = t.browser();
      await t.call("signIn (challenge)", c.client.signIn.email({ email: t.email("alice"), password: PASSWORD }));
      await t.call("verifyTotp (sign-in)", c.client.twoFactor.verifyTotp({ code: totpFromURI(uri), trustDevice: true }));
      await t.call("getSession", c.client.getSession());
      const d = t.browser();
      await t.call("signIn/username (challenge)", d.client.signIn.username({ username: "Alice_" + schema, password: PASSWORD }));
      await t.call("backup code", d.client.twoFactor.verifyBackupCode({ code: data?.backupCodes?.[0] ?? "x" }));
      await t.call("getSession after backup code", d.client.getSession());
      await t.call("isUsernameAvailable (taken)", d.client.isUsernameAvailable({ username: "ALICE_" + schema }));
      await t.call("disable", c.client.twoFactor.disable({ password: PASSWORD }));
      await t.call("signIn/username (no challenge)", t.browser().client.signIn.username({ username: "alice_" + schema, password: PASSWORD }));
    },
  };
}

export default [flow("names", "schema_names_plugins"), flow("serial", "schema_serial_plugins")];
