// Social sign-in (issue 17; docs/upstream/social.md) against the run's local identity provider
// (servers/idp.mjs): Google, GitHub and a generic OIDC provider. What the Go side does not have
// yet is marked goPending (listed, not run against it; runner.mjs).
//
// What is compared: the authorization URL's parameters in order (state, nonce and PKCE
// challenge format-checked, then masked: lib/oauth-normalize.mjs), the state cookie and the
// state row (its JSON keys in order, the code challenge checked against its verifier), the
// callback's redirects and cookies, the user, account and session rows, /list-accounts and the
// account routes' JSON, and every error redirect.
import { SECRET } from "../lib/config.mjs";
import { symmetricDecrypt } from "../lib/oauth-normalize.mjs";
import { CALLBACK, afterSignIn, completeAtProvider, followCallback, person, recordStateRow, social, socialIdP, socialTakeover, start } from "../lib/social.mjs";
import { PASSWORD, signedUp } from "../lib/steps.mjs";



const signUps = ["google", "github", "oidc"].map((provider) => ({
  name: `social: ${provider} signs a new user up, then in again`,
  group: "social",
  async run(t) {
    const b = t.browser();
    await social(t, b, provider);
    await afterSignIn(t, b);
    // The same person again: a sign-in (callbackURL), the account's tokens replaced.
    const again = t.browser();
    await social(t, again, provider);
    await afterSignIn(t, again);
  },
}));

// The linking matrix: every combination upstream's account linking decides on, in the
// default group (no trusted provider, local verification required, one address per user) and
// in social_linking (github trusted, other addresses allowed, unverified local users
// linkable, the provider's profile copied on sign-in):
//
//   sign-in with an existing address:  google, github
//                                      × the provider's address verified or not
//                                      × the local address verified or not
//                                      × the local user with a password, or from another provider
//   /link-social:                      google, github × the same or another address × verified or not
//   a provider account of another user, by /link-social and by sign-in
const flag = (on, yes, no) => (on ? yes : no);

// /list-accounts in creation order. Better Auth reads the accounts without an order, so they
// come in the table's physical order, which updates and reused space reshuffle; the Go side
// lists them by createdAt (docs/differences.md), checked here. The list is read outside the
// recorded steps and compared sorted.
async function accountsByCreation(t, b, name) {
  const { data } = await b.unrecorded().client.listAccounts();
  const list = data ?? [];
  // The client turns createdAt into a Date.
  const at = (a) => new Date(a.createdAt).getTime();
  const sorted = [...list].sort((x, y) => at(x) - at(y) || (x.providerId < y.providerId ? -1 : x.providerId > y.providerId ? 1 : 0));
  if (t.side === "go") t.check(list.every((a, i) => a === sorted[i]), `${name}: the Go side lists accounts by createdAt`);
  t.record(name, sorted);
}

function signInCases(provider) {
  const cases = [];
  for (const password of [true, false])
    for (const localVerified of [true, false])
      for (const providerVerified of [true, false])
        cases.push({ password, localVerified, providerVerified, local: `${provider}-${flag(password, "pw", "nopw")}-${flag(localVerified, "lv", "lu")}-${flag(providerVerified, "pv", "pu")}` });
  return cases;
}

const linkingMatrix = ["social", "social_linking"].flatMap((group) => [
  ...["google", "github"].map((provider) => ({
    name: `${group} matrix: ${provider} sign-in, existing address`,
    group,
    async run(t) {
      for (const c of signInCases(provider)) {
        if (c.password) await signedUp(t, c.local);
        else await social(t, t.browser(), "oidc", { local: c.local }); // no password: signed up through the generic provider
        await t.sql(`update "user" set "emailVerified" = $2 where email = $1`, [t.email(c.local), c.localVerified]);
        const b = t.browser();
        await social(t, b, provider, { local: c.local, personExtra: { emailVerified: c.providerVerified } });
        await t.call(`getSession ${c.local}`, b.client.getSession());
        await accountsByCreation(t, b, `accounts of ${c.local}`);
      }
    },
  })),
  {
    name: `${group} matrix: link-social, same or other address`,
    group,
    async run(t) {
      for (const provider of ["google", "github"])
        for (const same of [true, false])
          for (const providerVerified of [true, false]) {
            const local = `${provider}-${flag(same, "same", "other")}-${flag(providerVerified, "pv", "pu")}`;
            const { b } = await signedUp(t, local);
            const email = same ? {} : { email: t.email(`${local}-elsewhere`) };
            await social(t, b, provider, { link: true, local, personExtra: { emailVerified: providerVerified, ...email } });
            await accountsByCreation(t, b, `accounts of ${local}`);
          }
    },
  },
  {
    name: `${group} matrix: link-social, another user's account`,
    group,
    async run(t) {
      for (const provider of ["google", "github"]) {
        await social(t, t.browser(), provider, { local: `${provider}-owner` });
        const { b } = await signedUp(t, `${provider}-other`);
        await social(t, b, provider, { link: true, local: `${provider}-owner` });
        await accountsByCreation(t, b, `accounts of ${provider}-other`);
      }
    },
  },
  {
    // The provider account is the owner's, its address another user's. With the profile
    // copied on sign-in (social_linking), Better Auth's update of the owner's address hits the
    // other user's and it answers an empty 500; the Go side redirects with
    // internal_server_error, and on both nothing is changed.
    name: `${group} matrix: sign-in, account and address of two users`,
    group,
    async run(t) {
      for (const provider of ["google", "github"]) {
        await social(t, t.browser(), provider, { local: `${provider}-owner` });
        await signedUp(t, `${provider}-other`);
        await social(t, t.browser(), provider, { local: `${provider}-owner`, personExtra: { email: t.email(`${provider}-other`) } });
      }
    },
    ...(group === "social_linking" ? {
      expectDifference: [
        { step: /GET \/callback\//, field: /^status$/, why: "no 5xx: a failed sign-in redirects with an error", check: (node, go) => (node === 500 && go === 302) || "want Node 500, Go 302" },
        { step: /GET \/callback\//, field: /^headers\.location$/, why: "the error redirect", check: (node, go) => /\/error\?error=internal_server_error$/.test(go ?? "") || "want ?error=internal_server_error" },
        { step: /GET \/callback\//, field: /^headers\.content-type$/, why: "the redirect's body", check: () => true },
        { step: /GET \/callback\//, field: /^cookies\[0\]$/, why: "the state cookie is expired with the redirect", check: (node, go) => /^better-auth\.state=; Max-Age=0/.test(go ?? "") || "want the state cookie expired" },
      ],
    } : {}),
  },
]);

export default [
  ...signUps,
  ...linkingMatrix,

  {
    name: "social: github profiles: no name, a public address, unverified addresses",
    group: "social",
    async run(t) {
      await social(t, t.browser(), "github", { local: "noname", personExtra: { name: null, login: "no-name" } });
      // The public address of /user wins; it is not in /user/emails, so it is unverified.
      await social(t, t.browser(), "github", { local: "public", personExtra: { publicEmail: t.email("public"), emails: [{ email: t.email("other"), primary: true, verified: true, visibility: "private" }] } });
      // No primary address: the first one.
      await social(t, t.browser(), "github", { local: "first", personExtra: { emails: [{ email: t.email("first"), primary: false, verified: false, visibility: null }] } });
    },
  },

  {
    name: "social: sign-in/social bodies",
    group: "social",
    async run(t) {
      const b = t.browser();
      await b.request("POST", "/sign-in/social", { json: { provider: "google", disableRedirect: true, callbackURL: "/x" } });
      await b.request("POST", "/sign-in/social", { json: { provider: "google", scopes: ["https://www.googleapis.com/auth/drive.file"], loginHint: "ada@example.com", additionalParams: { hd: "example.com", foo: "bar" } } });
      await b.request("POST", "/sign-in/social", { json: { provider: "github", additionalData: { plan: "pro", callbackURL: "https://evil.example.net" } } });
      await b.request("POST", "/sign-in/social", { json: { provider: "google", additionalParams: { state: "mine" } } });
      await b.request("POST", "/sign-in/social", { json: { provider: "nope" } });
      await b.request("POST", "/sign-in/social", { json: { provider: 42 } });
      await b.request("POST", "/sign-in/social", { json: {} });
      await b.request("POST", "/sign-in/social", { json: { provider: "google", callbackURL: "https://evil.example.net/x" } });
      await b.request("POST", "/sign-in/social", { json: { provider: "google", errorCallbackURL: "https://evil.example.net/x" } });
      await b.request("POST", "/sign-in/social", { json: { provider: "google", newUserCallbackURL: "https://evil.example.net/x" } });
      await b.request("POST", "/sign-in/social", { json: { provider: "github", idToken: { token: "x.y.z" } } });
      await b.request("POST", "/sign-in/social", { json: { provider: "google", idToken: "not an object" } });
    },
  },

  {
    name: "social: callback errors redirect to errorCallbackURL or the error page",
    group: "social",
    async run(t) {
      const idp = await socialIdP();
      const b = t.browser();
      // The provider refuses: ?error= passed through to errorCallbackURL.
      await social(t, b, "google", { login: { deny: "access_denied" } });
      // No state at all; a state nobody issued; repeated keys.
      await b.request("GET", "/callback/google?code=abc");
      await b.request("GET", "/callback/google?code=abc&state=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
      await b.request("GET", "/callback/google?code=a&code=b&state=s");
      // The state's own provider answer without a code.
      await social(t, b, "github", { login: { callback: { delete: ["code"] } } });
      // A valid state sent to a provider that does not exist: the state is spent.
      const url = await start(t, b, "google");
      const cb = new URL(await idp.authorize(url, { person: person(t.email("alice")) }));
      await followCallback(b, new URL(cb.href.replace("/callback/google", "/callback/nope")));
      await followCallback(b, cb);
    },
  },

  {
    name: "social: replayed, cookieless, expired and form-posted callbacks",
    group: "social",
    async run(t) {
      const idp = await socialIdP();
      const b = t.browser();
      const url = await start(t, b, "google");
      const cb = await idp.authorize(url, { person: person(t.email("alice")) });
      // Another browser (no state cookie) follows it first: refused, but the row is not spent
      // (the cookie is checked before the row is deleted), so the real browser still completes.
      await followCallback(t.browser(), cb);
      await followCallback(b, cb);
      // An expired state (its JSON's expiresAt in the past).
      const url2 = await start(t, b, "github");
      const state2 = new URL(url2).searchParams.get("state");
      await t.sql(`update verification set value = jsonb_set(value::jsonb, '{expiresAt}', to_jsonb(0))::text where identifier = $1`, [`auth-state:${state2}`]);
      await followCallback(b, await idp.authorize(url2, { person: person(t.email("alice")) }));
      // A form post (as Apple's response_mode=form_post): redirected to the GET form.
      const url3 = await start(t, b, "google");
      const cb3 = new URL(await idp.authorize(url3, { person: person(t.email("bob")) }));
      await t.request("POST", "/callback/google", { form: Object.fromEntries(cb3.searchParams), noOrigin: true });
      await t.request("POST", "/callback/google?state=from-query", { form: { state: "from-body", code: "c", user: "{}" }, noOrigin: true });
      // A replay after success: the state is gone.
      await followCallback(b, cb3);
      await followCallback(b, cb3);
      await t.call("getSession", b.client.getSession());
    },
  },

  {
    name: "social: provider faults end in error redirects",
    group: "social",
    async run(t) {
      const faults = [
        ["google", { token: { status: 500 } }],
        ["google", { token: { status: 200, body: "<html>garbage" } }],
        ["google", { token: { json: { id_token: undefined } } }],
        ["google", { token: { status: 400, json: { error: "invalid_grant", error_description: "Bad Request" } } }],
        ["google", { token: { delayMs: 1500 } }],
        ["github", { token: { json: { error: "bad_verification_code", access_token: undefined } } }],
        ["github", { token: { status: 502, body: "Bad gateway" } }],
        ["github", { user: { status: 500 } }],
        ["github", { emails: { status: 500 } }],
        ["github", { emails: { status: 500 }, personExtra: { publicEmail: "x" } }],
        ["oidc", { token: { status: 500 } }],
        ["oidc", { callback: { set: { iss: "https://other.example" } } }],
      ];
      let i = 0;
      for (const [provider, fault] of faults) {
        const { personExtra, ...login } = fault;
        await social(t, t.browser(), provider, { local: `fault${++i}`, login, personExtra: personExtra && { ...personExtra, publicEmail: t.email(`fault${i}`) } });
      }
    },
  },

  {
    // Upstream reads both answers without a guard and fails with a 500 (docs/upstream/social.md
    // §5, step 9): GitHub's /user that is not JSON (it assigns to a string), and an id_token
    // from Google's token endpoint that is not a JWT (decodeJwt throws). Bad input never gets a
    // 5xx from the Go side: it redirects to errorCallbackURL with unable_to_get_user_info.
    name: "social: provider answers upstream fails on with a 500",
    group: "social",
    async run(t) {
      await social(t, t.browser(), "github", { local: "garbage1", login: { user: { body: "not json" } } });
      await social(t, t.browser(), "google", { local: "garbage2", login: { token: { json: { id_token: "not-a-jwt" } } } });
    },
    expectDifference: [
      { step: /GET \/callback\//, field: /^status$/, why: "a provider's garbage is a failed sign-in, not a 500", check: (node, go) => (node === 500 && go === 302) || "want Node 500, Go 302" },
      {
        step: /GET \/callback\//, field: /^headers\.location$/, why: "the error redirect",
        check: (node, go) => go === "/oops?error=unable_to_get_user_info" || "want /oops?error=unable_to_get_user_info",
      },
      { step: /GET \/callback\//, field: /^(headers\.content-type|body\..*|cookies.*)$/, why: "Node's 500 carries neither the redirect nor the state cookie's expiry", check: () => true },
    ],
  },

  {
    name: "social: a code spent by another sign-in is refused",
    group: "social",
    async run(t) {
      const idp = await socialIdP();
      const b = t.browser();
      const first = await start(t, b, "google");
      const cb1 = new URL(await idp.authorize(first, { person: person(t.email("alice")) }));
      await followCallback(b, cb1);
      const c = t.browser();
      const second = await start(t, c, "google");
      const cb2 = new URL(await idp.authorize(second, { person: person(t.email("alice")) }));
      cb2.searchParams.set("code", cb1.searchParams.get("code"));
      await followCallback(c, cb2);
    },
  },

  {
    name: "social: google's code-flow ID token with an unverified address",
    group: "social",
    async run(t) {
      await social(t, t.browser(), "google", { local: "unverified", personExtra: { emailVerified: false } });
    },
  },
  ...[
    ["signed by a key Google does not publish", { alg: "rogue" }, "rogue"],
    ["for another client", { aud: "someone-else" }, "aud"],
  ].map(([what, idToken, local]) => ({
    // Upstream decodes the token endpoint's id_token without verifying it (social.md §9); the
    // Go side verifies it (docs/differences.md): no user, account or session.
    name: `social: google's code-flow ID token ${what}`,
    group: "social",
    async run(t) {
      await social(t, t.browser(), "google", { local, login: { idToken } });
    },
    expectDifference: [
      {
        step: /GET \/callback\/google/, field: /^headers\.location$/,
        why: "the Go side verifies the ID token of Google's code exchange, which upstream decodes without checking (docs/differences.md)",
        check: (node, go) => (node === "/welcome" && go === "/oops?error=unable_to_get_user_info") || `want Node /welcome, Go /oops?error=unable_to_get_user_info: ${node} / ${go}`,
      },
      { step: /GET \/callback\/google/, field: /^cookies\[1\]$/, why: "Node's session cookie; Go signs nobody in", check: (node, go) => go === undefined || `want no Go session cookie: ${go}` },
      { step: /^database$/, field: /./, why: "Node's user, account and session; Go writes none", check: (node, go) => go === undefined || `want no Go rows: ${JSON.stringify(go)}` },
    ],
  })),

  {
    // The generic provider verifies its ID tokens against the discovery's JWKS and the nonce
    // it sent (docs/upstream/social.md §9): each refusal is unable_to_get_user_info.
    name: "social: generic OIDC ID tokens that fail verification",
    group: "social",
    async run(t) {
      const now = Math.floor(Date.now() / 1000);
      const bad = [
        ["nonce", { nonce: "not-the-nonce-sent" }],
        ["aud", { aud: "someone-else" }],
        ["iss", { iss: "https://evil.example.net" }],
        ["expired", { exp: now - 3600, iat: now - 7200 }],
      ];
      for (const [what, claims] of bad) {
        await social(t, t.browser(), "oidc", { local: `oidc-${what}`, login: { idToken: { claims } } });
      }
    },
  },

  {
    name: "social: google ID-token sign-in and its refusals",
    group: "social",
    async run(t) {
      const idp = await socialIdP();
      const p = person(t.email("alice"));
      const sign = (opts) => idp.googleIdToken(p, opts);
      const tries = [
        ["valid", await sign({ nonce: "n-1" }), "n-1"],
        ["no nonce in the body", await sign({ nonce: "n-2" }), undefined],
        ["wrong nonce", await sign({ nonce: "n-3" }), "other"],
        ["wrong audience", await sign({ aud: "someone-else" }), undefined],
        ["wrong issuer", await sign({ claims: { iss: "https://evil.example.net" } }), undefined],
        ["expired", await sign({ expiresIn: -120 }), undefined],
        ["alg none", await sign({ alg: "none" }), undefined],
        ["unknown key", await sign({ alg: "rogue" }), undefined],
        ["no email", await idp.googleIdToken({ ...p, email: undefined }), undefined],
        ["not a JWT", "garbage", undefined],
      ];
      for (const [what, token, nonce] of tries) {
        const b = t.browser();
        await t.call(`idToken: ${what}`, b.client.signIn.social({ provider: "google", idToken: { token, ...(nonce ? { nonce } : {}), accessToken: "ya29.client-side-access-token-0123456789" } }));
      }
    },
  },

  {
    name: "social: implicit linking to an existing e-mail user",
    group: "social",
    async run(t) {
      // An unverified local user: never linked (requireLocalEmailVerified defaults to true).
      await signedUp(t, "alice");
      await social(t, t.browser(), "google", { local: "alice" });
      // Verified locally: a verified provider address links; an unverified one does not.
      await signedUp(t, "bob");
      await t.sql(`update "user" set "emailVerified" = true where email = $1`, [t.email("bob")]);
      await social(t, t.browser(), "github", { local: "bob", personExtra: { emails: [{ email: t.email("bob"), primary: true, verified: false }] } });
      const b = t.browser();
      await social(t, b, "google", { local: "bob" });
      await afterSignIn(t, b);
      // The local password still works.
      await t.call("signIn bob", t.browser().client.signIn.email({ email: t.email("bob"), password: PASSWORD }));
    },
  },

  {
    name: "social: linkSocial and its refusals",
    group: "social",
    async run(t) {
      const { b } = await signedUp(t, "alice");
      await social(t, b, "google", { link: true });
      await t.call("listAccounts", b.client.listAccounts());
      // Another address without allowDifferentEmails; an unverified provider address.
      await social(t, b, "github", { link: true, personExtra: { email: t.email("elsewhere"), emails: [{ email: t.email("elsewhere"), primary: true, verified: true }] } });
      await social(t, b, "github", { link: true, personExtra: { emails: [{ email: t.email("alice"), primary: true, verified: false }] } });
      // A google account that belongs to somebody else: the e-mail check answers first.
      const other = t.browser();
      await social(t, other, "google", { local: "bob" });
      const { b: carol } = await signedUp(t, "carol");
      await social(t, carol, "google", { link: true, local: "bob" });
      // The session that started the link is gone when the provider answers.
      const url = (await t.call("linkSocial google", b.client.linkSocial({ provider: "google", ...CALLBACK }))).data?.url;
      await recordStateRow(t, url, "link state row");
      await t.call("signOut", b.client.signOut());
      if (url) await completeAtProvider(b, url, { person: person(t.email("alice")) });
      await b.request("POST", "/link-social", { json: { provider: "google" } });
    },
  },

  {
    name: "social: unlink-account",
    group: "social",
    async run(t) {
      const b = t.browser();
      await social(t, b, "google");
      const { data } = await t.call("listAccounts", b.client.listAccounts());
      const google = data?.find((a) => a.providerId === "google");
      await t.call("unlink the last account", b.client.unlinkAccount({ accountId: google?.id ?? "" }));
      await social(t, b, "github", { link: true });
      await t.call("unlink an unknown id", b.client.unlinkAccount({ accountId: "no-such-account" }));
      await t.call("unlink google", b.client.unlinkAccount({ accountId: google?.id ?? "" }));
      await t.call("listAccounts after", b.client.listAccounts());
      await t.request("POST", "/unlink-account", { json: { accountId: google?.id ?? "" } });
    },
  },

  {
    name: "social: get-access-token, refresh-token and account-info",
    group: "social",
    async run(t) {
      const b = t.browser();
      await social(t, b, "google");
      await social(t, b, "github", { link: true });
      const { data } = await t.call("listAccounts", b.client.listAccounts());
      const id = (p) => data?.find((a) => a.providerId === p)?.id ?? "";
      await t.call("getAccessToken google", b.client.getAccessToken({ accountId: id("google") }));
      await t.call("accountInfo google", b.client.accountInfo({ query: { accountId: id("google") } }));
      await t.call("accountInfo github", b.client.accountInfo({ query: { accountId: id("github") } }));
      await t.call("refreshToken google", b.client.refreshToken({ accountId: id("google") }));
      await t.call("refreshToken github", b.client.refreshToken({ accountId: id("github") }));
      // An access token about to expire is refreshed by get-access-token.
      await t.sql(`update account set "accessTokenExpiresAt" = now() + interval '2 seconds' where id = $1`, [id("google")]);
      await t.call("getAccessToken refreshes", b.client.getAccessToken({ accountId: id("google") }));
      await b.request("POST", "/get-access-token", { json: { accountId: id("google"), extra: 1 } });
      await b.request("POST", "/get-access-token", { json: { useAccountCookie: true } });
      await b.request("POST", "/get-access-token", { json: { accountId: "no-such-account" } });
      await b.request("GET", "/account-info");
      await t.request("POST", "/get-access-token", { json: { accountId: id("google") } });
      await t.request("POST", "/refresh-token", { json: { accountId: id("google") } });
      await t.request("GET", `/account-info?accountId=${id("google")}`);
    },
  },

  {
    // Every error branch of upstream's two token routes (api/routes/account.mjs) that the local
    // provider can reach, with /account-info, which shares them, and the generic provider's
    // refresh; the account rows are compared after it, so a failure must write nothing.
    name: "social: get-access-token and refresh-token errors, and the generic provider's refresh",
    group: "social",
    async run(t) {
      const accountOf = async (b, provider) => (await b.client.listAccounts()).data?.find((a) => a.providerId === provider)?.id ?? "";
      const both = async (b, id, label) => {
        await b.request("POST", "/get-access-token", { json: { accountId: id } });
        await b.request("POST", "/refresh-token", { json: { accountId: id } });
        await b.request("GET", `/account-info?accountId=${encodeURIComponent(id)}`);
        t.record(`${label}: account id`, id === "" ? "none" : "found");
      };
      const expire = (id) => t.sql(`update account set "accessTokenExpiresAt" = now() - interval '1 minute' where id = $1`, [id]);

      // PROVIDER_NOT_SUPPORTED: the credential account, and a provider this server lacks.
      const { b: alice } = await signedUp(t, "alice");
      await both(alice, await accountOf(alice, "credential"), "credential");
      const bob = t.browser();
      await social(t, bob, "google", { local: "bob" });
      const bobGoogle = await accountOf(bob, "google");
      await t.sql(`update account set "providerId" = 'gitlab' where id = $1`, [bobGoogle]);
      await both(bob, bobGoogle, "gitlab");

      // REFRESH_TOKEN_NOT_FOUND; get-access-token then answers the stored token, expired or not.
      const cy = t.browser();
      await social(t, cy, "google", { local: "cy" });
      const cyGoogle = await accountOf(cy, "google");
      await t.sql(`update account set "refreshToken" = null where id = $1`, [cyGoogle]);
      await expire(cyGoogle);
      await both(cy, cyGoogle, "no refresh token");

      // The provider refuses the refresh (an error status, an answer without an access token, an
      // answer that is not JSON, an unknown refresh token): FAILED_TO_REFRESH_ACCESS_TOKEN, and
      // FAILED_TO_GET_ACCESS_TOKEN for an expired access token.
      const faults = [
        ["refused", { status: 400 }],
        ["no access token", { json: { access_token: undefined } }],
        ["not JSON", { status: 200, body: "not json" }],
      ];
      for (const [label, refresh] of faults) {
        const b = t.browser();
        const local = `f-${label.replace(/\W+/g, "-")}`;
        await social(t, b, "google", { local, login: { refresh } });
        const id = await accountOf(b, "google");
        await expire(id);
        await both(b, id, label);
      }
      const dee = t.browser();
      await social(t, dee, "google", { local: "dee" });
      const deeGoogle = await accountOf(dee, "google");
      await t.sql(`update account set "refreshToken" = '1//0revokedrevokedrevokedrevoked' where id = $1`, [deeGoogle]);
      await expire(deeGoogle);
      await both(dee, deeGoogle, "unknown refresh token");

      // The generic provider refreshes through its discovered token endpoint, and its refusal.
      const eve = t.browser();
      await social(t, eve, "oidc", { local: "eve" });
      const eveOIDC = await accountOf(eve, "oidc");
      await t.call("refreshToken oidc", eve.client.refreshToken({ accountId: eveOIDC }));
      await expire(eveOIDC);
      await t.call("getAccessToken oidc refreshes", eve.client.getAccessToken({ accountId: eveOIDC }));
      await t.call("accountInfo oidc", eve.client.accountInfo({ query: { accountId: eveOIDC } }));
      const fin = t.browser();
      await social(t, fin, "oidc", { local: "fin", login: { refresh: { status: 400, json: { error: "invalid_grant" } } } });
      const finOIDC = await accountOf(fin, "oidc");
      await expire(finOIDC);
      await both(fin, finOIDC, "oidc refused");
    },
  },

  {
    // The sign-out answers (url, redirect, Location), the expired cookies and the session rows
    // (the rows of the scenario's users are compared after it) on both sides.
    name: "social: sign-out with the generic provider's RP-initiated logout",
    group: "social",
    async run(t) {
      const signOut = async (label, local, body, { provider = "oidc", before } = {}) => {
        const b = t.browser();
        await social(t, b, provider, { local });
        if (before) await before(b);
        return b.request("POST", "/sign-out", body === undefined ? {} : { json: body });
      };
      // A relative callbackURL and a state, without redirecting; then the client's own call.
      await signOut("relative", "alice", { callbackURL: "/bye", state: "s-1", disableRedirect: true });
      const c = t.browser();
      await social(t, c, "oidc");
      await t.call("signOut", c.client.signOut());
      // Only google: no provider logout.
      const d = t.browser();
      await social(t, d, "google", { local: "dora" });
      await t.call("signOut google", d.client.signOut());
      // A trusted absolute callbackURL without a path, a state that needs escaping, redirecting.
      await signOut("absolute", "erin", { callbackURL: "https://trusted.example.com", state: "a b~*/é&x=1", disableRedirect: false });
      // Empty callbackURL and state count as none.
      await signOut("empty", "fay", { callbackURL: "", state: "" });
      // An untrusted callbackURL is refused before anything (the session stays).
      await signOut("untrusted", "gus", { callbackURL: "https://evil.example.net/x", state: "s" });
      // Wrong types.
      await signOut("wrong types", "hal", { disableRedirect: "yes", state: 1 });
      // No stored ID token: client_id instead, with and without a post-logout redirect.
      const noIdToken = async () => t.sql(`update account set "idToken" = null where "providerId" = 'oidc' and "userId" = (select id from "user" where email = $1)`, [t.email("ivy")]);
      await signOut("no id token", "ivy", {}, { before: noIdToken });
      const jo = t.browser();
      await social(t, jo, "oidc", { local: "jo" });
      await t.sql(`update account set "idToken" = null where "providerId" = 'oidc' and "userId" = (select id from "user" where email = $1)`, [t.email("jo")]);
      await jo.request("POST", "/sign-out", { json: { callbackURL: "/after", state: "s-2" } });
      // An expired session still names its user: the logout URL is answered.
      await signOut("expired", "kim", { disableRedirect: true }, {
        before: () => t.sql(`update session set "expiresAt" = now() - interval '1 minute' where "userId" = (select id from "user" where email = $1)`, [t.email("kim")]),
      });
      // A user with a google account updated after the oidc one: the oidc logout still.
      const lu = t.browser();
      await social(t, lu, "oidc", { local: "lu" });
      await social(t, lu, "google", { local: "lu", link: true });
      await lu.request("POST", "/sign-out", { json: {} });
      // Signing out again with the stale cookie, and without any cookie.
      await lu.request("POST", "/sign-out", { json: {} });
      await t.request("POST", "/sign-out", { json: { callbackURL: "/bye" } });
    },
  },

  {
    name: "social linking: trusted provider, different e-mails, profile updates, unlinking all",
    group: "social_linking",
    async run(t) {
      await signedUp(t, "alice");
      // github is trusted: an unverified github address links to an unverified local user.
      const b = t.browser();
      await social(t, b, "github", { local: "alice", personExtra: { name: "Alice From GitHub", emails: [{ email: t.email("alice"), primary: true, verified: false }] } });
      await afterSignIn(t, b);
      await social(t, b, "google", { link: true, local: "elsewhere", personExtra: { name: "Alice From Google" } });
      // overrideUserInfoOnSignIn: a later sign-in copies the provider's profile onto the user.
      await social(t, t.browser(), "github", { local: "alice", personExtra: { name: "Alice Renamed", picture: "https://images.example.test/new.png", emails: [{ email: t.email("alice"), primary: true, verified: false }] } });
      await t.call("listAccounts", b.client.listAccounts());
      // With different e-mails allowed, a provider account of another user is refused as such.
      await social(t, t.browser(), "google", { local: "bob" });
      await social(t, b, "google", { link: true, local: "bob" });
      const { data } = await t.call("listAccounts again", b.client.listAccounts());
      for (const a of data ?? []) await t.call(`unlink ${a.providerId}`, b.client.unlinkAccount({ accountId: a.id }));
      await t.call("listAccounts empty", b.client.listAccounts());
    },
  },

  {
    name: "social linking: sign-out with the generic provider's configured post-logout redirect",
    group: "social_linking",
    async run(t) {
      for (const [local, body] of [["alice", {}], ["bob", { state: "s-1" }], ["carol", { callbackURL: "/mine", state: "s-2", disableRedirect: true }]]) {
        const b = t.browser();
        await social(t, b, "oidc", { local });
        await b.request("POST", "/sign-out", { json: body });
      }
    },
  },

  {
    name: "social closed: the generic provider's logout disabled",
    group: "social_closed",
    async run(t) {
      const b = t.browser();
      await social(t, b, "oidc", { body: { requestSignUp: true } });
      await b.request("POST", "/sign-out", { json: { callbackURL: "/bye", state: "s-1" } });
    },
  },

  {
    name: "social closed: no implicit sign-up, no linking, encrypted tokens",
    group: "social_closed",
    async run(t) {
      await social(t, t.browser(), "google", { local: "nobody" });
      const b = t.browser();
      await social(t, b, "google", { body: { requestSignUp: true } });
      await afterSignIn(t, b);
      const { data } = await t.call("listAccounts", b.client.listAccounts());
      await t.call("getAccessToken", b.client.getAccessToken({ accountId: data?.[0]?.id ?? "" }));
      await t.call("refreshToken", b.client.refreshToken({ accountId: data?.[0]?.id ?? "" }));
      const { b: carol } = await signedUp(t, "carol");
      await social(t, carol, "github", { link: true, local: "carol" });
    },
  },

  ...[
    ["google, github", [["node", "go", "google"], ["go", "node", "github"], ["go", "node", "google"], ["node", "go", "github"]], undefined],
    ["oidc", [["node", "go", "oidc"], ["go", "node", "oidc"]], undefined],
  ].map(([label, flows, goPending]) => ({
    name: `social takeover (${label}): a sign-in started on one server completes on the other, both ways`,
    ...(goPending ? { goPending } : {}),
    kind: "custom",
    groups: ["social"],
    run: (h) => socialTakeover(h, flows),
  })),

  {
    // The state sealed in oauth_state by one server (symmetricEncrypt under the secret's
    // "oauth-state-cookie" key) is opened by the other: no row in between.
    name: "social cookie state takeover: a sign-in started on one server completes on the other, both ways",
    kind: "custom",
    groups: ["social_cookie_state"],
    async run(h) {
      const idp = await socialIdP();
      const databaseURL = await h.database("cookie_state");
      const servers = { node: await h.startNode({ databaseURL, groupName: "social_cookie_state" }), go: await h.startGo({ databaseURL, groupName: "social_cookie_state" }) };
      const pool = h.pool(databaseURL);
      for (const [fromSide, toSide, provider] of [["node", "go", "google"], ["go", "node", "github"], ["go", "node", "google"], ["node", "go", "github"]]) {
        const [from, to] = [servers[fromSide], servers[toSide]];
        const step = `${from.side}→${to.side} ${provider}`;
        const b = h.browser(from);
        const p = person(h.email(`cookie-${provider}-${from.side}`));
        const { data } = await b.client.signIn.social({ provider, callbackURL: "/dashboard", errorCallbackURL: "/oops" });
        const cb = await idp.authorize(data?.url, { person: p });
        const moved = b.on(to);
        const res = await followCallback(moved, cb);
        h.equal(302, res.status, { step, field: "callback status" });
        h.equal("/dashboard", res.headers.get("location"), { step, field: "callback location" });
        h.equal(p.email, (await moved.client.getSession()).data?.user?.email, { step, field: "session user" });
        // The other server's sign-out expires the state cookie too.
        const out = await moved.request("POST", "/sign-out", { json: {} });
        h.check((out.headers.getSetCookie?.() ?? []).some((c) => /oauth_state=; Max-Age=0/.test(c)), { step, field: "sign-out expires oauth_state", node: "oauth_state=; Max-Age=0", go: JSON.stringify(out.headers.getSetCookie?.()) });
      }
      const { rows } = await pool.query(`select count(*)::int as n from verification where identifier like 'auth-state:%'`);
      h.equal(0, rows[0].n, { step: "rows", field: "no state rows" });
    },
  },

  {
    name: "social takeover: tokens encrypted by one server are read by the other, both ways",
    kind: "custom",
    groups: ["social_closed"],
    async run(h) {
      const databaseURL = await h.database("encrypted");
      const node = await h.startNode({ databaseURL, groupName: "social_closed" });
      const go = await h.startGo({ databaseURL, groupName: "social_closed" });
      const pool = h.pool(databaseURL);
      for (const [from, to] of [[node, go], [go, node]]) {
        const step = `${from.side}→${to.side}`;
        const b = h.browser(from);
        const { data } = await b.client.signIn.social({ provider: "google", callbackURL: "/dashboard", requestSignUp: true });
        await completeAtProvider(b, data?.url, { person: person(h.email(`enc-${from.side}`)) });
        const { rows } = await pool.query(`select a.id, a."accessToken", a."refreshToken" from account a join "user" u on u.id = a."userId" where u.email = $1`, [h.email(`enc-${from.side}`)]);
        const row = rows[0] ?? {};
        // Stored encrypted under the secret (XChaCha20-Poly1305, hex), not in the clear.
        const stored = symmetricDecrypt(SECRET, row.accessToken ?? "");
        h.check(stored !== null && /^ya29\./.test(stored), { step, field: "accessToken encrypted at rest", node: "ya29.… encrypted", go: row.accessToken });
        // The other server decrypts it: get-access-token answers the token the provider issued.
        const moved = b.on(to);
        const token = await moved.client.getAccessToken({ accountId: row.id });
        h.equal(stored, token.data?.accessToken, { step, field: "get-access-token on the other server" });
        const refreshed = await moved.client.refreshToken({ accountId: row.id });
        h.check(/^ya29\./.test(refreshed.data?.accessToken ?? ""), { step, field: "refresh-token on the other server", node: "a new access token", go: JSON.stringify(refreshed.error ?? refreshed.data) });
      }
    },
  },

  {
    name: "social cookie state: the encrypted oauth_state cookie instead of a row",
    group: "social_cookie_state",
    async run(t) {
      const idp = await socialIdP();
      const b = t.browser();
      await social(t, b, "google");
      await afterSignIn(t, b);
      // Replay: the cookie was expired by the callback.
      const url = await start(t, b, "github");
      const cb = await idp.authorize(url, { person: person(t.email("alice")) });
      await followCallback(b, cb);
      await followCallback(b, cb);
      // A cookie that does not decrypt; a valid cookie of another flow; no cookie.
      const c = t.browser();
      const url2 = await start(t, c, "google");
      const cb2 = await idp.authorize(url2, { person: person(t.email("bob")) });
      const url3 = await start(t, c, "google");
      await followCallback(c, cb2);
      await followCallback(t.browser(), await idp.authorize(url3, { person: person(t.email("bob")) }));
      const d = t.browser();
      const url4 = await start(t, d, "google");
      d.jar.store([`${t.cookieName("oauth_state")}=00ff; Path=/`]);
      await followCallback(d, await idp.authorize(url4, { person: person(t.email("carol")) }));
      await t.call("signOut", b.client.signOut());
    },
  },
];
