// Takeover with the two-factor plugin (scenarios/73-two-factor.mjs): a user enrolled on one
// side, on one database, keeps the second factor on the other: the challenge at sign-in, a
// code from the same authenticator secret, a backup code, and the trust_device cookie.
import * as betterAuthPlugins from "better-auth/plugins";
import { PASSWORD, schemaGaps, signIn, signUp } from "./takeover.mjs";
import { totpFromURI } from "./totp.mjs";

const post = (browser, path, json) => browser.request("POST", path, { json });

/** Signs `email` up through `browser` and enrols TOTP; returns the URI and the backup codes. */
async function enrol(h, browser, email, side) {
  const up = await signUp(browser, email);
  h.check(up.status === 200, { side, step: "sign-up", field: "status", node: up.status, go: up.status });
  const enabled = await post(browser, "/two-factor/enable", { password: PASSWORD });
  const uri = enabled.data?.totpURI ?? "otpauth://x?secret=A";
  const first = await post(browser, "/two-factor/verify-totp", { code: totpFromURI(uri) });
  h.check(first.status === 200, { side, step: "first TOTP code", field: "status", node: first.status, go: first.status });
  return { uri, backupCodes: enabled.data?.backupCodes ?? [] };
}

/** On `server`: a challenge, then `verify`; checks both answers. */
async function secondFactor(h, browser, email, path, body, { side, what }) {
  const challenge = await signIn(browser, email);
  h.check(challenge.data?.twoFactorRedirect === true, { side, step: `${what}: sign-in`, field: "body", node: "twoFactorRedirect", go: challenge.text });
  const r = await post(browser, path, body);
  h.check(r.status === 200 && typeof r.data?.token === "string", { side, step: `${what}: ${path}`, field: "status", node: 200, go: `${r.status} ${r.text}` });
}

/** A browser on `server` holding a sign-in challenge of `email`. */
async function challengedBrowser(h, server, email, side) {
  const b = h.browser(server);
  const challenge = await signIn(b, email);
  h.check(challenge.data?.twoFactorRedirect === true, { side, step: "trust: first sign-in", field: "body", node: "twoFactorRedirect", go: challenge.text });
  return b;
}

/** The sealed secret and backup codes of `email`'s twoFactor row. */
async function sealed(h, db, email) {
  const { rows } = await h.pool(db).query(
    `select f.secret, f."backupCodes" from "twoFactor" f join "user" u on u.id = f."userId" where u.email = $1`, [email]);
  return rows[0] ?? { secret: "", backupCodes: "" };
}

/** Checks that both sealed values of `email` are (or are not) in the envelope of version 2. */
async function checkSealed(h, db, email, { envelope, side, step }) {
  const row = await sealed(h, db, email);
  const ok = [row.secret, row.backupCodes].every((v) => (envelope ? v.startsWith("$ba$2$") : /^[0-9a-f]+$/.test(v)));
  h.check(ok, { side, step, field: "twoFactor row", node: envelope ? "$ba$2$…" : "bare hex", go: `${row.secret.slice(0, 12)}… ${row.backupCodes.slice(0, 12)}…` });
}

/**
 * Rotated secrets (BETTER_AUTH_SECRETS, group two_factor_rotated): a user enrolled on Node
 * before rotation (bare hex under the legacy secret) and one after (the "$ba$2$" envelope)
 * both sign in on Go with their app and a backup code; Go writes the envelope of the current
 * version; a user Go enrolled signs in on Node.
 */
function rotationScenario() {
  return {
    name: "two-factor: takeover with rotated secrets (BETTER_AUTH_SECRETS, $ba$ envelopes, legacy values)",
    kind: "custom",
    groups: ["two_factor", "two_factor_rotated"],
    async run(h) {
      const db = await h.database("shared");
      const before = await h.startNode({ databaseURL: db, groupName: "two_factor", tag: "node-before" });
      const alice = h.email("alice");
      const a = await enrol(h, h.browser(before), alice, "node");
      await checkSealed(h, db, alice, { envelope: false, side: "node", step: "Node before rotation" });
      const node = await h.startNode({ databaseURL: db, groupName: "two_factor_rotated" });
      const bob = h.email("bob");
      const b = await enrol(h, h.browser(node), bob, "node");
      await checkSealed(h, db, bob, { envelope: true, side: "node", step: "Node after rotation" });

      const go = await h.startGo({ databaseURL: db, groupName: "two_factor_rotated" });
      for (const [email, enrolled, who] of [[alice, a, "before rotation"], [bob, b, "after rotation"]]) {
        await secondFactor(h, h.browser(go), email, "/two-factor/verify-totp", { code: totpFromURI(enrolled.uri) }, { side: "go", what: `Go, a secret Node sealed ${who}` });
        await secondFactor(h, h.browser(go), email, "/two-factor/verify-backup-code", { code: enrolled.backupCodes[0] ?? "x" }, { side: "go", what: `Go, a backup code Node sealed ${who}` });
      }
      const row = await sealed(h, db, alice);
      h.check(row.backupCodes.startsWith("$ba$2$"), { side: "go", step: "Go rewrote the backup codes", field: "backupCodes", node: "$ba$2$…", go: row.backupCodes.slice(0, 12) });
      const carol = h.email("carol");
      const c = await enrol(h, h.browser(go), carol, "go");
      await checkSealed(h, db, carol, { envelope: true, side: "go", step: "Go enrolment with rotated secrets" });
      await secondFactor(h, h.browser(node), carol, "/two-factor/verify-totp", { code: totpFromURI(c.uri) }, { side: "node", what: "Node, a secret Go sealed" });
      await secondFactor(h, h.browser(node), carol, "/two-factor/verify-backup-code", { code: c.backupCodes[0] ?? "x" }, { side: "node", what: "Node, a backup code Go sealed" });
      await secondFactor(h, h.browser(node), alice, "/two-factor/verify-backup-code", { code: a.backupCodes[1] ?? "x" }, { side: "node", what: "Node, a backup code list Go rewrote" });
    },
  };
}

export function takeoverScenarios() {
  return [
    rotationScenario(),
    {
      name: "two-factor: takeover, Go server on a Node database (TOTP, backup code, trusted device)",
      kind: "custom",
      groups: ["two_factor"],
      async run(h) {
        const db = await h.database("shared");
        const node = await h.startNode({ databaseURL: db, groupName: "two_factor" });
        const email = h.email("alice");
        const { uri, backupCodes } = await enrol(h, h.browser(node), email, "node");
        const trusted = await challengedBrowser(h, node, email, "node");
        const ok = await post(trusted, "/two-factor/verify-totp", { code: totpFromURI(uri), trustDevice: true });
        h.check(ok.status === 200, { side: "node", step: "Node verify with trustDevice", field: "status", node: ok.status, go: "" });

        const go = await h.startGo({ databaseURL: db, groupName: "two_factor" });
        await secondFactor(h, h.browser(go), email, "/two-factor/verify-totp", { code: totpFromURI(uri) }, { side: "go", what: "Go, the Node-enrolled secret" });
        await secondFactor(h, h.browser(go), email, "/two-factor/verify-backup-code", { code: backupCodes[0] ?? "x" }, { side: "go", what: "Go, a Node backup code" });
        const again = await signIn(trusted.on(go), email);
        h.check(again.status === 200 && again.data?.token && !again.data?.twoFactorRedirect,
          { side: "go", step: "Go sign-in on a device Node trusted", field: "body", node: "a session", go: `${again.status} ${again.text}` });
        const later = h.browser(go);
        const spent = await signIn(later, email);
        const reused = await post(later, "/two-factor/verify-backup-code", { code: backupCodes[0] ?? "x" });
        h.check(spent.data?.twoFactorRedirect === true && reused.data?.code === "INVALID_BACKUP_CODE",
          { side: "go", step: "the backup code Go spent, again", field: "body", node: "INVALID_BACKUP_CODE", go: reused.text });
      },
    },
    {
      name: "two-factor: takeover, Node server on a Go database (TOTP, backup code, trusted device)",
      kind: "custom",
      groups: ["two_factor"],
      async run(h) {
        const db = await h.database("shared");
        const go = await h.startGo({ databaseURL: db, groupName: "two_factor" });
        const gaps = await schemaGaps(db, { plugins: [betterAuthPlugins.twoFactor()] });
        h.check(gaps.length === 0, { step: "Better Auth migration plan on the Go schema", field: "changes", node: "(none)", go: gaps });
        const email = h.email("carol");
        const { uri, backupCodes } = await enrol(h, h.browser(go), email, "go");
        const trusted = await challengedBrowser(h, go, email, "go");
        const ok = await post(trusted, "/two-factor/verify-totp", { code: totpFromURI(uri), trustDevice: true });
        h.check(ok.status === 200, { side: "go", step: "Go verify with trustDevice", field: "status", node: "", go: ok.status });

        const node = await h.startNode({ databaseURL: db, groupName: "two_factor" });
        await secondFactor(h, h.browser(node), email, "/two-factor/verify-totp", { code: totpFromURI(uri) }, { side: "node", what: "Node, the Go-enrolled secret" });
        await secondFactor(h, h.browser(node), email, "/two-factor/verify-backup-code", { code: backupCodes[0] ?? "x" }, { side: "node", what: "Node, a Go backup code" });
        const again = await signIn(trusted.on(node), email);
        h.check(again.status === 200 && again.data?.token && !again.data?.twoFactorRedirect,
          { side: "node", step: "Node sign-in on a device Go trusted", field: "body", node: `${again.status} ${again.text}`, go: "a session" });
      },
    },
  ];
}
