// The two-factor plugin (better-auth 1.7.25 plugins/two-factor; group two_factor) through the
// official twoFactorClient: enrolment (enable, the otpauth URI, the first TOTP code), the
// sign-in challenge and its three factors (TOTP, a mailed code, a backup code), trusted
// devices, disable; wrong, reused and expired codes, the challenge's attempt limit, a
// replayed challenge cookie and the account lockout. Codes are computed here from the secret
// in each side's own URI, as an authenticator app would.
import { PASSWORD, signedUp } from "../lib/steps.mjs";
import { totpFromURI } from "../lib/totp.mjs";
import { dumpScenario } from "../lib/schema-scenarios.mjs";
import { takeoverScenarios } from "../lib/two-factor-scenarios.mjs";

const group = (scenario) => ({ group: "two_factor", ...scenario });
const post = (b, path, json) => b.request("POST", path, { json }).then((r) => ({ status: r.status, data: r.data }));

/** Signs up `local` and enrols TOTP; returns the browser and the URI. */
async function enrolled(t, local = "alice") {
  const { b } = await signedUp(t, local);
  const { data } = await t.call("enable", b.client.twoFactor.enable({ password: PASSWORD }));
  t.check(data?.totpURI, "enable returned a TOTP URI");
  await t.call("verifyTotp (enrol)", b.client.twoFactor.verifyTotp({ code: totpFromURI(data?.totpURI ?? "otpauth://x?secret=A") }));
  return { b, uri: data?.totpURI ?? "otpauth://x?secret=A", backupCodes: data?.backupCodes ?? [] };
}

/** A new browser that signed in with the password and holds a challenge. */
async function challenged(t, local = "alice", extra = {}) {
  const b = t.browser();
  const res = await t.call("signIn (challenge)", b.client.signIn.email({ email: t.email(local), password: PASSWORD, ...extra }));
  t.check(res.data?.twoFactorRedirect === true, "sign-in answered with the challenge");
  return b;
}

export default [
  group({
    name: "two-factor: enable, URI, first code, challenge, TOTP with trust, trusted sign-in, disable",
    async run(t) {
      const { b } = await signedUp(t, "alice");
      const { data } = await t.call("enable", b.client.twoFactor.enable({ password: PASSWORD }));
      const uri = data?.totpURI ?? "otpauth://x?secret=A";
      t.check(data?.backupCodes?.length === 10, "ten backup codes");
      await t.call("getSession before verify", b.client.getSession());
      await t.call("getTotpUri", b.client.twoFactor.getTotpUri({ password: PASSWORD }));
      await t.call("signIn before verify (no challenge)", t.browser().client.signIn.email({ email: t.email("alice"), password: PASSWORD }));
      await t.call("verifyTotp (enrol)", b.client.twoFactor.verifyTotp({ code: totpFromURI(uri) }));
      await t.call("getSession after verify", b.client.getSession());
      await t.call("enable again", b.client.twoFactor.enable({ password: PASSWORD }));

      const c = await challenged(t);
      await t.call("getSession during challenge", c.client.getSession());
      await t.call("verifyTotp (sign-in, trust)", c.client.twoFactor.verifyTotp({ code: totpFromURI(uri), trustDevice: true }));
      await t.call("getSession after challenge", c.client.getSession());
      await t.call("signOut", c.client.signOut());
      await t.call("signIn on the trusted device", c.client.signIn.email({ email: t.email("alice"), password: PASSWORD }));
      await t.call("getSession trusted", c.client.getSession());
      await t.call("disable wrong password", c.client.twoFactor.disable({ password: "wrong-password" }));
      await t.call("disable", c.client.twoFactor.disable({ password: PASSWORD }));
      await t.call("signIn after disable", t.browser().client.signIn.email({ email: t.email("alice"), password: PASSWORD }));
    },
  }),
  group({
    name: "two-factor: a challenge with rememberMe false, an expired code, and a code from the step before",
    async run(t) {
      const { uri } = await enrolled(t);
      const c = await challenged(t, "alice", { rememberMe: false });
      // A code two steps old has expired (one step of clock drift is allowed).
      await t.call("verifyTotp two steps old", c.client.twoFactor.verifyTotp({ code: totpFromURI(uri, -2) === totpFromURI(uri) ? "000000" : totpFromURI(uri, -2) }));
      await t.call("verifyTotp previous step", c.client.twoFactor.verifyTotp({ code: totpFromURI(uri, -1) }));
      await t.call("getSession", c.client.getSession());
    },
  }),
  group({
    name: "two-factor: wrong codes, the fifth ends the challenge, replayed challenge cookie",
    async run(t) {
      const { uri } = await enrolled(t);
      const c = await challenged(t);
      const cookie = c.jar.get("better-auth.two_factor");
      for (let i = 1; i <= 5; i++) await t.call(`wrong code ${i}`, c.client.twoFactor.verifyTotp({ code: "000000" === totpFromURI(uri) ? "111111" : "000000" }));
      await t.call("right code after five wrong", post(c, "/two-factor/verify-totp", { code: totpFromURI(uri) }));
      const replay = t.browser();
      replay.jar.set("better-auth.two_factor", cookie ?? "none");
      await t.call("replayed challenge", post(replay, "/two-factor/verify-totp", { code: totpFromURI(uri) }));
      const d = await challenged(t);
      const used = d.jar.get("better-auth.two_factor");
      await t.call("verify", d.client.twoFactor.verifyTotp({ code: totpFromURI(uri) }));
      const again = t.browser();
      again.jar.set("better-auth.two_factor", used ?? "none");
      await t.call("challenge replayed after use", post(again, "/two-factor/verify-totp", { code: totpFromURI(uri) }));
      await t.call("no challenge", post(t.browser(), "/two-factor/verify-totp", { code: "123456" }));
      const forged = t.browser();
      forged.jar.set("better-auth.two_factor", t.signed("2fa-forged0000000000000"));
      await t.call("forged challenge", post(forged, "/two-factor/verify-totp", { code: "123456" }));
    },
  }),
  group({
    name: "two-factor: backup codes at sign-in, reused, wrong, regenerated",
    async run(t) {
      const { b, backupCodes } = await enrolled(t);
      const c = await challenged(t);
      await t.call("wrong backup code", c.client.twoFactor.verifyBackupCode({ code: "aaaaa-bbbbb" }));
      await t.call("backup code", c.client.twoFactor.verifyBackupCode({ code: backupCodes[0] ?? "x" }));
      await t.call("getSession", c.client.getSession());
      const d = await challenged(t);
      await t.call("reused backup code", d.client.twoFactor.verifyBackupCode({ code: backupCodes[0] ?? "x" }));
      await t.call("second backup code, disableSession", d.client.twoFactor.verifyBackupCode({ code: backupCodes[1] ?? "x", disableSession: true }));
      await t.call("getSession after disableSession", d.client.getSession());
      const { data } = await t.call("generateBackupCodes", b.client.twoFactor.generateBackupCodes({ password: PASSWORD }));
      t.check(data?.backupCodes?.length === 10, "ten new codes");
      const e = await challenged(t);
      await t.call("old code after regeneration", e.client.twoFactor.verifyBackupCode({ code: backupCodes[2] ?? "x" }));
      await t.call("new code", e.client.twoFactor.verifyBackupCode({ code: data?.backupCodes?.[0] ?? "x", trustDevice: true }));
    },
  }),
  group({
    name: "two-factor: a code by mail at sign-in, wrong, reused, expired",
    async run(t) {
      await enrolled(t);
      const c = await challenged(t);
      await t.call("verifyOtp before sending", c.client.twoFactor.verifyOtp({ code: "123456" }));
      await t.call("sendOtp", c.client.twoFactor.sendOtp());
      const mail = await t.mail(t.email("alice"));
      const code = mail?.text?.match(/\b\d{6}\b/)?.[0] ?? "none";
      t.check(code !== "none", "a six-digit code was mailed");
      await t.call("wrong otp", c.client.twoFactor.verifyOtp({ code: code === "000000" ? "111111" : "000000" }));
      await t.call("otp", c.client.twoFactor.verifyOtp({ code }));
      await t.call("getSession", c.client.getSession());
      const d = await challenged(t);
      await t.call("reused otp", d.client.twoFactor.verifyOtp({ code }));
      await t.call("sendOtp again", d.client.twoFactor.sendOtp());
      const mail2 = await t.mail(t.email("alice"));
      const code2 = mail2?.text?.match(/\b\d{6}\b/)?.[0] ?? "none";
      await t.sql(`update verification set "expiresAt" = now() - interval '1 second' where identifier like '2fa-otp-%'`);
      await t.call("expired otp", d.client.twoFactor.verifyOtp({ code: code2 }));
    },
  }),
  group({
    name: "two-factor: enable and disable refusals, otp method, passwords",
    async run(t) {
      const { b } = await signedUp(t, "alice");
      await t.call("getTotpUri not enrolled", b.client.twoFactor.getTotpUri({ password: PASSWORD }));
      await t.call("generateBackupCodes not enabled", b.client.twoFactor.generateBackupCodes({ password: PASSWORD }));
      await t.call("enable wrong password", b.client.twoFactor.enable({ password: "wrong-password" }));
      await t.call("enable no password", post(b, "/two-factor/enable", {}));
      await t.call("enable bad method", post(b, "/two-factor/enable", { password: PASSWORD, method: "sms" }));
      await t.call("enable signed out", post(t.browser(), "/two-factor/enable", { password: PASSWORD }));
      await t.call("enable with issuer", b.client.twoFactor.enable({ password: PASSWORD, issuer: "Acme Inc: ~*'()" }));
      await t.call("getTotpUri wrong password", b.client.twoFactor.getTotpUri({ password: "wrong-password" }));
      await t.call("getTotpUri", b.client.twoFactor.getTotpUri({ password: PASSWORD }));
      await t.call("enable otp", b.client.twoFactor.enable({ password: PASSWORD, method: "otp" }));
      await t.call("getSession", b.client.getSession());
      await t.call("signIn (otp only: challenge)", t.browser().client.signIn.email({ email: t.email("alice"), password: PASSWORD }));
    },
  }),
  group({
    name: "two-factor: ten wrong codes across challenges lock the account",
    async run(t) {
      const { uri } = await enrolled(t);
      for (let round = 1; round <= 3; round++) {
        const c = await challenged(t);
        for (let i = 1; i <= (round < 3 ? 5 : 1); i++) {
          await t.call(`round ${round} wrong ${i}`, c.client.twoFactor.verifyTotp({ code: "000000" === totpFromURI(uri) ? "111111" : "000000" }));
        }
        if (round === 3) await t.call("right code while locked", c.client.twoFactor.verifyTotp({ code: totpFromURI(uri) }));
      }
    },
  }),
  ...takeoverScenarios(),
  // The twoFactor table and user.twoFactorEnabled as Better Auth's engine creates them.
  dumpScenario("two_factor"),
];
