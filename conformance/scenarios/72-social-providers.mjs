// Social sign-in with Microsoft Entra ID and Discord (Better Auth 1.7.25's
// socialProviders.microsoft and .discord; docs/social.md) against the run's local identity
// provider (servers/idp.mjs), which answers upstream's hard-coded hosts login.microsoftonline.com,
// graph.microsoft.com and discord.com. Compared as in 72-social.mjs (lib/social.mjs): the
// authorization URL's parameters (masked), the state row, the callback's redirect and cookies,
// the user, account and session rows, /list-accounts and the account routes' JSON.
import { afterSignIn, person, social, socialIdP, socialTakeover } from "../lib/social.mjs";

const PROVIDERS = ["microsoft", "discord"];

// The rows and redirect of a refused code-flow ID token: Node signs the user in, Go none.
const refusedByGo = (what) => [
  {
    step: /GET \/callback\/microsoft/, field: /^headers\.location$/,
    why: `the Go side verifies the ID token of Microsoft's code exchange (${what}), which upstream decodes without checking (docs/differences.md)`,
    check: (node, go) => (node === "/welcome" && go === "/oops?error=unable_to_get_user_info") || `want Node /welcome, Go /oops?error=unable_to_get_user_info: ${node} / ${go}`,
  },
  { step: /GET \/callback\/microsoft/, field: /^cookies\[1\]$/, why: "Node's session cookie; Go signs nobody in", check: (node, go) => go === undefined || `want no Go session cookie: ${go}` },
  { step: /^database$/, field: /./, why: "Node's user, account and session; Go writes none", check: (node, go) => go === undefined || `want no Go rows: ${JSON.stringify(go)}` },
];

export default [
  ...PROVIDERS.map((provider) => ({
    name: `social ${provider}: signs a new user up, then in again`,
    group: "social",
    async run(t) {
      const b = t.browser();
      await social(t, b, provider, { body: { loginHint: "alice@example.test", scopes: ["extra.scope"] } });
      await afterSignIn(t, b);
      const again = t.browser();
      await social(t, again, provider);
      await afterSignIn(t, again);
    },
  })),

  ...PROVIDERS.map((provider) => ({
    name: `social ${provider}: list-accounts, get-access-token, refresh-token and account-info`,
    group: "social",
    async run(t) {
      const b = t.browser();
      await social(t, b, provider);
      const { data } = await t.call("listAccounts", b.client.listAccounts());
      const id = data?.find((a) => a.providerId === provider)?.id ?? "";
      await t.call(`getAccessToken ${provider}`, b.client.getAccessToken({ accountId: id }));
      await t.call(`accountInfo ${provider}`, b.client.accountInfo({ query: { accountId: id } }));
      await t.call(`refreshToken ${provider}`, b.client.refreshToken({ accountId: id }));
      // An access token about to expire is refreshed by get-access-token.
      await t.sql(`update account set "accessTokenExpiresAt" = now() + interval '2 seconds' where id = $1`, [id]);
      await t.call("getAccessToken refreshes", b.client.getAccessToken({ accountId: id }));
      await t.call(`accountInfo ${provider} after the refresh`, b.client.accountInfo({ query: { accountId: id } }));
    },
  })),

  {
    name: "social microsoft: profiles: no photo, an unverified address, no address",
    group: "social",
    async run(t) {
      await social(t, t.browser(), "microsoft", { local: "nophoto", login: { photo: "none" } });
      await social(t, t.browser(), "microsoft", { local: "unverified", personExtra: { emailVerified: false } });
      await social(t, t.browser(), "microsoft", { local: "noemail", login: { idToken: { claims: { email: undefined } } } });
      await social(t, t.browser(), "microsoft", { local: "claimverified", login: { idToken: { claims: { email_verified: "true" } } } });
    },
  },

  {
    name: "social discord: profiles: animated avatar, old discriminator, no display name, unverified",
    group: "social",
    async run(t) {
      await social(t, t.browser(), "discord", { local: "animated", personExtra: { avatar: "a_0123456789abcdef0123456789abcdef" } });
      await social(t, t.browser(), "discord", { local: "still", personExtra: { avatar: "0123456789abcdef0123456789abcdef" } });
      await social(t, t.browser(), "discord", { local: "oldtag", personExtra: { discriminator: "4242" } });
      await social(t, t.browser(), "discord", { local: "noname", personExtra: { name: null } });
      await social(t, t.browser(), "discord", { local: "unverified", personExtra: { emailVerified: false } });
      // /users/@me failing: no user.
      await social(t, t.browser(), "discord", { local: "failing", login: { user: { status: 500 } } });
    },
  },

  {
    name: "social discord and microsoft: sign-in/social bodies and ID tokens",
    group: "social",
    async run(t) {
      const b = t.browser();
      await b.request("POST", "/sign-in/social", { json: { provider: "discord", disableRedirect: true, callbackURL: "/x", loginHint: "a@b.test", additionalParams: { prompt: "consent", foo: "bar" } } });
      await b.request("POST", "/sign-in/social", { json: { provider: "microsoft", loginHint: "a@b.test", additionalParams: { domain_hint: "example.test" } } });
      await b.request("POST", "/sign-in/social", { json: { provider: "discord", idToken: { token: "x.y.z" } } });
    },
  },

  {
    // Upstream verifies an SDK's Microsoft ID token (issuer per tenant, the token's own tid,
    // audience, RS256, an hour's age): the Go side refuses the same ones.
    name: "social microsoft: ID-token sign-in and its refusals",
    group: "social",
    async run(t) {
      const idp = await socialIdP();
      const b = t.browser();
      const p = person(t.email("idtoken"));
      const bad = [
        ["another client", { aud: "someone-else" }],
        ["another tenant's issuer", { claims: { iss: "https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0" } }],
        ["no tid", { claims: { tid: undefined } }],
        ["expired", { expiresIn: -60 }],
        ["unsigned", { alg: "none" }],
        ["a key not published", { alg: "rogue" }],
      ];
      for (const [, opts] of bad) {
        await b.request("POST", "/sign-in/social", { json: { provider: "microsoft", idToken: { token: await idp.microsoftIdToken(p, opts) } }});
      }
      await b.request("POST", "/sign-in/social", { json: { provider: "microsoft", idToken: { token: await idp.microsoftIdToken(p), accessToken: "sdk-access-token" } } });
      await afterSignIn(t, b);
    },
  },

  ...[
    ["for another client", { aud: "someone-else" }, "aud"],
    ["of another tenant's issuer", { claims: { iss: "https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0" } }, "iss"],
    ["expired", { expiresIn: -60 }, "expired"],
    ["unsigned (alg none)", { alg: "none" }, "none"],
  ].map(([what, idToken, local]) => ({
    // Upstream decodes the token endpoint's id_token without verifying it (as for Google); the
    // Go side verifies it: no user, account or session.
    name: `social microsoft: code-flow ID token ${what}`,
    group: "social",
    async run(t) {
      await social(t, t.browser(), "microsoft", { local, login: { idToken } });
    },
    expectDifference: refusedByGo(what),
  })),

  {
    name: "social takeover (microsoft, discord): a sign-in started on one server completes on the other, both ways",
    kind: "custom",
    groups: ["social"],
    run: (h) => socialTakeover(h, [["node", "go", "microsoft"], ["go", "node", "discord"], ["go", "node", "microsoft"], ["node", "go", "discord"]]),
  },
];
