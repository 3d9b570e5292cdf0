// Server plugins a scenario group can ask for, by name.
//
// The Node reference server and the Go build must be configured alike, so a group
// lists plugin names (lib/groups.mjs) and each name maps here to Better Auth's own
// plugin factory. Adding a plugin is one line in this table.
//
// `plugins` is the `<package>/plugins` module of the Better Auth version in use,
// so the same table serves the pinned release and the older aliased ones.
import { passkey } from "@better-auth/passkey";
import { mailSender } from "./mail.mjs";

// The two-factor options other than upstream's defaults (group two_factor_options), spelled
// as scripts/emit-server takes them for the Go build; TWO_FACTOR_OPTIONS is the same for Node.
export const TWO_FACTOR_OPTIONS_SPEC = "two-factor:issuer=Acme:skipVerificationOnEnable=true:totpDigits=8:totpPeriod=60:" +
  "otpDigits=8:otpPeriod=5:otpAllowedAttempts=3:backupCodeAmount=4:backupCodeLength=12:twoFactorCookieMaxAge=300:" +
  "trustDeviceMaxAge=3600:lockoutMaxFailedAttempts=4:lockoutDurationSeconds=120";
const TWO_FACTOR_OPTIONS = {
  issuer: "Acme", skipVerificationOnEnable: true, totpOptions: { digits: 8, period: 60 },
  backupCodeOptions: { amount: 4, length: 12 }, twoFactorCookieMaxAge: 300, trustDeviceMaxAge: 3600,
  accountLockout: { maxFailedAttempts: 4, durationSeconds: 120 },
};

/** otpOptions with codes by mail through the run's mail sink, as the Go server's Mailer sends them. */
function otpByMail(extra = {}) {
  const send = mailSender(process.env);
  if (!send) return {};
  return {
    otpOptions: {
      ...extra,
      sendOTP: ({ user, otp }) => send({ to: user.email, subject: "Your sign-in code", text: `Your code: ${otp}\n`, html: `<p>${otp}</p>` }),
    },
  };
}

export const serverPlugins = {
  bearer: (plugins) => plugins.bearer(),
  "bearer:requireSignature=true": (plugins) => plugins.bearer({ requireSignature: true }),
  "multi-session": (plugins) => plugins.multiSession(),
  "multi-session:maximumSessions=2": (plugins) => plugins.multiSession({ maximumSessions: 2 }),
  username: (plugins) => plugins.username(),
  // A package of its own (@better-auth/passkey), with its defaults.
  passkey: () => passkey(),
  // Codes by mail through the run's mail sink, as the Go server's Mailer sends them.
  "two-factor": (plugins) => plugins.twoFactor(otpByMail()),
  [TWO_FACTOR_OPTIONS_SPEC]: (plugins) =>
    plugins.twoFactor({ ...TWO_FACTOR_OPTIONS, ...otpByMail({ digits: 8, period: 5, allowedAttempts: 3 }) }),
};

export function buildPlugins(names, pluginsModule) {
  return names.map((name) => {
    const make = serverPlugins[name];
    if (!make) throw new Error(`unknown plugin "${name}" (known: ${Object.keys(serverPlugins).join(", ") || "none"})`);
    return make(pluginsModule);
  });
}
