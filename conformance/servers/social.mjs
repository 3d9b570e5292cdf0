// Social sign-in for the Node reference server, read from the variables the local identity
// provider hands both servers (servers/idp.mjs `env()`):
//
//   KERNIA_GOOGLE_CLIENT_ID, KERNIA_GOOGLE_CLIENT_SECRET   socialProviders.google
//   KERNIA_GITHUB_CLIENT_ID, KERNIA_GITHUB_CLIENT_SECRET   socialProviders.github
//   KERNIA_APPLE_CLIENT_ID, KERNIA_APPLE_CLIENT_SECRET,
//   KERNIA_APPLE_APP_BUNDLE_IDENTIFIER                     socialProviders.apple (the secret a
//                                                          ready ES256 JWT, as upstream takes it)
//   KERNIA_MICROSOFT_CLIENT_ID, KERNIA_MICROSOFT_CLIENT_SECRET  socialProviders.microsoft (tenant common)
//   KERNIA_DISCORD_CLIENT_ID, KERNIA_DISCORD_CLIENT_SECRET  socialProviders.discord
//   KERNIA_OIDC_PROVIDER_ID, KERNIA_OIDC_DISCOVERY_URL,
//   KERNIA_OIDC_CLIENT_ID, KERNIA_OIDC_CLIENT_SECRET       genericOAuth, one provider from discovery
//   CONFORMANCE_SOCIAL_IDP                                 the provider's address: Node Better Auth
//                                                          hard-codes Google's and GitHub's URLs, so
//                                                          every fetch to those hosts goes there
//
// and the account options both sides read alike:
//
//   KERNIA_TRUSTED_PROVIDERS            account.accountLinking.trustedProviders (comma-separated)
//   KERNIA_ACCOUNT_LINKING              "false": account.accountLinking.enabled false
//   KERNIA_ALLOW_DIFFERENT_EMAILS       "true": accountLinking.allowDifferentEmails
//   KERNIA_ALLOW_UNLINKING_ALL          "true": accountLinking.allowUnlinkingAll
//   KERNIA_REQUIRE_LOCAL_EMAIL_VERIFIED "false": accountLinking.requireLocalEmailVerified false
//   KERNIA_UPDATE_USER_INFO_ON_LINK     "true": accountLinking.updateUserInfoOnLink
//   KERNIA_ENCRYPT_OAUTH_TOKENS         "true": account.encryptOAuthTokens
//   KERNIA_OAUTH_STATE_STRATEGY         "cookie": account.storeStateStrategy (default: the database)
//   KERNIA_SOCIAL_DISABLE_IMPLICIT_SIGN_UP, KERNIA_SOCIAL_DISABLE_SIGN_UP,
//   KERNIA_SOCIAL_OVERRIDE_USER_INFO    "true": that option on every provider
//   KERNIA_OIDC_POST_LOGOUT_REDIRECT_URI, KERNIA_OIDC_DISABLE_PROVIDER_LOGOUT ("true")
//                                       genericOAuth postLogoutRedirectURI, disableProviderLogout
//
// The Go side takes the provider URLs themselves as overrides (KERNIA_GOOGLE_TOKEN_URL, …).
import { PROVIDER_HOSTS } from "./idp.mjs";

// Sends every request for Google's and GitHub's hosts to the local identity provider, under
// /<host>/<path> (servers/idp.mjs). Better Auth's fetches go through @better-fetch/fetch,
// which reads globalThis.fetch at each call, and jose's remote key sets use it too.
export function routeProviderHosts(idpURL) {
  const realFetch = globalThis.fetch;
  const hosts = new Set(PROVIDER_HOSTS);
  globalThis.fetch = function routedFetch(input, init) {
    const address = typeof input === "string" || input instanceof URL ? String(input) : input.url;
    let u;
    try {
      u = new URL(address);
    } catch {
      return realFetch(input, init);
    }
    if (u.protocol !== "https:" || !hosts.has(u.hostname)) return realFetch(input, init);
    const target = `${idpURL}/${u.hostname}${u.pathname}${u.search}`;
    return input instanceof Request ? realFetch(new Request(target, input), init) : realFetch(target, init);
  };
}

const on = (env, name) => env[name] === "true";

// The options to merge: socialProviders, the generic-oauth plugin, and `account`.
export function socialOptions(env, pluginsModule) {
  const common = {
    ...(on(env, "KERNIA_SOCIAL_DISABLE_IMPLICIT_SIGN_UP") ? { disableImplicitSignUp: true } : {}),
    ...(on(env, "KERNIA_SOCIAL_DISABLE_SIGN_UP") ? { disableSignUp: true } : {}),
  };
  const socialProviders = {};
  if (env.KERNIA_GOOGLE_CLIENT_ID) {
    socialProviders.google = {
      clientId: env.KERNIA_GOOGLE_CLIENT_ID, clientSecret: env.KERNIA_GOOGLE_CLIENT_SECRET, ...common,
      ...(on(env, "KERNIA_SOCIAL_OVERRIDE_USER_INFO") ? { overrideUserInfoOnSignIn: true } : {}),
    };
  }
  if (env.KERNIA_GITHUB_CLIENT_ID) {
    socialProviders.github = {
      clientId: env.KERNIA_GITHUB_CLIENT_ID, clientSecret: env.KERNIA_GITHUB_CLIENT_SECRET, ...common,
      ...(on(env, "KERNIA_SOCIAL_OVERRIDE_USER_INFO") ? { overrideUserInfoOnSignIn: true } : {}),
    };
  }
  if (env.KERNIA_APPLE_CLIENT_ID) {
    socialProviders.apple = {
      clientId: env.KERNIA_APPLE_CLIENT_ID, clientSecret: env.KERNIA_APPLE_CLIENT_SECRET, ...common,
      ...(env.KERNIA_APPLE_APP_BUNDLE_IDENTIFIER ? { appBundleIdentifier: env.KERNIA_APPLE_APP_BUNDLE_IDENTIFIER } : {}),
      ...(on(env, "KERNIA_SOCIAL_OVERRIDE_USER_INFO") ? { overrideUserInfoOnSignIn: true } : {}),
    };
  }
  for (const [id, prefix] of [["microsoft", "KERNIA_MICROSOFT"], ["discord", "KERNIA_DISCORD"]]) {
    if (!env[`${prefix}_CLIENT_ID`]) continue;
    socialProviders[id] = {
      clientId: env[`${prefix}_CLIENT_ID`], clientSecret: env[`${prefix}_CLIENT_SECRET`], ...common,
      ...(on(env, "KERNIA_SOCIAL_OVERRIDE_USER_INFO") ? { overrideUserInfoOnSignIn: true } : {}),
    };
  }
  const plugins = [];
  if (env.KERNIA_OIDC_DISCOVERY_URL) {
    plugins.push(pluginsModule.genericOAuth({
      config: [{
        providerId: env.KERNIA_OIDC_PROVIDER_ID || "oidc",
        discoveryUrl: env.KERNIA_OIDC_DISCOVERY_URL,
        clientId: env.KERNIA_OIDC_CLIENT_ID,
        clientSecret: env.KERNIA_OIDC_CLIENT_SECRET,
        scopes: ["openid", "profile", "email"],
        ...(env.KERNIA_OIDC_POST_LOGOUT_REDIRECT_URI ? { postLogoutRedirectURI: env.KERNIA_OIDC_POST_LOGOUT_REDIRECT_URI } : {}),
        ...(on(env, "KERNIA_OIDC_DISABLE_PROVIDER_LOGOUT") ? { disableProviderLogout: true } : {}),
        ...common,
        ...(on(env, "KERNIA_SOCIAL_OVERRIDE_USER_INFO") ? { overrideUserInfo: true } : {}),
      }],
    }));
  }
  const trusted = (env.KERNIA_TRUSTED_PROVIDERS ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const accountLinking = {
    ...(trusted.length ? { trustedProviders: trusted } : {}),
    ...(env.KERNIA_ACCOUNT_LINKING === "false" ? { enabled: false } : {}),
    ...(on(env, "KERNIA_ALLOW_DIFFERENT_EMAILS") ? { allowDifferentEmails: true } : {}),
    ...(on(env, "KERNIA_ALLOW_UNLINKING_ALL") ? { allowUnlinkingAll: true } : {}),
    ...(env.KERNIA_REQUIRE_LOCAL_EMAIL_VERIFIED === "false" ? { requireLocalEmailVerified: false } : {}),
    ...(on(env, "KERNIA_UPDATE_USER_INFO_ON_LINK") ? { updateUserInfoOnLink: true } : {}),
  };
  const account = {
    ...(Object.keys(accountLinking).length ? { accountLinking } : {}),
    ...(on(env, "KERNIA_ENCRYPT_OAUTH_TOKENS") ? { encryptOAuthTokens: true } : {}),
    ...(env.KERNIA_OAUTH_STATE_STRATEGY ? { storeStateStrategy: env.KERNIA_OAUTH_STATE_STRATEGY } : {}),
  };
  return { socialProviders, plugins, account };
}

// Whether the environment asks for any of it.
export function wantsSocial(env) {
  return Boolean(env.KERNIA_GOOGLE_CLIENT_ID || env.KERNIA_GITHUB_CLIENT_ID || env.KERNIA_OIDC_DISCOVERY_URL || env.KERNIA_APPLE_CLIENT_ID ||
    env.KERNIA_MICROSOFT_CLIENT_ID || env.KERNIA_DISCORD_CLIENT_ID);
}
