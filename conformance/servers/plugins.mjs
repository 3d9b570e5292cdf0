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

export const serverPlugins = {
  bearer: (plugins) => plugins.bearer(),
  "bearer:requireSignature=true": (plugins) => plugins.bearer({ requireSignature: true }),
  "multi-session": (plugins) => plugins.multiSession(),
  "multi-session:maximumSessions=2": (plugins) => plugins.multiSession({ maximumSessions: 2 }),
  username: (plugins) => plugins.username(),
  // A package of its own (@better-auth/passkey), with its defaults.
  passkey: () => passkey(),
  // Codes by mail through the run's mail sink, as the Go server's Mailer sends them.
  "two-factor": (plugins) => {
    const send = mailSender(process.env);
    return plugins.twoFactor(send ? {
      otpOptions: {
        sendOTP: ({ user, otp }) => send({ to: user.email, subject: "Your sign-in code", text: `Your code: ${otp}\n`, html: `<p>${otp}</p>` }),
      },
    } : {});
  },
};

export function buildPlugins(names, pluginsModule) {
  return names.map((name) => {
    const make = serverPlugins[name];
    if (!make) throw new Error(`unknown plugin "${name}" (known: ${Object.keys(serverPlugins).join(", ") || "none"})`);
    return make(pluginsModule);
  });
}
