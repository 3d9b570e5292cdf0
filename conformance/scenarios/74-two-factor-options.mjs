// The two-factor plugin with upstream's options other than their defaults (group
// two_factor_options; servers/plugins.mjs): issuer, skipVerificationOnEnable, totpOptions
// digits 8 and period 60, otpOptions digits 8, period 5 minutes and allowedAttempts 3,
// backupCodeOptions amount 4 and length 12, twoFactorCookieMaxAge, trustDeviceMaxAge and the
// account lockout after 4 wrong codes. Both sides are configured alike; the Go side's options
// are kernia.yaml's, compiled in.
import { PASSWORD, signedUp } from "../lib/steps.mjs";
import { totpFromURI } from "../lib/totp.mjs";

const group = (scenario) => ({ group: "two_factor_options", ...scenario });
const wrongFor = (code) => (code === "00000000" ? "11111111" : "00000000");

/** Signs up `local` and enables TOTP, which is on at once (skipVerificationOnEnable). */
async function enrolled(t, local = "alice") {
  const { b } = await signedUp(t, local);
  const { data } = await t.call("enable (on at once)", b.client.twoFactor.enable({ password: PASSWORD }));
  t.check(/&digits=8&period=60$/.test(data?.totpURI ?? ""), "the URI states 8 digits and 60 s");
  return { b, uri: data?.totpURI ?? "otpauth://x?secret=A", backupCodes: data?.backupCodes ?? [] };
}

async function challenged(t, local = "alice") {
  const b = t.browser();
  const res = await t.call("signIn (challenge)", b.client.signIn.email({ email: t.email(local), password: PASSWORD }));
  t.check(res.data?.twoFactorRedirect === true, "sign-in answered with the challenge");
  return b;
}

export default [
  group({
    name: "two-factor options: enable without verification, issuer, 8-digit 60-s codes, 4 backup codes of 12, trust",
    async run(t) {
      const { b, uri, backupCodes } = await enrolled(t);
      t.check(backupCodes.length === 4 && backupCodes.every((c) => /^[A-Za-z0-9]{5}-[A-Za-z0-9]{7}$/.test(c)), "four codes of twelve characters");
      await t.call("getSession after enable", b.client.getSession());
      await t.call("getTotpUri (the app name, not the issuer)", b.client.twoFactor.getTotpUri({ password: PASSWORD }));
      await t.call("enable again", b.client.twoFactor.enable({ password: PASSWORD, issuer: "Other" }));
      const c = await challenged(t);
      await t.call("verifyTotp six digits", c.client.twoFactor.verifyTotp({ code: totpFromURI(uri).slice(2) }));
      await t.call("verifyTotp eight digits, trust", c.client.twoFactor.verifyTotp({ code: totpFromURI(uri), trustDevice: true }));
      await t.call("signIn on the trusted device", c.client.signIn.email({ email: t.email("alice"), password: PASSWORD }));
      const d = await challenged(t);
      await t.call("backup code", d.client.twoFactor.verifyBackupCode({ code: backupCodes[0] ?? "x" }));
      const { data } = await t.call("generateBackupCodes", b.client.twoFactor.generateBackupCodes({ password: PASSWORD }));
      t.check(data?.backupCodes?.length === 4, "four new codes");
    },
  }),
  group({
    name: "two-factor options: an 8-digit code by mail, valid 5 minutes, 3 wrong tries",
    async run(t) {
      await enrolled(t);
      const c = await challenged(t);
      await t.call("sendOtp", c.client.twoFactor.sendOtp());
      const code = (await t.mail(t.email("alice")))?.text?.match(/\b\d{8}\b/)?.[0] ?? "none";
      t.check(code !== "none", "an eight-digit code was mailed");
      const { rows } = await t.sql(`select round(extract(epoch from "expiresAt" - now()) / 60) as minutes from verification where identifier like '2fa-otp-%'`);
      t.record("the mailed code's lifetime in minutes", rows.map((r) => Number(r.minutes)));
      for (let i = 1; i <= 3; i++) await t.call(`wrong otp ${i}`, c.client.twoFactor.verifyOtp({ code: wrongFor(code) }));
      await t.call("right otp after three wrong", c.client.twoFactor.verifyOtp({ code }));
      await t.call("sendOtp again", c.client.twoFactor.sendOtp());
      const code2 = (await t.mail(t.email("alice")))?.text?.match(/\b\d{8}\b/)?.[0] ?? "none";
      await t.call("new otp", c.client.twoFactor.verifyOtp({ code: code2 }));
    },
  }),
  group({
    name: "two-factor options: four wrong codes lock the account for two minutes",
    async run(t) {
      const { uri } = await enrolled(t);
      const c = await challenged(t);
      for (let i = 1; i <= 4; i++) await t.call(`wrong ${i}`, c.client.twoFactor.verifyTotp({ code: wrongFor(totpFromURI(uri)) }));
      const d = await challenged(t);
      await t.call("right code while locked", d.client.twoFactor.verifyTotp({ code: totpFromURI(uri) }));
      const { rows } = await t.sql(`select "failedVerificationCount" as n, round(extract(epoch from "lockedUntil" - now())) as seconds from "twoFactor" f join "user" u on u.id = f."userId" where u.email = $1`, [t.email("alice")]);
      t.record("the lock", rows.map((r) => ({ n: r.n, seconds: Math.round(Number(r.seconds) / 10) * 10 })));
    },
  }),
];
