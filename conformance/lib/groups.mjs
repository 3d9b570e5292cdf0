// Scenario groups: one server configuration each, shared by every scenario in it.
//
// Both sides of a group get the same base URL (independent of the loopback port they
// listen on), the same secret and trusted origins, the same rate-limit switch and the
// same plugins. A later plugin gets its own group here, e.g.
//   bearer: { baseURL: "http://localhost:3000", plugins: ["bearer"], rateLimit: false },
// and, when the Go side needs a different build for it, `goBinEnv: "GO_SERVER_BIN_BEARER"`
// (required then: there is no fallback to GO_SERVER_BIN).
//
// Runtime options that need no other build (mail flows, cookie cache, rate-limit storage)
// go in `env`: both servers get these variables, and both read them the same way
// (servers/node-server.mjs for Node, ConfigFromEnv in the emitted package for Go).
import { PATTERN_SETS } from "./trusted-origins.mjs";
import { TWO_FACTOR_OPTIONS_SPEC } from "../servers/plugins.mjs";

export const GROUPS = {
  core: { baseURL: "http://localhost:3000", plugins: [], rateLimit: false },
  secure: { baseURL: "https://localhost:3000", plugins: [], rateLimit: false },
  bearer: { baseURL: "http://localhost:3000", plugins: ["bearer"], rateLimit: false, goBinEnv: "GO_SERVER_BIN_BEARER" },
  // The username plugin, with the mail flows on (sign-in/username's verification check).
  username: {
    baseURL: "http://localhost:3000", plugins: ["username"], rateLimit: false, mail: true, goBinEnv: "GO_SERVER_BIN_USERNAME",
  },
  // The two-factor plugin, with codes by mail (otpOptions.sendOTP on the Node side, the
  // Mailer on the Go side).
  two_factor: {
    baseURL: "http://localhost:3000", plugins: ["two-factor"], rateLimit: false, mail: true, goBinEnv: "GO_SERVER_BIN_TWO_FACTOR",
  },
  // The two-factor plugin with every option that changes stored data or answers set to
  // something other than upstream's default (servers/plugins.mjs), against its own Go build.
  two_factor_options: {
    baseURL: "http://localhost:3000", plugins: [TWO_FACTOR_OPTIONS_SPEC], rateLimit: false, mail: true,
    goBinEnv: "GO_SERVER_BIN_TWO_FACTOR_OPTIONS",
  },
  // Rotated secrets (better-auth crypto/index.mjs): BETTER_AUTH_SECRETS on both sides, the
  // run's secret (KERNIA_SECRET, upstream's `secret`) being the legacy one that still opens
  // values sealed before rotation. The two_factor build serves it: secrets are runtime options.
  two_factor_rotated: {
    baseURL: "http://localhost:3000", plugins: ["two-factor"], rateLimit: false, mail: true, goBinEnv: "GO_SERVER_BIN_TWO_FACTOR",
    env: { BETTER_AUTH_SECRETS: "2:rotation-secret-two-0123456789abcdefghij,1:rotation-secret-one-0123456789abcdefghij" },
  },
  // The passkey plugin (@better-auth/passkey 1.7.6 on the Node side), with the defaults: rp id
  // from the base URL (localhost), a fresh session to register.
  passkey: { baseURL: "http://localhost:3000", plugins: ["passkey"], rateLimit: false, goBinEnv: "GO_SERVER_BIN_PASSKEY" },
  username_strict: {
    baseURL: "http://localhost:3000", plugins: ["username"], rateLimit: false, mail: true, goBinEnv: "GO_SERVER_BIN_USERNAME",
    env: { KERNIA_REQUIRE_EMAIL_VERIFICATION: "true", KERNIA_SEND_VERIFICATION_ON_SIGN_IN: "true" },
  },
  bearer_signed: {
    baseURL: "http://localhost:3000", plugins: ["bearer:requireSignature=true"], rateLimit: false,
    goBinEnv: "GO_SERVER_BIN_BEARER_SIGNED",
  },
  multi: { baseURL: "http://localhost:3000", plugins: ["multi-session"], rateLimit: false, goBinEnv: "GO_SERVER_BIN_MULTI" },
  multi_max2: {
    baseURL: "http://localhost:3000", plugins: ["multi-session:maximumSessions=2"], rateLimit: false,
    goBinEnv: "GO_SERVER_BIN_MULTI_MAX2",
  },
  // The rate limiter (PROTOCOL.md §7.2) with each storage; the core build serves both.
  ratelimit: { baseURL: "http://localhost:3000", plugins: [], rateLimit: true },
  ratelimit_db: {
    baseURL: "http://localhost:3000", plugins: [], rateLimit: true,
    env: { KERNIA_RATE_LIMIT_STORAGE: "database" },
  },
  // The Go side reached directly, with no proxy trusted (scenarios/86-client-ip.mjs): the
  // client address is the connection's, and X-Forwarded-For is ignored. Upstream cannot see
  // the connection, so its side is the "ratelimit" group's Node server (nodeFrom), and the
  // scenarios assert the deliberate differences.
  client_ip: {
    baseURL: "http://localhost:3000", plugins: [], rateLimit: true, nodeFrom: "ratelimit",
    env: { KERNIA_TRUSTED_PROXIES: "" },
  },
  // The account flows that send mail (PROTOCOL.md §2.7–§2.9). `mail: true` gives both
  // servers the run's SMTP sink; the core group has none, so its flows answer "not enabled".
  mail: {
    baseURL: "http://localhost:3000", plugins: [], rateLimit: false, mail: true,
    env: { KERNIA_SEND_VERIFICATION_ON_SIGN_UP: "true", KERNIA_CHANGE_EMAIL: "true", KERNIA_DELETE_USER: "true" },
  },
  mail_strict: {
    baseURL: "http://localhost:3000", plugins: [], rateLimit: false, mail: true,
    env: {
      KERNIA_REQUIRE_EMAIL_VERIFICATION: "true",
      KERNIA_SEND_VERIFICATION_ON_SIGN_IN: "true",
      KERNIA_AUTO_SIGN_IN_AFTER_VERIFICATION: "true",
      KERNIA_REVOKE_SESSIONS_ON_PASSWORD_RESET: "true",
      KERNIA_CHANGE_EMAIL: "true",
      KERNIA_CHANGE_EMAIL_CONFIRM_CURRENT: "true",
      KERNIA_CHANGE_EMAIL_WITHOUT_VERIFICATION: "true",
      KERNIA_DELETE_USER: "true",
      KERNIA_DELETE_USER_VERIFICATION: "true",
    },
  },
};

// The mail flows with a mail server that refuses the connection, or accepts it and hangs up
// (59-mail-failure): the strict flows, and the plain ones with a deletion mail.
GROUPS.mail_refused = { ...GROUPS.mail_strict, mail: "refuse" };
GROUPS.mail_dropped = { ...GROUPS.mail, mail: "drop", env: { ...GROUPS.mail.env, KERNIA_DELETE_USER_VERIFICATION: "true" } };

// The cookie cache (PROTOCOL.md §4.5) with each strategy, and with a 5-second maxAge to see
// it expire; the core build serves them all.
for (const strategy of ["compact", "jwt", "jwe"]) {
  GROUPS[`cache_${strategy}`] = { baseURL: "http://localhost:3000", plugins: [], rateLimit: false, env: { KERNIA_COOKIE_CACHE: strategy } };
}
GROUPS.cache_short = {
  baseURL: "http://localhost:3000", plugins: [], rateLimit: false,
  env: { KERNIA_COOKIE_CACHE: "compact", KERNIA_COOKIE_CACHE_MAX_AGE: "5" },
};

// The trusted-origin table (lib/trusted-origins.mjs): one group per set of patterns, served by
// the core build, since trusted origins are runtime configuration.
for (const [name, patterns] of Object.entries(PATTERN_SETS)) {
  GROUPS[name] = { baseURL: "http://localhost:3000", plugins: [], rateLimit: false, env: { KERNIA_TRUSTED_ORIGINS: patterns.join(",") } };
}

// Better Auth's advanced.cookies (scenarios/61-custom-cookies.mjs): renamed cookies with
// attributes of their own, given to both sides as KERNIA_COOKIES (the JSON of
// advanced.cookies) and KERNIA_COOKIE_PREFIX (cookiePrefix); the core build serves them all.
export const CUSTOM_COOKIES = {
  // The session token renamed, with SameSite=Strict and a Domain; dont_remember renamed and
  // given a Max-Age (upstream honours it there, not on the session token).
  cookies_renamed: {
    session_token: { name: "acme_sid", attributes: { sameSite: "strict", domain: "localhost" } },
    dont_remember: { name: "acme_forget", attributes: { maxAge: 3600 } },
  },
  // The cookie cache renamed: its chunks are named after it; its maxAge is the cache's.
  cookies_cache: { session_data: { name: "acme_cache", attributes: { maxAge: 600, sameSite: "strict" } } },
  // Over https: the custom name takes __Secure- but not the prefix, which the others take.
  cookies_secure: { session_token: { name: "acme_sid", attributes: { path: "/" } } },
};
GROUPS.cookies_renamed = {
  baseURL: "http://localhost:3000", plugins: [], rateLimit: false,
  env: { KERNIA_COOKIES: JSON.stringify(CUSTOM_COOKIES.cookies_renamed) },
};
GROUPS.cookies_cache = {
  baseURL: "http://localhost:3000", plugins: [], rateLimit: false,
  env: { KERNIA_COOKIE_CACHE: "compact", KERNIA_COOKIES: JSON.stringify(CUSTOM_COOKIES.cookies_cache) },
};
GROUPS.cookies_secure = {
  baseURL: "https://localhost:3000", plugins: [], rateLimit: false,
  env: { KERNIA_COOKIE_PREFIX: "acme", KERNIA_COOKIES: JSON.stringify(CUSTOM_COOKIES.cookies_secure) },
};

// A contradiction Better Auth settles quietly (SameSite=None without Secure: it adds Secure)
// and the Go side refuses at start, naming the field (a deliberate difference).
GROUPS.cookies_refused = {
  baseURL: "http://localhost:3000", plugins: [], rateLimit: false,
  env: { KERNIA_COOKIES: JSON.stringify({ session_token: { attributes: { sameSite: "none" } } }) },
};

// Schema customisation (issue 16, lib/schemas.mjs): `schema` names a configuration in
// conformance/schemas/, which both servers get as KERNIA_SCHEMA and the Go side has compiled in
// (kernia.yaml), hence a build of its own. The harness reads rows through its table and column
// names. `skipWithoutBin`: without the group's GO_SERVER_BIN_SCHEMA_* variable its scenarios are
// skipped with a line saying so (runner.mjs), unless CI=true, where a missing build fails as in
// every other group.
//   fields  additional fields of every type on user, one on session and one on account
//   names   renamed tables and columns, UUID ids
//   serial  integer ids (generateId: serial), fields referencing a user
GROUPS.schema_fields = {
  baseURL: "http://localhost:3000", plugins: [], rateLimit: false, schema: "fields",
  goBinEnv: "GO_SERVER_BIN_SCHEMA_FIELDS", skipWithoutBin: true,
};
// The same build with the cookie cache: the additional fields in the cache and read from it.
GROUPS.schema_fields_cache = { ...GROUPS.schema_fields, env: { KERNIA_COOKIE_CACHE: "compact" } };
GROUPS.schema_names = {
  baseURL: "http://localhost:3000", plugins: [], rateLimit: false, schema: "names",
  goBinEnv: "GO_SERVER_BIN_SCHEMA_NAMES", skipWithoutBin: true,
};
// The rate limiter counting in the renamed table ("rate_limits"."last_request").
GROUPS.schema_names_ratelimit = { ...GROUPS.schema_names, rateLimit: true, env: { KERNIA_RATE_LIMIT_STORAGE: "database" } };
// The mail flows on the renamed tables: verification mails, a reset token in "verifications",
// deletion cascading along the renamed foreign keys.
GROUPS.schema_names_mail = { ...GROUPS.schema_names, mail: true, env: GROUPS.mail.env };
// Integer ids the database assigns (generateId: serial), with additional fields that reference
// a user: the core flows, the mail flows' verification rows (their value is the user's id),
// sign-up concealing a taken address, and the rate limiter's rows.
GROUPS.schema_serial = {
  baseURL: "http://localhost:3000", plugins: [], rateLimit: false, schema: "serial",
  goBinEnv: "GO_SERVER_BIN_SCHEMA_SERIAL", skipWithoutBin: true,
};
GROUPS.schema_serial_mail = { ...GROUPS.schema_serial, mail: true, env: GROUPS.mail_strict.env };
GROUPS.schema_serial_ratelimit = { ...GROUPS.schema_serial, rateLimit: true, env: { KERNIA_RATE_LIMIT_STORAGE: "database" } };
// The two-factor and username plugins on those schemas (scenarios/63-schema-plugins.mjs): the
// twoFactor table's userId referencing the renamed "users" with UUID ids, and an integer one.
GROUPS.schema_names_plugins = {
  ...GROUPS.schema_names, plugins: ["two-factor", "username"], mail: true, goBinEnv: "GO_SERVER_BIN_SCHEMA_NAMES_PLUGINS",
};
GROUPS.schema_serial_plugins = {
  ...GROUPS.schema_serial, plugins: ["two-factor", "username"], mail: true, goBinEnv: "GO_SERVER_BIN_SCHEMA_SERIAL_PLUGINS",
};

// Social sign-in (issue 17, scenarios/72-social.mjs, 72-social-apple.mjs) against the run's local
// identity provider (servers/idp.mjs, lib/social.mjs): Google, GitHub, Apple and a generic OIDC provider, against the Go
// build GO_SERVER_BIN_SOCIAL (skipped without it, unless CI=true). Scenarios of what the Go side
// does not have yet say so in `goPending` and are listed, not run (runner.mjs).
//   social          upstream's defaults: no trusted provider, local e-mail verification required
//   social_linking  github trusted, different e-mails, unlinking the last account, profile
//                   updates on link and on sign-in, unverified local users linkable, a
//                   configured post-logout redirect for the generic provider's logout
//   social_closed   no implicit sign-up, no linking, tokens encrypted at rest, no provider logout
//   social_cookie_state  the state in the encrypted oauth_state cookie instead of a row
GROUPS.social = {
  baseURL: "http://localhost:3000", plugins: [], rateLimit: false, social: true,
  goBinEnv: "GO_SERVER_BIN_SOCIAL", skipWithoutBin: true,
};
GROUPS.social_linking = {
  ...GROUPS.social,
  env: {
    KERNIA_TRUSTED_PROVIDERS: "github", KERNIA_ALLOW_DIFFERENT_EMAILS: "true", KERNIA_ALLOW_UNLINKING_ALL: "true",
    KERNIA_UPDATE_USER_INFO_ON_LINK: "true", KERNIA_REQUIRE_LOCAL_EMAIL_VERIFIED: "false",
    KERNIA_SOCIAL_OVERRIDE_USER_INFO: "true", KERNIA_OIDC_POST_LOGOUT_REDIRECT_URI: "/signed-out",
  },
};
GROUPS.social_cookie_state = { ...GROUPS.social, env: { KERNIA_OAUTH_STATE_STRATEGY: "cookie" } };
GROUPS.social_closed = {
  ...GROUPS.social,
  env: {
    KERNIA_SOCIAL_DISABLE_IMPLICIT_SIGN_UP: "true", KERNIA_ACCOUNT_LINKING: "false", KERNIA_ENCRYPT_OAUTH_TOKENS: "true",
    KERNIA_OIDC_DISABLE_PROVIDER_LOGOUT: "true",
  },
};

// The names the cookie cache has in some group (lib/normalize.mjs decodes them).
export const CACHE_COOKIE_NAMES = Object.values(CUSTOM_COOKIES).map((c) => c.session_data?.name).filter(Boolean);

/**
 * The build a scenario needs and this run lacks, in a group that may be skipped without it
 * (skipWithoutBin): the variable's name, or null. A custom scenario names its groups in
 * `groups`. Under CI=true nothing is skipped: the missing build fails the scenario as in any
 * other group; in self-test the stand-in serves every group.
 */
export function missingBuild(scenario, { selfTest, env = process.env }) {
  if (selfTest || env.CI === "true") return null;
  const names = scenario.kind === "custom" ? (scenario.groups ?? []) : [scenario.group];
  for (const name of names) {
    const g = group(name);
    if (g.skipWithoutBin && g.goBinEnv && !env[g.goBinEnv]) return g.goBinEnv;
  }
  return null;
}

/**
 * The variable an opt-in group (`optIn`) waits for, when it is not "1": its scenarios are
 * left out of the run, under CI too. Null when the scenario runs.
 */
export function optInMissing(scenario, env = process.env) {
  const names = scenario.kind === "custom" ? (scenario.groups ?? []) : [scenario.group];
  for (const name of names) {
    const g = group(name);
    if (g.optIn && env[g.optIn] !== "1") return g.optIn;
  }
  return null;
}

export function group(name) {
  const g = GROUPS[name];
  if (!g) throw new Error(`unknown scenario group "${name}"`);
  return { name, ...g };
}
