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

export function takeoverScenarios() {
  return [
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
