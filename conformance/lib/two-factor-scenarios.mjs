// Takeover with the two-factor plugin (scenarios/73-two-factor.mjs): a user enrolled on one
// side, on one database, keeps the second factor on the other: the challenge at sign-in, a
// code from the same authenticator secret, a backup code, and the trust_device cookie.
import * as betterAuthPlugins from "better-auth/plugins";
import { PASSWORD, sideCheck, signIn, signUp, takeoverBothWays } from "./takeover.mjs";
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
    ...takeoverBothWays({
      label: "two-factor",
      group: "two_factor",
      gapPlugins: [betterAuthPlugins.twoFactor()],
      // The first server enrols a user (TOTP and backup codes) and trusts one device.
      async write(h, server, side) {
        const email = h.email("first");
        const { uri, backupCodes } = await enrol(h, h.browser(server), email, side);
        const trusted = await challengedBrowser(h, server, email, side);
        const ok = await post(trusted, "/two-factor/verify-totp", { code: totpFromURI(uri), trustDevice: true });
        sideCheck(h, side, ok.status === 200, ok.status, 200, { step: "verify with trustDevice", field: "status" });
        return { email, uri, backupCodes, trusted };
      },
      // The second takes the second factor: a code from the same secret, a backup code (then
      // spent for both), and the device the first trusted.
      async read(h, { first, second, data, side }) {
        const { email, uri, backupCodes, trusted } = data;
        await secondFactor(h, h.browser(second), email, "/two-factor/verify-totp", { code: totpFromURI(uri) }, { side, what: "the other side's enrolled secret" });
        await secondFactor(h, h.browser(second), email, "/two-factor/verify-backup-code", { code: backupCodes[0] ?? "x" }, { side, what: "the other side's backup code" });
        const again = await signIn(trusted.on(second), email);
        sideCheck(h, side, again.status === 200 && again.data?.token && !again.data?.twoFactorRedirect, `${again.status} ${again.text}`, "a session",
          { step: "sign-in on a device the other side trusted", field: "body" });
        for (const [server, who] of [[second, side], [first, side === "go" ? "node" : "go"]]) {
          const later = h.browser(server);
          const spent = await signIn(later, email);
          const reused = await post(later, "/two-factor/verify-backup-code", { code: backupCodes[0] ?? "x" });
          sideCheck(h, who, spent.data?.twoFactorRedirect === true && reused.data?.code === "INVALID_BACKUP_CODE", reused.text, "INVALID_BACKUP_CODE",
            { step: "the spent backup code, again", field: "body" });
        }
      },
    }),
  ];
}
