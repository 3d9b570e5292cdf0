// The Node reference server: a pinned Better Auth on PostgreSQL, served over node:http.
//
// It is started with the same environment contract as the Go server (see README.md),
// plus a few CONFORMANCE_* variables that only the harness uses:
//
//   DATABASE_URL            PostgreSQL database to use (its schema is created here)
//   KERNIA_SECRET           secret for cookie signatures
//   KERNIA_BASE_URL         public base URL (decides cookie prefixes and the trusted origin)
//   KERNIA_TRUSTED_ORIGINS  extra trusted origins, comma-separated
//   KERNIA_RATE_LIMIT       "true" or "false"
//   KERNIA_RATE_LIMIT_STORAGE  "memory" (default) or "database" (rateLimit.storage)
//   KERNIA_COOKIE_CACHE     "compact", "jwt" or "jwe": session.cookieCache on, with that strategy
//   KERNIA_COOKIE_CACHE_MAX_AGE  session.cookieCache.maxAge in seconds
//   KERNIA_COOKIE_PREFIX    advanced.cookiePrefix
//   KERNIA_COOKIES          advanced.cookies, as JSON (per-cookie names and attributes)
//   KERNIA_SMTP_URL, KERNIA_MAIL_FROM  the mail sink (servers/mail.mjs); unset: no mail flows
//   KERNIA_REQUIRE_EMAIL_VERIFICATION, … the account-flow switches (servers/account-flows.mjs)
//   KERNIA_SCHEMA           schema customisation, as JSON (conformance/schemas/*.json): its
//                           user, session, account, verification and rateLimit
//                           ({modelName, fields, additionalFields}) are merged into the options,
//                           user deep-merged with the account flows' user; advanced.database
//                           into advanced
//   ADDR                    host:port to listen on (port 0 picks a free one)
//   CONFORMANCE_PLUGINS     plugin names, comma-separated (servers/plugins.mjs)
//   CONFORMANCE_BETTER_AUTH which installed Better Auth to run (package.json aliases)
//   CONFORMANCE_STANDIN     "1" when this server stands in for the Go side in self-test
//   KERNIA_GOOGLE_CLIENT_ID, …, CONFORMANCE_SOCIAL_IDP  social sign-in against the local
//                           identity provider, and the account options (servers/social.mjs)
//
// It prints one line `ready <url>` on stdout once it accepts requests.
// NODE_ENV must be "production" (the harness sets it) so the origin check and the
// rate limiter default as in production (PROTOCOL.md §7.1, §7.2).
import http from "node:http";
import pg from "pg";
import { accountFlowOptions } from "./account-flows.mjs";
import { mailSender } from "./mail.mjs";
import { buildPlugins } from "./plugins.mjs";
import { applySchema } from "./schema-options.mjs";
import { routeProviderHosts, socialOptions } from "./social.mjs";
import { relaxLegacyIssuer } from "./standin.mjs";

const PACKAGES = new Set(["better-auth", "better-auth-1-6", "better-auth-1-7-1"]);

function required(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is required`);
  return v;
}

function list(value) {
  return (value ?? "").split(",").map((s) => s.trim()).filter(Boolean);
}

// session.cookieCache from KERNIA_COOKIE_CACHE(_MAX_AGE), read as the Go server reads them.
function cookieCache(env) {
  if (!env.KERNIA_COOKIE_CACHE) return { enabled: false };
  const maxAge = env.KERNIA_COOKIE_CACHE_MAX_AGE ? Number(env.KERNIA_COOKIE_CACHE_MAX_AGE) : undefined;
  return { enabled: true, strategy: env.KERNIA_COOKIE_CACHE, ...(maxAge ? { maxAge } : {}) };
}

async function main() {
  const pkg = process.env.CONFORMANCE_BETTER_AUTH || "better-auth";
  if (!PACKAGES.has(pkg)) throw new Error(`CONFORMANCE_BETTER_AUTH must be one of ${[...PACKAGES].join(", ")}`);
  const { betterAuth } = await import(pkg);
  const { getMigrations } = await import(`${pkg}/db/migration`);
  const { toNodeHandler } = await import(`${pkg}/node`);
  const pluginsModule = await import(`${pkg}/plugins`);

  const pool = new pg.Pool({ connectionString: required("DATABASE_URL"), max: 10 });
  // Google's and GitHub's hosts go to the local identity provider (servers/idp.mjs).
  if (process.env.CONFORMANCE_SOCIAL_IDP) routeProviderHosts(process.env.CONFORMANCE_SOCIAL_IDP);
  const social = socialOptions(process.env, pluginsModule);
  const options = applySchema({
    database: pool,
    secret: required("KERNIA_SECRET"),
    baseURL: required("KERNIA_BASE_URL"),
    trustedOrigins: list(process.env.KERNIA_TRUSTED_ORIGINS),
    // emailAndPassword, emailVerification and user: the account flows (account-flows.mjs).
    ...accountFlowOptions(process.env, mailSender(process.env)),
    rateLimit: {
      enabled: process.env.KERNIA_RATE_LIMIT === "true",
      storage: process.env.KERNIA_RATE_LIMIT_STORAGE || "memory",
    },
    // The proxies the Go side trusts (KERNIA_TRUSTED_PROXIES): Node cannot see the connection,
    // so with the same list it reads X-Forwarded-For chains as the Go side reads them from a
    // trusted peer.
    advanced: {
      ipAddress: { trustedProxies: list(process.env.KERNIA_TRUSTED_PROXIES) },
      ...(process.env.KERNIA_COOKIE_PREFIX ? { cookiePrefix: process.env.KERNIA_COOKIE_PREFIX } : {}),
      ...(process.env.KERNIA_COOKIES ? { cookies: JSON.parse(process.env.KERNIA_COOKIES) } : {}),
    },
    plugins: [...buildPlugins(list(process.env.CONFORMANCE_PLUGINS), pluginsModule), ...social.plugins],
    socialProviders: social.socialProviders,
    account: social.account,
    telemetry: { enabled: false },
    session: { cookieCache: cookieCache(process.env) },
  }, process.env.KERNIA_SCHEMA);

  // The Go server adopts a 1.7.0–1.7.2 database in its migrations; the stand-in
  // has to do the same before Better Auth's engine looks at the schema.
  if (process.env.CONFORMANCE_STANDIN === "1") await relaxLegacyIssuer(pool);

  // Better Auth's own migration engine, the one behind `npx auth migrate`.
  const { runMigrations } = await getMigrations(options);
  await runMigrations();

  const auth = betterAuth(options);
  // better-auth/node's adapter, as a Node deployment serves Better Auth. Note that it hands
  // the handler no body when a request has no Content-Type or Content-Length 0 (README.md).
  const server = http.createServer(toNodeHandler(auth));
  const addr = process.env.ADDR || "127.0.0.1:0";
  const sep = addr.lastIndexOf(":");
  server.listen(Number(addr.slice(sep + 1)), addr.slice(0, sep), () => {
    const { address, port } = server.address();
    process.stdout.write(`ready http://${address}:${port} ${pkg}\n`);
  });

  const stop = () => server.close(() => pool.end().finally(() => process.exit(0)));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((err) => {
  console.error("node-server:", err?.stack || err);
  process.exit(1);
});
