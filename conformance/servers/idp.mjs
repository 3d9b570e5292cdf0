// The local identity provider of the social sign-in scenarios: Google, GitHub and a generic
// OpenID Connect provider on loopback, so that no request leaves the machine.
//
// The generic provider is oauth2-mock-server's own service (discovery, JWKS, authorize,
// token, userinfo, end-session) under /oidc. Google and GitHub are answered here, under
// /<real host>/<real path>: Node Better Auth hard-codes their URLs, and the Node reference
// server sends every request for those hosts here (servers/social.mjs); the Go side is given
// the same URLs as endpoint overrides (env() below). Keys and ID tokens come from the mock
// server's OAuth2Issuer: Google's ID tokens are RS256, issued by https://accounts.google.com,
// with the JWKS at /www.googleapis.com/oauth2/v3/certs.
//
// Who signs in, and how the provider misbehaves, is chosen per authorization, never
// globally: `authorize(url, login)` plays the browser's part at the provider (it follows the
// authorization URL with the login attached) and returns the redirect to the callback, with
// code and state. Everything the provider later answers for that code (token, profile,
// e-mails, refresh) follows that login, so the two sides of a scenario can run at once.
//
// A login: {
//   person:   {sub, id, login, name, email, emailVerified, picture, emails}
//             (person(email, …) makes one with ids derived from the address)
//   deny:     "access_denied": the provider answers the authorization with ?error=
//   callback: {set: {name: value}, delete: [name]}: change the redirect's parameters
//   token:    fault of the token endpoint: {status, body (raw text), json (fields merged
//             into the answer; undefined deletes), delayMs}
//   idToken:  Google's ID token: {claims (merged), alg: "none" | "rogue" (a key not in the
//             JWKS), expiresIn (seconds, negative: expired)}
//   user, emails, userinfo, refresh: faults ({status, body, json, delayMs}) of GitHub's
//             /user and /user/emails, Google's userinfo, and the refresh grant
// }
//
// With `signInPage: true` (the development provider of scripts/demo, servers/dev-idp.mjs), an
// authorization without a login is a person's visit: the provider answers a sign-in page that
// asks for an address and a name, and signs that person in without a password (person(email),
// address verified), so that a browser goes through the flow with a user of its choice.
import { createHash, generateKeyPairSync, randomBytes } from "node:crypto";
import http from "node:http";
import { OAuth2Issuer, OAuth2Service } from "oauth2-mock-server";
import { SignJWT, decodeProtectedHeader, jwtVerify } from "jose";

// The hosts of Google and GitHub that Better Auth 1.7.25 calls or sends the browser to
// (docs/upstream/social.md §9); openidconnect.googleapis.com is answered for a Go side
// that reads Google's userinfo.
export const PROVIDER_HOSTS = [
  "accounts.google.com",
  "oauth2.googleapis.com",
  "openidconnect.googleapis.com",
  "www.googleapis.com",
  "github.com",
  "api.github.com",
  "appleid.apple.com",
  // Microsoft Entra ID: sign-in, token and keys; Graph's profile photo.
  "login.microsoftonline.com",
  "graph.microsoft.com",
  // Discord: authorization, token and /users/@me (cdn.discordapp.com is only named in avatar
  // URLs, never fetched).
  "discord.com",
];

// The registered clients. The secrets are test values, but still secrets: lib/secrets.mjs
// looks for them in the Go logs like any other.
export const CLIENTS = {
  google: { clientId: "kernia-conformance.apps.googleusercontent.com", clientSecret: "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cret" },
  github: { clientId: "Iv1.kerniaconformance", clientSecret: "kernia-conformance-github-secret-0123456789" },
  oidc: { clientId: "kernia-conformance-oidc", clientSecret: "kernia-conformance-oidc-secret" },
  microsoft: { clientId: "3c1a8f2e-6a7b-4d5e-9f10-kernia000001", clientSecret: "kernia~conformance~microsoft~secret" },
  discord: { clientId: "1234567890123456789", clientSecret: "kernia-conformance-discord-secret" },
};

// Sign in with Apple: the Services ID (the client id), the team and key of the client secret's
// ES256 key (made at start), and an app's bundle id (the audience of apps' ID tokens).
export const APPLE = { clientId: "com.kernia.conformance.web", teamId: "KRNTEAM001", keyId: "KRNKEY0001", bundleId: "com.kernia.conformance.app" };
export const APPLE_ISSUER = "https://appleid.apple.com";
// The tenant of the Microsoft users (the tid of their ID tokens) and its issuer.
export const MICROSOFT_TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
export const MICROSOFT_ISSUER = `https://login.microsoftonline.com/${MICROSOFT_TENANT}/v2.0`;
// The photo Graph answers for every Microsoft user (a few bytes standing for a JPEG).
export const MICROSOFT_PHOTO = Buffer.from("ffd8ffe000104a46494600kernia-photo", "utf8");

export const GOOGLE_ISSUER = "https://accounts.google.com";
const GOOGLE_SCOPES = { email: "https://www.googleapis.com/auth/userinfo.email", profile: "https://www.googleapis.com/auth/userinfo.profile" };

const b64url = (n) => randomBytes(n).toString("base64url");
const alnum = (n) => randomBytes(n * 2).toString("base64").replace(/[^A-Za-z0-9]/g, "").slice(0, n);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A provider user whose ids depend only on the address, so that both sides of a scenario
// see the same Google `sub` and GitHub `id`.
export function person(email, extra = {}) {
  const digest = createHash("sha256").update(email).digest();
  const local = email.split("@")[0];
  const p = {
    sub: "1" + BigInt("0x" + digest.subarray(0, 8).toString("hex")).toString().padStart(20, "0").slice(0, 20),
    id: digest.readUInt32BE(8) % 900_000_000 + 100_000_000,
    login: local.replace(/[^A-Za-z0-9-]/g, "-"),
    name: `Person ${local}`,
    email,
    emailVerified: true,
    picture: `https://images.example.test/${local}.png`,
    // Microsoft's object id, and Discord's snowflake and avatar (null: the default one).
    oid: [8, 4, 4, 4, 12].reduce((acc, n, i) => { const at = acc.at; return { at: at + n, parts: [...acc.parts, digest.toString("hex").slice(at, at + n)] }; }, { at: 0, parts: [] }).parts.join("-"),
    snowflake: (BigInt("0x" + digest.subarray(12, 20).toString("hex")) >> 1n).toString(),
    avatar: null,
    ...extra,
  };
  p.emails ??= [{ email: p.email, primary: true, verified: p.emailVerified, visibility: "private" }];
  return p;
}

const PROVIDER_NAMES = { google: "Google", github: "GitHub", oidc: "OpenID Connect" };
const escapeHTML = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// The sign-in page of `signInPage`: a form that sends the same authorization request again
// with the chosen person (kernia_email, kernia_name). No script, no external resource.
function signInForm(res, provider, url) {
  const name = PROVIDER_NAMES[provider];
  const hidden = [...url.searchParams].map(([k, v]) => `<input type="hidden" name="${escapeHTML(k)}" value="${escapeHTML(v)}">`).join("\n    ");
  res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "content-security-policy": "default-src 'none'; img-src data:; style-src 'unsafe-inline'" });
  res.end(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign in with ${name} (local development IdP)</title><link rel="icon" href="data:,">
<style>body{font:16px system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}label{display:block;margin:.8rem 0 .2rem}input{font:inherit;width:100%;box-sizing:border-box;padding:.4rem}button{font:inherit;margin-top:1rem;padding:.5rem 1.2rem}</style></head>
<body>
<h1>Sign in with ${name}</h1>
<p>This is kernia-gen's local development identity provider, on loopback, standing in for ${name}: it
signs in whoever you name here, without a password, and says the address is verified. The same address
gives the same ${name} account every time.</p>
<form method="get" action="${escapeHTML(url.pathname)}" aria-label="Sign in with ${name}">
    ${hidden}
  <label for="kernia_email">Email</label>
  <input id="kernia_email" name="kernia_email" type="email" value="dev@example.com" required>
  <label for="kernia_name">Name</label>
  <input id="kernia_name" name="kernia_name" value="Dev User">
  <button type="submit">Continue as this person</button>
</form>
</body>
</html>
`);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res, status, body, headers = {}) {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const type = typeof body === "string" ? "text/plain; charset=utf-8" : "application/json; charset=utf-8";
  res.writeHead(status, { "content-type": type, "cache-control": "no-store", ...headers });
  res.end(text);
}

// A fault ({status, body, json, delayMs}) answers instead of `answer`, or changes it.
async function answer(res, fault, status, body) {
  if (fault?.delayMs) await sleep(fault.delayMs);
  if (fault?.body !== undefined) return send(res, fault.status ?? 200, String(fault.body), fault.headers);
  if (fault?.status !== undefined && fault.json === undefined) return send(res, fault.status, { error: "server_error" });
  let out = body;
  if (fault?.json) {
    out = { ...body, ...fault.json };
    for (const [k, v] of Object.entries(fault.json)) if (v === undefined) delete out[k];
  }
  return send(res, fault?.status ?? status, out);
}

// Client credentials as client_secret_post or client_secret_basic.
function clientOf(req, form) {
  const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? "");
  if (basic) {
    const [id, secret] = Buffer.from(basic[1], "base64").toString().split(":").map((s) => decodeURIComponent(s.replace(/\+/g, " ")));
    return { id, secret };
  }
  return { id: form.get("client_id"), secret: form.get("client_secret") };
}

function pkceMatches(grant, verifier) {
  if (!grant.challenge) return true;
  if (!verifier) return false;
  if (grant.method === "plain") return verifier === grant.challenge;
  return createHash("sha256").update(verifier).digest("base64url") === grant.challenge;
}

// onSecret(value, kind) is told every code and token the provider issues, and the client
// secrets (lib/secrets.mjs looks for them in the Go logs).
export async function startIdP({ host = "127.0.0.1", port = 0, onSecret = () => {}, signInPage = false } = {}) {
  for (const [name, c] of Object.entries(CLIENTS)) onSecret(c.clientSecret, `${name} client secret`);
  const google = new OAuth2Issuer();
  await google.keys.generate("RS256");
  google.url = GOOGLE_ISSUER;
  // Same issuer, keys not published: a token it signs must be refused.
  const rogue = new OAuth2Issuer();
  await rogue.keys.generate("RS256");
  rogue.url = GOOGLE_ISSUER;
  const microsoft = new OAuth2Issuer();
  await microsoft.keys.generate("RS256");
  microsoft.url = MICROSOFT_ISSUER;
  const oidcIssuer = new OAuth2Issuer();
  await oidcIssuer.keys.generate("RS256");
  const oidc = new OAuth2Service(oidcIssuer, Object.fromEntries(
    Object.entries({ wellKnownDocument: "/.well-known/openid-configuration", jwks: "/jwks", token: "/token", authorize: "/authorize", userinfo: "/userinfo", revoke: "/revoke", endSession: "/endsession", introspect: "/introspect" })
      .map(([k, v]) => [k, "/oidc" + v]),
  ));

  // Apple: its ID token issuer, a rogue one, and the client's ES256 key. Upstream takes the
  // client secret ready-made (appleSecret, for the Node side); the Go side signs its own from
  // the same key (KERNIA_APPLE_PRIVATE_KEY). The token endpoint checks either as Apple does.
  const apple = new OAuth2Issuer();
  await apple.keys.generate("RS256");
  apple.url = APPLE_ISSUER;
  const appleRogue = new OAuth2Issuer();
  await appleRogue.keys.generate("RS256");
  appleRogue.url = APPLE_ISSUER;
  const appleKey = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const applePrivatePEM = appleKey.privateKey.export({ type: "pkcs8", format: "pem" });
  const appleSecret = await new SignJWT({}).setProtectedHeader({ alg: "ES256", kid: APPLE.keyId })
    .setIssuer(APPLE.teamId).setSubject(APPLE.clientId).setAudience(APPLE_ISSUER).setIssuedAt().setExpirationTime("2h")
    .sign(appleKey.privateKey);
  onSecret(applePrivatePEM, "apple private key");
  onSecret(appleSecret, "apple client secret");

  const logins = new Map(); // login id → login
  const grants = new Map(); // code → {provider, login, clientId, redirectURI, scope, nonce, challenge, method, used}
  const tokens = new Map(); // access or refresh token → grant
  const requests = []; // what the servers sent to the provider, for assertions
  let seq = 0;

  function loginOf(id) {
    return logins.get(id) ?? { person: person("nobody@idp.test") };
  }

  // The login of an authorization's parameters (get(name)): a scenario's kernia_login, or the
  // person chosen on the sign-in page.
  function loginFrom(get) {
    const email = signInPage ? get("kernia_email") : undefined;
    if (!email) return loginOf(get("kernia_login"));
    const name = get("kernia_name");
    return { person: person(email, name ? { name } : {}) };
  }
  // needsSignIn: a visit to the sign-in page's provider with nobody chosen yet.
  const needsSignIn = (q) => signInPage && !q.has("kernia_login") && !q.get("kernia_email");

  async function googleIdToken(p, { aud = CLIENTS.google.clientId, nonce, claims = {}, alg, expiresIn = 3600 } = {}) {
    const payload = {
      azp: CLIENTS.google.clientId, aud, sub: p.sub, email: p.email, email_verified: p.emailVerified,
      name: p.name, picture: p.picture, given_name: p.name?.split(" ")[0], family_name: p.name?.split(" ").slice(1).join(" ") || undefined,
      ...(nonce !== undefined ? { nonce } : {}), ...claims,
    };
    if (alg === "none") {
      const now = Math.floor(Date.now() / 1000);
      const enc = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
      return `${enc({ alg: "none", typ: "JWT" })}.${enc({ iss: GOOGLE_ISSUER, iat: now, exp: now + expiresIn, ...payload })}.`;
    }
    const issuer = alg === "rogue" ? rogue : google;
    return issuer.buildToken({
      expiresIn,
      scopesOrTransform: (_header, body) => {
        delete body.nbf; // Google's ID tokens have none
        if (expiresIn < 0) body.iat = body.exp - 3600;
        Object.assign(body, payload);
        for (const [k, v] of Object.entries(body)) if (v === undefined) delete body[k];
      },
    });
  }

  // GET …/authorize of Google and GitHub: the user has signed in and consented.
  function authorize(provider, url, res) {
    const q = url.searchParams;
    const client = CLIENTS[provider];
    if (q.get("client_id") !== client.clientId) return send(res, 400, "Error 401: invalid_client");
    let redirect;
    try {
      redirect = new URL(q.get("redirect_uri"));
    } catch {
      return send(res, 400, "Error 400: redirect_uri_mismatch");
    }
    if (needsSignIn(q)) return signInForm(res, provider, url);
    const login = loginFrom((k) => q.get(k));
    if (q.has("state")) redirect.searchParams.set("state", q.get("state"));
    if (login.deny) {
      redirect.searchParams.set("error", login.deny);
      if (provider === "github") redirect.searchParams.set("error_description", "The user has denied your application access.");
    } else {
      const code = provider === "github" ? randomBytes(10).toString("hex") : provider === "microsoft" ? `1.AR${b64url(60)}` : provider === "discord" ? alnum(30) : `4/0A${b64url(48)}`;
      const requested = (q.get("scope") ?? "").split(" ").filter(Boolean);
      onSecret(code, `${provider} authorization code`);
      grants.set(code, {
        provider, login, clientId: client.clientId, redirectURI: q.get("redirect_uri"), requested,
        nonce: q.get("nonce") ?? undefined, challenge: q.get("code_challenge"), method: q.get("code_challenge_method") ?? "plain", used: false,
      });
      redirect.searchParams.set("code", code);
      if (provider === "google") {
        redirect.searchParams.set("scope", requested.map((s) => GOOGLE_SCOPES[s] ?? s).join(" "));
        redirect.searchParams.set("authuser", "0");
        redirect.searchParams.set("prompt", "consent");
      }
    }
    for (const [k, v] of Object.entries(login.callback?.set ?? {})) redirect.searchParams.set(k, v);
    for (const k of login.callback?.delete ?? []) redirect.searchParams.delete(k);
    res.writeHead(302, { location: redirect.href });
    res.end();
  }

  // POST https://oauth2.googleapis.com/token: the code and refresh grants.
  async function googleToken(req, res, form) {
    const client = clientOf(req, form);
    if (form.get("grant_type") === "refresh_token") {
      const grant = tokens.get(form.get("refresh_token"));
      if (!grant || grant.provider !== "google") return answer(res, undefined, 400, { error: "invalid_grant", error_description: "Token has been expired or revoked." });
      return answer(res, grant.login.refresh, 200, await googleTokens(grant, { refresh: false }));
    }
    const grant = grants.get(form.get("code"));
    if (!grant || grant.provider !== "google") return answer(res, undefined, 400, { error: "invalid_grant", error_description: "Malformed auth code." });
    const fault = grant.login.token;
    if (grant.used) return answer(res, fault?.delayMs ? { delayMs: fault.delayMs } : undefined, 400, { error: "invalid_grant", error_description: "Bad Request" });
    grant.used = true;
    if (client.id !== grant.clientId || client.secret !== CLIENTS.google.clientSecret) return answer(res, undefined, 401, { error: "invalid_client", error_description: "Unauthorized" });
    if (form.get("redirect_uri") !== grant.redirectURI) return answer(res, undefined, 400, { error: "redirect_uri_mismatch", error_description: "Bad Request" });
    if (!pkceMatches(grant, form.get("code_verifier"))) return answer(res, undefined, 400, { error: "invalid_grant", error_description: "Invalid code verifier." });
    return answer(res, fault, 200, await googleTokens(grant, { refresh: true }));
  }

  async function googleTokens(grant, { refresh }) {
    const accessToken = `ya29.${b64url(60)}`;
    tokens.set(accessToken, grant);
    onSecret(accessToken, "google access token");
    const out = {
      access_token: accessToken, expires_in: 3599,
      scope: grant.requested.map((s) => GOOGLE_SCOPES[s] ?? s).join(" "),
      token_type: "Bearer",
      id_token: await googleIdToken(grant.login.person, { nonce: grant.nonce, ...grant.login.idToken }),
    };
    onSecret(out.id_token, "google id token");
    if (refresh) {
      const refreshToken = `1//0${b64url(70)}`;
      tokens.set(refreshToken, grant);
      onSecret(refreshToken, "google refresh token");
      out.refresh_token = refreshToken;
    }
    return out;
  }

  // POST https://github.com/login/oauth/access_token: errors are 200s with an `error` field.
  async function githubToken(req, res, form) {
    const fail = (error, error_description) => answer(res, undefined, 200, { error, error_description, error_uri: `https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#${error.replace(/_/g, "-")}` });
    const grant = grants.get(form.get("code"));
    const client = clientOf(req, form);
    if (client.id !== CLIENTS.github.clientId || client.secret !== CLIENTS.github.clientSecret) return fail("incorrect_client_credentials", "The client_id and/or client_secret passed are incorrect.");
    if (!grant || grant.provider !== "github" || grant.used) return fail("bad_verification_code", "The code passed is incorrect or expired.");
    grant.used = true;
    if (form.has("redirect_uri") && form.get("redirect_uri") !== grant.redirectURI) return fail("redirect_uri_mismatch", "The redirect_uri MUST match the registered callback URL for this application.");
    if (!pkceMatches(grant, form.get("code_verifier"))) return fail("bad_verification_code", "The code passed is incorrect or expired.");
    const accessToken = `gho_${alnum(36)}`;
    tokens.set(accessToken, grant);
    onSecret(accessToken, "github access token");
    return answer(res, grant.login.token, 200, { access_token: accessToken, token_type: "bearer", scope: grant.requested.join(",") });
  }

  function bearer(req) {
    const m = /^(?:Bearer|token) (.+)$/i.exec(req.headers.authorization ?? "");
    return m ? tokens.get(m[1]) : undefined;
  }

  // GET https://api.github.com/user and /user/emails.
  function githubAPI(path, req, res) {
    const grant = bearer(req);
    if (!grant || grant.provider !== "github") return send(res, 401, { message: "Bad credentials", documentation_url: "https://docs.github.com/rest", status: "401" });
    const p = grant.login.person;
    if (path === "/user") {
      return answer(res, grant.login.user, 200, {
        login: p.login, id: p.id, node_id: `U_${Buffer.from(String(p.id)).toString("base64url")}`, avatar_url: p.picture,
        type: "User", site_admin: false, name: p.name ?? null, email: p.publicEmail ?? null,
      });
    }
    if (!grant.requested.includes("user:email") && !grant.requested.includes("user")) return send(res, 404, { message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" });
    return answer(res, grant.login.emails, 200, p.emails);
  }

  // Google's userinfo (not called by Better Auth 1.7.25, which reads the ID token).
  function googleUserinfo(req, res) {
    const grant = bearer(req);
    if (!grant || grant.provider !== "google") return send(res, 401, { error: "invalid_request", error_description: "Invalid Credentials" });
    const p = grant.login.person;
    return answer(res, grant.login.userinfo, 200, { sub: p.sub, name: p.name, picture: p.picture, email: p.email, email_verified: p.emailVerified });
  }

  // Microsoft Entra ID: ID tokens of the tenant's issuer, the code and refresh grants at
  // …/<tenant>/oauth2/v2.0/token (refresh tokens rotate), the photo at Graph.
  async function microsoftIdToken(p, { aud = CLIENTS.microsoft.clientId, claims = {}, alg, expiresIn = 3600 } = {}) {
    const payload = {
      aud, iss: MICROSOFT_ISSUER, tid: MICROSOFT_TENANT, oid: p.oid, sub: `pairwise-${p.oid}`, ver: "2.0",
      name: p.name, preferred_username: p.email, email: p.email,
      ...(p.emailVerified ? { verified_primary_email: [p.email] } : {}), ...claims,
    };
    if (alg === "none") {
      const now = Math.floor(Date.now() / 1000);
      const enc = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
      return `${enc({ alg: "none", typ: "JWT" })}.${enc({ iat: now, exp: now + expiresIn, ...payload })}.`;
    }
    return (alg === "rogue" ? rogue : microsoft).buildToken({
      expiresIn,
      scopesOrTransform: (_header, body) => {
        if (expiresIn < 0) body.iat = body.exp - 3600;
        Object.assign(body, payload);
        for (const [k, v] of Object.entries(body)) if (v === undefined) delete body[k];
      },
    });
  }

  async function microsoftToken(req, res, form) {
    const client = clientOf(req, form);
    const fail = (status, error, error_description) => answer(res, undefined, status, { error, error_description });
    if (client.id !== CLIENTS.microsoft.clientId || client.secret !== CLIENTS.microsoft.clientSecret) return fail(401, "invalid_client", "AADSTS7000215: Invalid client secret provided.");
    let grant;
    if (form.get("grant_type") === "refresh_token") {
      grant = tokens.get(form.get("refresh_token"));
      if (!grant || grant.provider !== "microsoft") return fail(400, "invalid_grant", "AADSTS70000: The provided grant has expired.");
      // Better Auth asks for its default scopes again: a refresh without them is refused here,
      // so that both servers' refresh requests are checked.
      if (form.get("scope") !== "openid profile email User.Read offline_access") return fail(400, "invalid_scope", `AADSTS70011: unexpected scope ${JSON.stringify(form.get("scope"))}`);
      tokens.delete(form.get("refresh_token"));
    } else {
      grant = grants.get(form.get("code"));
      if (!grant || grant.provider !== "microsoft" || grant.used) return fail(400, "invalid_grant", "AADSTS70008: The provided authorization code or refresh token has expired.");
      grant.used = true;
      if (form.get("redirect_uri") !== grant.redirectURI) return fail(400, "invalid_grant", "AADSTS50148: The redirect_uri does not match.");
      if (!pkceMatches(grant, form.get("code_verifier"))) return fail(400, "invalid_grant", "AADSTS501481: The Code_Verifier does not match the code_challenge.");
    }
    const accessToken = `eyJ0eXAiOiJKV1Qi.${b64url(80)}`;
    const refreshToken = `1.AR${b64url(90)}`;
    tokens.set(accessToken, grant);
    tokens.set(refreshToken, grant);
    onSecret(accessToken, "microsoft access token");
    onSecret(refreshToken, "microsoft refresh token");
    const idToken = await microsoftIdToken(grant.login.person, grant.login.idToken);
    onSecret(idToken, "microsoft id token");
    const fault = form.get("grant_type") === "refresh_token" ? grant.login.refresh : grant.login.token;
    return answer(res, fault, 200, {
      token_type: "Bearer", scope: "openid profile email User.Read", expires_in: 4739, ext_expires_in: 4739,
      access_token: accessToken, refresh_token: refreshToken, id_token: idToken,
    });
  }

  function microsoftPhoto(req, res) {
    const grant = bearer(req);
    if (!grant || grant.provider !== "microsoft") return send(res, 401, { error: { code: "InvalidAuthenticationToken", message: "Access token is empty." } });
    if (grant.login.photo === "none") return send(res, 404, { error: { code: "ImageNotFound", message: "Exception of type 'Microsoft.Fast.Profile.Core.Exception.ImageNotFoundException' was thrown." } });
    res.writeHead(200, { "content-type": "image/jpeg" });
    res.end(MICROSOFT_PHOTO);
  }

  // Discord: the code grant without PKCE, the refresh grant, and /users/@me.
  async function discordToken(req, res, form) {
    const client = clientOf(req, form);
    const fail = (error, error_description) => answer(res, undefined, 400, { error, error_description });
    if (client.id !== CLIENTS.discord.clientId || client.secret !== CLIENTS.discord.clientSecret) return answer(res, undefined, 401, { error: "invalid_client" });
    let grant;
    if (form.get("grant_type") === "refresh_token") {
      grant = tokens.get(form.get("refresh_token"));
      if (!grant || grant.provider !== "discord") return fail("invalid_grant", "Invalid \"refresh_token\" in request.");
    } else {
      grant = grants.get(form.get("code"));
      if (!grant || grant.provider !== "discord" || grant.used) return fail("invalid_grant", "Invalid \"code\" in request.");
      grant.used = true;
      if (form.get("redirect_uri") !== grant.redirectURI) return fail("invalid_grant", "Invalid \"redirect_uri\" in request.");
    }
    const accessToken = alnum(30);
    const refreshToken = alnum(30);
    tokens.set(accessToken, grant);
    tokens.set(refreshToken, grant);
    onSecret(accessToken, "discord access token");
    onSecret(refreshToken, "discord refresh token");
    const fault = form.get("grant_type") === "refresh_token" ? grant.login.refresh : grant.login.token;
    return answer(res, fault, 200, { token_type: "Bearer", access_token: accessToken, expires_in: 604800, refresh_token: refreshToken, scope: grant.requested.join(" ") });
  }

  function discordMe(req, res) {
    const grant = bearer(req);
    if (!grant || grant.provider !== "discord") return send(res, 401, { message: "401: Unauthorized", code: 0 });
    const p = grant.login.person;
    return answer(res, grant.login.user, 200, {
      id: p.snowflake, username: p.login.toLowerCase(), global_name: p.name ?? null, discriminator: p.discriminator ?? "0", avatar: p.avatar,
      public_flags: 0, flags: 0, banner: null, accent_color: null, mfa_enabled: false, locale: "en-US", premium_type: 0,
      email: p.email, verified: p.emailVerified,
    });
  }

  // The generic provider: who signs in follows the login attached to the authorization.
  const oidcCodes = new Map(); // code → login
  oidc.on("beforeAuthorizeRedirect", (redirect, req) => {
    const login = loginFrom((k) => (typeof req.query[k] === "string" ? req.query[k] : undefined));
    const code = redirect.url.searchParams.get("code");
    if (code) {
      oidcCodes.set(code, { login, used: false });
      onSecret(code, "oidc authorization code");
    }
    if (login.deny) {
      redirect.url.searchParams.delete("code");
      redirect.url.searchParams.set("error", login.deny);
    }
    for (const [k, v] of Object.entries(login.callback?.set ?? {})) redirect.url.searchParams.set(k, v);
    for (const k of login.callback?.delete ?? []) redirect.url.searchParams.delete(k);
  });
  const oidcLogin = (req) => (req.body?.code ? oidcCodes.get(req.body.code)?.login : tokens.get(req.body?.refresh_token)?.login);
  oidc.on("beforeTokenSigning", (token, req) => {
    const login = oidcLogin(req);
    if (!login) return;
    const p = login.person;
    token.payload.sub = p.sub;
    // The ID token (the one with an audience) carries the profile.
    if (token.payload.aud !== undefined) Object.assign(token.payload, { email: p.email, email_verified: p.emailVerified, name: p.name, picture: p.picture }, login.idToken?.claims);
  });
  oidc.on("beforeResponse", (response, req) => {
    const entry = req.body?.code ? oidcCodes.get(req.body.code) : undefined;
    if (req.body?.grant_type === "authorization_code") {
      if (!entry || entry.used) {
        response.statusCode = 400;
        response.body = { error: "invalid_grant" };
        return;
      }
      entry.used = true;
    }
    const login = oidcLogin(req);
    if (!login) return;
    const grant = { provider: "oidc", login, requested: [] };
    for (const k of ["access_token", "refresh_token", "id_token"]) {
      if (typeof response.body[k] !== "string") continue;
      if (k !== "id_token") tokens.set(response.body[k], grant);
      onSecret(response.body[k], `oidc ${k}`);
    }
    const fault = req.body?.grant_type === "refresh_token" ? login.refresh : login.token;
    if (fault?.json) Object.assign(response.body, fault.json);
    if (fault?.status) response.statusCode = fault.status;
  });
  oidc.on("beforeUserinfo", (response, req) => {
    const grant = bearer(req);
    if (!grant) return;
    const p = grant.login.person;
    response.body = { sub: p.sub, email: p.email, email_verified: p.emailVerified, name: p.name, picture: p.picture };
  });

  // Apple's ID token (RS256, iss https://appleid.apple.com): {aud, nonce, claims, alg, expiresIn}
  // as googleIdToken's. No name: Apple never puts it in the token.
  async function appleIdToken(p, { aud = APPLE.clientId, nonce, claims = {}, alg, expiresIn = 3600 } = {}) {
    const payload = {
      aud, sub: p.appleSub ?? `000${p.sub.slice(0, 6)}.${createHash("sha256").update(p.email ?? "").digest("hex").slice(0, 32)}.0${p.sub.slice(6, 9)}`,
      email: p.email, email_verified: p.emailVerified, is_private_email: false, auth_time: Math.floor(Date.now() / 1000), nonce_supported: true,
      ...(nonce !== undefined ? { nonce } : {}), ...claims,
    };
    if (alg === "none") {
      const now = Math.floor(Date.now() / 1000);
      const enc = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
      return `${enc({ alg: "none", typ: "JWT" })}.${enc({ iss: APPLE_ISSUER, iat: now, exp: now + expiresIn, ...payload })}.`;
    }
    return (alg === "rogue" ? appleRogue : apple).buildToken({
      expiresIn,
      scopesOrTransform: (_header, body) => {
        delete body.nbf;
        delete body.jti;
        if (expiresIn < 0) body.iat = body.exp - 3600;
        Object.assign(body, payload);
        for (const [k, v] of Object.entries(body)) if (v === undefined) delete body[k];
      },
    });
  }

  // GET https://appleid.apple.com/auth/authorize with response_mode=form_post: Apple answers
  // with a page that posts code, id_token, state and, on the first authorization only, the
  // user's name (login.user: undefined sends it, null does not, a string is sent as is).
  async function appleAuthorize(url, res) {
    const q = url.searchParams;
    if (q.get("client_id") !== APPLE.clientId) return send(res, 400, "invalid_client");
    if (q.get("response_mode") !== "form_post" && (q.get("scope") ?? "") !== "") return send(res, 400, "invalid_request: response_mode must be form_post when name or email scope is requested");
    const login = loginOf(q.get("kernia_login"));
    const fields = {};
    if (login.deny) {
      fields.error = login.deny;
    } else {
      const code = `c${randomBytes(16).toString("hex")}.0.${alnum(4)}.${b64url(24)}`;
      onSecret(code, "apple authorization code");
      const requested = (q.get("scope") ?? "").split(" ").filter(Boolean);
      grants.set(code, {
        provider: "apple", login, clientId: APPLE.clientId, redirectURI: q.get("redirect_uri"), requested,
        nonce: q.get("nonce") ?? undefined, challenge: q.get("code_challenge"), method: q.get("code_challenge_method") ?? "plain", used: false,
      });
      fields.code = code;
      if ((q.get("response_type") ?? "").split(" ").includes("id_token")) fields.id_token = await appleIdToken(login.person, { nonce: q.get("nonce") ?? undefined, ...login.idToken });
    }
    if (q.has("state")) fields.state = q.get("state");
    const p = login.person;
    if (!login.deny && login.user !== null) {
      const [firstName, ...last] = (p.name ?? "").split(" ");
      fields.user = typeof login.user === "string" ? login.user : JSON.stringify({ name: { firstName, lastName: last.join(" ") }, email: p.email });
    }
    for (const [k, v] of Object.entries(login.callback?.set ?? {})) fields[k] = v;
    for (const k of login.callback?.delete ?? []) delete fields[k];
    const esc = (v) => String(v).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
    const inputs = Object.entries(fields).map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}"/>`).join("");
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    res.end(`<html><body onload="document.forms[0].submit()"><form method="POST" action="${esc(q.get("redirect_uri"))}">${inputs}</form></body></html>`);
  }

  // POST https://appleid.apple.com/auth/token: the client secret must be an ES256 JWT of the
  // client's key (iss the team, sub the client, aud Apple), as Apple checks it.
  async function appleToken(req, res, form) {
    const client = clientOf(req, form);
    if (client.secret) onSecret(client.secret, "apple client secret");
    let secretOK = false;
    try {
      await jwtVerify(client.secret ?? "", appleKey.publicKey, { algorithms: ["ES256"], issuer: APPLE.teamId, subject: APPLE.clientId, audience: APPLE_ISSUER });
      secretOK = decodeProtectedHeader(client.secret).kid === APPLE.keyId;
    } catch {}
    if (client.id !== APPLE.clientId || !secretOK) return answer(res, undefined, 400, { error: "invalid_client" });
    const isRefresh = form.get("grant_type") === "refresh_token";
    const grant = isRefresh ? tokens.get(form.get("refresh_token")) : grants.get(form.get("code"));
    if (!grant || grant.provider !== "apple" || (!isRefresh && grant.used)) return answer(res, undefined, 400, { error: "invalid_grant" });
    if (!isRefresh) {
      grant.used = true;
      if (form.get("redirect_uri") !== grant.redirectURI || !pkceMatches(grant, form.get("code_verifier"))) return answer(res, undefined, 400, { error: "invalid_grant" });
    }
    const accessToken = `a${randomBytes(16).toString("hex")}.0.${alnum(4)}.${b64url(24)}`;
    tokens.set(accessToken, grant);
    onSecret(accessToken, "apple access token");
    const out = { access_token: accessToken, token_type: "Bearer", expires_in: 3600, id_token: await appleIdToken(grant.login.person, grant.login.idToken) };
    onSecret(out.id_token, "apple id token");
    if (!isRefresh) {
      out.refresh_token = `r${randomBytes(16).toString("hex")}.0.${alnum(4)}.${b64url(24)}`;
      tokens.set(out.refresh_token, grant);
      onSecret(out.refresh_token, "apple refresh token");
    }
    return answer(res, isRefresh ? grant.login.refresh : grant.login.token, 200, out);
  }

  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url, "http://idp.invalid");
      if (url.pathname === "/oidc/authorize" && req.method === "GET" && needsSignIn(url.searchParams)) return signInForm(res, "oidc", url);
      if (url.pathname.startsWith("/oidc/")) return oidc.requestHandler(req, res);
      const [, realHost, ...rest] = url.pathname.split("/");
      const path = "/" + rest.join("/");
      const form = req.method === "POST" ? new URLSearchParams(await readBody(req)) : undefined;
      requests.push({ host: realHost, method: req.method, path, query: url.search, form: form && Object.fromEntries(form), authorization: req.headers.authorization, userAgent: req.headers["user-agent"], accept: req.headers.accept });
      const route = `${req.method} ${realHost}${path}`;
      if (route === "GET accounts.google.com/o/oauth2/v2/auth") return authorize("google", url, res);
      if (route === "GET github.com/login/oauth/authorize") return authorize("github", url, res);
      if (route === "POST oauth2.googleapis.com/token") return await googleToken(req, res, form);
      if (route === "POST github.com/login/oauth/access_token") return await githubToken(req, res, form);
      if (route === "GET www.googleapis.com/oauth2/v3/certs") return send(res, 200, { keys: google.keys.toJSON() });
      if (route === "GET openidconnect.googleapis.com/v1/userinfo" || route === "GET www.googleapis.com/oauth2/v3/userinfo") return googleUserinfo(req, res);
      if (req.method === "GET" && realHost === "api.github.com" && (path === "/user" || path === "/user/emails")) return githubAPI(path, req, res);
      if (route === "GET appleid.apple.com/auth/authorize") return await appleAuthorize(url, res);
      if (route === "POST appleid.apple.com/auth/token") return await appleToken(req, res, form);
      if (route === "GET appleid.apple.com/auth/keys") return send(res, 200, { keys: apple.keys.toJSON() });
      const msPath = realHost === "login.microsoftonline.com" ? path.replace(/^\/[^/]+\//, "/{tenant}/") : undefined;
      if (route.startsWith("GET login.microsoftonline.com") && msPath === "/{tenant}/oauth2/v2.0/authorize") return authorize("microsoft", url, res);
      if (route.startsWith("POST login.microsoftonline.com") && msPath === "/{tenant}/oauth2/v2.0/token") return await microsoftToken(req, res, form);
      if (route.startsWith("GET login.microsoftonline.com") && msPath === "/{tenant}/discovery/v2.0/keys") return send(res, 200, { keys: microsoft.keys.toJSON() });
      if (req.method === "GET" && realHost === "graph.microsoft.com" && /^\/v1\.0\/me\/photos\/\d+x\d+\/\$value$/.test(decodeURIComponent(path))) return microsoftPhoto(req, res);
      if (route === "GET discord.com/api/oauth2/authorize") return authorize("discord", url, res);
      if (route === "POST discord.com/api/oauth2/token") return await discordToken(req, res, form);
      // Better Auth's fetch writes the path's "@" as %40.
      if (route === "GET discord.com/api/users/@me" || route === "GET discord.com/api/users/%40me") return discordMe(req, res);
      return send(res, 404, { error: "not_found", route });
    } catch (err) {
      if (!res.headersSent) send(res, 500, { error: "idp_error", message: String(err?.message ?? err) });
    }
  });
  await new Promise((resolve) => server.listen(port, host, resolve));
  const base = `http://${host}:${server.address().port}`;
  // The mock server puts its endpoints at issuer + path, so the issuer is the bare address
  // and the endpoints are under /oidc.
  oidcIssuer.url = base;

  return {
    url: base,
    google: { ...CLIENTS.google, issuer: GOOGLE_ISSUER },
    github: CLIENTS.github,
    oidc: { ...CLIENTS.oidc, issuer: oidcIssuer.url, discoveryURL: `${base}/oidc/.well-known/openid-configuration` },
    requests,
    person,
    googleIdToken: (p, opts) => googleIdToken(p, opts),
    apple: { ...APPLE, issuer: APPLE_ISSUER, clientSecret: appleSecret },
    appleIdToken: (p, opts) => appleIdToken(p, opts),

    // The browser's visit to Apple: the authorization URL followed with `login` attached;
    // returns the form Apple's page posts to the callback ({action, fields}), read from the
    // page as the browser submits it.
    async authorizeFormPost(authorizationURL, login) {
      const id = `login-${++seq}`;
      logins.set(id, login);
      const target = this.route(authorizationURL);
      target.searchParams.set("kernia_login", id);
      const r = await fetch(target, { redirect: "manual" });
      const html = await r.text();
      const action = /<form method="POST" action="([^"]*)"/.exec(html)?.[1];
      if (r.status !== 200 || !action) throw new Error(`idp: apple authorization answered ${r.status} ${html.slice(0, 200)}`);
      const unesc = (v) => v.replace(/&lt;/g, "<").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
      const fields = Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)"\/>/g)].map((m) => [unesc(m[1]), unesc(m[2])]));
      return { action: unesc(action), fields };
    },
    microsoftIdToken: (p, opts) => microsoftIdToken(p, opts),

    // A URL of Google or GitHub, as served here.
    route(address) {
      const u = new URL(address);
      if (!PROVIDER_HOSTS.includes(u.hostname) || u.protocol !== "https:") return u;
      return new URL(`${base}/${u.hostname}${u.pathname}${u.search}`);
    },

    // The browser's visit to the provider: follows the authorization URL (a Google, GitHub or
    // /oidc one) with `login` attached and returns the provider's redirect to the callback.
    async authorize(authorizationURL, login) {
      const id = `login-${++seq}`;
      logins.set(id, login);
      const target = this.route(authorizationURL);
      target.searchParams.set("kernia_login", id);
      const r = await fetch(target, { redirect: "manual" });
      const text = await r.text();
      const location = r.headers.get("location");
      if (r.status !== 302 || !location) throw new Error(`idp: authorization answered ${r.status} ${text.slice(0, 200)}`);
      return location;
    },

    // The variables both servers read (conformance/README.md "The Go server contract"):
    // client credentials, and for the Go side every provider URL as an override. The Node
    // server routes Google's and GitHub's hosts here (CONFORMANCE_SOCIAL_IDP).
    env({ oidc: withOIDC = true } = {}) {
      const g = (p) => `${base}/${p}`;
      return {
        CONFORMANCE_SOCIAL_IDP: base,
        KERNIA_GOOGLE_CLIENT_ID: CLIENTS.google.clientId,
        KERNIA_GOOGLE_CLIENT_SECRET: CLIENTS.google.clientSecret,
        KERNIA_GOOGLE_AUTHORIZATION_URL: g("accounts.google.com/o/oauth2/v2/auth"),
        KERNIA_GOOGLE_TOKEN_URL: g("oauth2.googleapis.com/token"),
        KERNIA_GOOGLE_JWKS_URL: g("www.googleapis.com/oauth2/v3/certs"),
        KERNIA_GOOGLE_USERINFO_URL: g("openidconnect.googleapis.com/v1/userinfo"),
        KERNIA_GITHUB_CLIENT_ID: CLIENTS.github.clientId,
        KERNIA_GITHUB_CLIENT_SECRET: CLIENTS.github.clientSecret,
        KERNIA_GITHUB_AUTHORIZATION_URL: g("github.com/login/oauth/authorize"),
        KERNIA_GITHUB_TOKEN_URL: g("github.com/login/oauth/access_token"),
        KERNIA_GITHUB_API_URL: g("api.github.com"),
        // Apple: Node takes the client secret ready-made, the Go side signs its own.
        KERNIA_APPLE_CLIENT_ID: APPLE.clientId,
        KERNIA_APPLE_CLIENT_SECRET: appleSecret,
        KERNIA_APPLE_TEAM_ID: APPLE.teamId,
        KERNIA_APPLE_KEY_ID: APPLE.keyId,
        KERNIA_APPLE_PRIVATE_KEY: applePrivatePEM,
        KERNIA_APPLE_APP_BUNDLE_IDENTIFIER: APPLE.bundleId,
        KERNIA_APPLE_AUTHORIZATION_URL: g("appleid.apple.com/auth/authorize"),
        KERNIA_APPLE_TOKEN_URL: g("appleid.apple.com/auth/token"),
        KERNIA_APPLE_JWKS_URL: g("appleid.apple.com/auth/keys"),
        KERNIA_MICROSOFT_CLIENT_ID: CLIENTS.microsoft.clientId,
        KERNIA_MICROSOFT_CLIENT_SECRET: CLIENTS.microsoft.clientSecret,
        KERNIA_MICROSOFT_AUTHORIZATION_URL: g("login.microsoftonline.com/common/oauth2/v2.0/authorize"),
        KERNIA_MICROSOFT_TOKEN_URL: g("login.microsoftonline.com/common/oauth2/v2.0/token"),
        KERNIA_MICROSOFT_JWKS_URL: g("login.microsoftonline.com/common/discovery/v2.0/keys"),
        KERNIA_MICROSOFT_GRAPH_URL: g("graph.microsoft.com"),
        KERNIA_DISCORD_CLIENT_ID: CLIENTS.discord.clientId,
        KERNIA_DISCORD_CLIENT_SECRET: CLIENTS.discord.clientSecret,
        KERNIA_DISCORD_AUTHORIZATION_URL: g("discord.com/api/oauth2/authorize"),
        KERNIA_DISCORD_TOKEN_URL: g("discord.com/api/oauth2/token"),
        KERNIA_DISCORD_API_URL: g("discord.com/api"),
        ...(withOIDC ? {
          KERNIA_OIDC_PROVIDER_ID: "oidc",
          KERNIA_OIDC_DISCOVERY_URL: `${base}/oidc/.well-known/openid-configuration`,
          KERNIA_OIDC_CLIENT_ID: CLIENTS.oidc.clientId,
          KERNIA_OIDC_CLIENT_SECRET: CLIENTS.oidc.clientSecret,
        } : {}),
      };
    },

    stop: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); }),
  };
}
