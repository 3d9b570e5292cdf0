// The browser demo's script: the official Better Auth client against the Go server that serves
// this page. demo/build.mjs bundles it with esbuild into templates/demo/assets/demo.js, which
// kernia-gen embeds and emits into cmd/server/demo/. Everything the page shows is set with
// textContent: names, emails and user agents come from users and are never parsed as HTML.
import { passkeyClient } from "@better-auth/passkey/client";
import { createAuthClient } from "better-auth/client";
import { multiSessionClient, twoFactorClient } from "better-auth/client/plugins";
import { encode as encodeQRCode } from "uqr";

const page = document.body.dataset;
// kernia-gen writes the plugins' state into the page: each client plugin is added only when
// the server has that plugin on.
const multiSession = page.multiSession === "true";
const twoFactor = page.twoFactor === "true";
const passkey = page.passkey === "true";
const social = page.social === "true";
// The providers kernia.yaml's social plugin emits (its providers option), in its order.
const providers = social ? page.socialProviders.split(",").filter(Boolean) : [];

const plugins = [];
if (multiSession) plugins.push(multiSessionClient());
// With two-factor on, a right password for an account with two-factor enabled does not sign in:
// the server answers {twoFactorRedirect: true} and the client calls onTwoFactorRedirect, where
// the page asks for the code (see "Two-factor authentication" below).
if (twoFactor) plugins.push(twoFactorClient({ onTwoFactorRedirect: askForTwoFactorCode }));
// The passkey client adds client.passkey.* and client.signIn.passkey(), which run the browser's
// WebAuthn ceremonies (see "Passkeys" below).
if (passkey) plugins.push(passkeyClient());

const client = createAuthClient({
  baseURL: new URL(page.basePath, location.origin).href,
  plugins,
});

const $ = (id) => document.getElementById(id);

/** element makes an element with the given text and attributes. */
function element(tag, text, attrs = {}) {
  const el = document.createElement(tag);
  if (text !== undefined) el.textContent = text;
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  return el;
}

function showProblem(error) {
  $("problem").textContent = error ? error.message || error.statusText || "Something went wrong." : "";
  $("problem").hidden = !error;
}

/**
 * act sends one request for a button or a form's button: the button is disabled meanwhile and
 * the server's error message is shown. It resolves to the data, or undefined after an error.
 */
async function act(button, request) {
  showProblem(null);
  button.disabled = true;
  try {
    const { data, error } = await request();
    if (error) {
      showProblem(error);
      return undefined;
    }
    return data ?? null;
  } finally {
    button.disabled = false;
  }
}

function when(date) {
  return new Date(date).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** device names a user agent's browser and system in a few words. */
function device(userAgent = "") {
  const find = (pairs) => pairs.find(([re]) => re.test(userAgent))?.[1];
  const browser = find([
    [/Edg\//, "Edge"],
    [/Firefox\//, "Firefox"],
    [/HeadlessChrome\//, "Headless Chrome"],
    [/Chrom(e|ium)\//, "Chrome"],
    [/Safari\//, "Safari"],
  ]);
  const system = find([
    [/Android/, "Android"],
    [/iPhone|iPad/, "iOS"],
    [/Windows/, "Windows"],
    [/Mac OS X/, "macOS"],
    [/Linux/, "Linux"],
  ]);
  return [browser ?? "Unknown browser", system].filter(Boolean).join(" on ");
}

// current is the signed-in session and user, as get-session returns them, or null.
let current = null;

function render() {
  const user = current?.user;
  $("status").textContent = user ? `Signed in as ${user.name} (${user.email})` : "Not signed in.";
  for (const id of ["account", "sessions-panel", "accounts"]) {
    if ($(id)) $(id).hidden = !user;
  }
  // With multi-session, the forms stay to add another account to this browser.
  $("forms").hidden = Boolean(user) && !multiSession;
  $("forms-title").textContent = user ? "Add another account" : "Sign in or create an account";
  if (twoFactor) renderTwoFactor(user);
  if (passkey) renderPasskeys(user);
  if (social) renderSocial(user);
  if (!user) return;
  $("user-name").textContent = user.name;
  $("user-email").textContent = user.email;
  $("session-expires").textContent = when(current.session.expiresAt);
  loadLists();
}

// loads counts the list loads, so that an answer overtaken by a later load is dropped.
let loads = 0;

async function loadLists() {
  const load = ++loads;
  const [sessions, devices] = await Promise.all([
    client.listSessions(),
    multiSession ? client.multiSession.listDeviceSessions() : null,
  ]);
  if (load !== loads || !current) return;
  const error = sessions.error ?? devices?.error;
  if (error) showProblem(error);
  renderSessions(sessions.data ?? []);
  if (devices) renderAccounts(devices.data ?? []);
}

function renderSessions(sessions) {
  sessions.sort((a, b) => new Date(a.createdAt) - new Date(b.createdAt));
  $("sessions").replaceChildren(
    ...sessions.map((s) => {
      const what = `${device(s.userAgent)}, signed in ${when(s.createdAt)}`;
      const row = element("li");
      row.append(element("span", what + (s.ipAddress ? ` from ${s.ipAddress}` : "")));
      if (s.token === current.session.token) {
        row.append(element("strong", "This browser", { class: "tag" }));
      } else {
        const revoke = element("button", "Revoke", { type: "button", class: "secondary", "aria-label": `Revoke: ${what}` });
        revoke.addEventListener("click", async () => {
          if ((await act(revoke, () => client.revokeSession({ token: s.token }))) !== undefined) loadLists();
        });
        row.append(revoke);
      }
      return row;
    }),
  );
}

function renderAccounts(entries) {
  $("device-sessions").replaceChildren(
    ...entries.map(({ session, user }) => {
      const who = `${user.name} (${user.email})`;
      const row = element("li");
      row.append(element("span", who));
      if (session.token === current.session.token) {
        row.append(element("strong", "Active", { class: "tag" }));
      } else {
        const pick = element("button", "Switch", { type: "button", class: "secondary", "aria-label": `Switch to ${who}` });
        // The client refetches the session after set-active; the page follows.
        pick.addEventListener("click", () => act(pick, () => client.multiSession.setActive({ sessionToken: session.token })));
        row.append(pick);
      }
      return row;
    }),
  );
}

function onSubmit(id, request) {
  const form = $(id);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const fields = Object.fromEntries(new FormData(form));
    if ((await act(form.querySelector("button"), () => request(fields))) !== undefined) form.reset();
  });
}

onSubmit("sign-up", ({ name, email, password }) => client.signUp.email({ name, email, password }));
onSubmit("sign-in", ({ email, password }) => client.signIn.email({ email, password }));
$("sign-out").addEventListener("click", (event) => act(event.currentTarget, () => client.signOut()));
$("refresh").addEventListener("click", () => loadLists());

// ---- Two-factor authentication (twoFactorClient) ----
//
// Enabling takes the password and answers the authenticator link (an otpauth:// URI holding
// the secret) and backup codes; two-factor is on once a first code from the app is verified.
// From then on a password sign-in asks for a code (askForTwoFactorCode).

// enrolling is the id of the user whose set-up (QR code, backup codes) is shown, or null.
let enrolling = null;

/** renderTwoFactor shows the signed-in user's two-factor state and the matching form. */
function renderTwoFactor(user) {
  $("two-factor").hidden = !user;
  if (!user) return;
  const on = Boolean(user.twoFactorEnabled);
  if (on || enrolling !== user.id) enrolling = null;
  $("two-factor-state").textContent = on
    ? "On: signing in asks for a code from your authenticator app."
    : "Off: signing in needs only the password.";
  $("two-factor-enable").hidden = on || enrolling !== null;
  $("two-factor-setup").hidden = enrolling === null;
  $("two-factor-disable").hidden = !on;
}

/** showTwoFactorSetup shows what enable answered: the link as a QR code and as text, and the backup codes. */
function showTwoFactorSetup({ totpURI, backupCodes }) {
  enrolling = current.user.id;
  drawQRCode($("totp-qr"), totpURI);
  $("totp-uri").textContent = totpURI;
  $("backup-codes").replaceChildren(...backupCodes.map((code) => element("li", code)));
  $("two-factor-enable").hidden = true;
  $("two-factor-setup").hidden = false;
  $("two-factor-confirm-code").focus();
}

/**
 * drawQRCode draws text as a QR code on a canvas: dark squares on white with a quiet zone of
 * four modules, as scanners expect. The uqr package does the encoding.
 */
function drawQRCode(canvas, text) {
  const { size, data } = encodeQRCode(text, { ecc: "M", border: 4 });
  const scale = 4; // pixels per module
  canvas.width = canvas.height = size * scale;
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = "#000000";
  data.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (dark) ctx.fillRect(x * scale, y * scale, scale, scale);
    }),
  );
}

/** askForTwoFactorCode is the client's onTwoFactorRedirect: the password was right, a code is due. */
function askForTwoFactorCode() {
  $("two-factor-challenge").hidden = false;
  $("two-factor-verify-code").focus();
}

if (twoFactor) {
  onSubmit("two-factor-enable", async ({ password }) => {
    const answer = await client.twoFactor.enable({ password });
    if (answer.data) showTwoFactorSetup(answer.data);
    return answer;
  });
  // The first code proves the app has the secret; the server then turns two-factor on, and the
  // client refetches the session (every /two-factor/ call does), which re-renders the page.
  onSubmit("two-factor-confirm", ({ code }) => client.twoFactor.verifyTotp({ code }));
  onSubmit("two-factor-disable", ({ password }) => client.twoFactor.disable({ password }));
  // The sign-in's second step: a right code creates the session.
  onSubmit("two-factor-verify", async ({ code }) => {
    const answer = await client.twoFactor.verifyTotp({ code });
    if (answer.data) $("two-factor-challenge").hidden = true;
    return answer;
  });
}

// ---- Passkeys (passkeyClient from @better-auth/passkey/client) ----
//
// A passkey is a key pair that the browser, the operating system or a phone keeps for this site;
// the server stores only the public key. Adding one asks the browser to create it (with the
// fingerprint, face or screen lock) for the signed-in user. Signing in with it needs no email:
// the browser offers the passkeys it holds for this site and signs the server's challenge.
// Browsers allow this only on HTTPS or on http://localhost, for a relying party id that is this
// page's host (the server's KERNIA_PASSKEY_RP_ID, by default the host of its KERNIA_BASE_URL).

/** renderPasskeys shows the signed-in user's passkeys, and passkey sign-in beside the forms. */
function renderPasskeys(user) {
  $("passkeys").hidden = !user;
  $("passkey-sign-in").hidden = $("forms").hidden;
  if (user) loadPasskeys();
}

// passkeyLoads counts the loads of the list, so that an answer overtaken by a later one is dropped.
let passkeyLoads = 0;

async function loadPasskeys() {
  const load = ++passkeyLoads;
  const { data, error } = await client.passkey.listUserPasskeys();
  if (load !== passkeyLoads || !current) return;
  if (error) showProblem(error);
  $("passkey-list").replaceChildren(
    ...(data ?? []).map((key) => {
      const what = `${key.name || "Unnamed passkey"}, added ${when(key.createdAt)}`;
      const row = element("li");
      row.append(element("span", what));
      const remove = element("button", "Delete", { type: "button", class: "secondary", "aria-label": `Delete passkey: ${what}` });
      remove.addEventListener("click", async () => {
        if ((await act(remove, () => client.passkey.deletePasskey({ id: key.id }))) !== undefined) loadPasskeys();
      });
      row.append(remove);
      return row;
    }),
  );
}

if (passkey) {
  // addPasskey fetches the options (a challenge, this user, the passkeys to exclude), lets the
  // browser create the passkey, and sends the result to the server, which verifies and stores it.
  onSubmit("passkey-add", async ({ name }) => {
    const answer = await client.passkey.addPasskey({ name: name || undefined });
    if (answer.data) loadPasskeys();
    return answer;
  });
  // signIn.passkey fetches a challenge, lets the user pick one of this site's passkeys, and sends
  // the signature; the server answers with a session and the client refetches it.
  $("passkey-sign-in-button").addEventListener("click", (event) => act(event.currentTarget, () => client.signIn.passkey()));
}

// ---- Social sign-in and linked accounts (the social plugin; the core client has the calls) ----
//
// Signing in with a provider leaves this page: the server answers the provider's authorization
// URL and the client sends the browser there. The provider sends it back to the server's
// /callback/<provider>, which starts the session (or links the account) and redirects to the
// callbackURL, this page; a failure redirects to the errorCallbackURL, also this page, with
// ?error=<code>&error_description=<text>. Both must be trusted origins of the server: this page
// is on the server's own.

/** providerName is a provider id as people know it. */
function providerName(id) {
  return { credential: "Password", google: "Google", github: "GitHub", oidc: "OpenID Connect" }[id] ?? id;
}

/** here is this page's address without its query: where the provider's round trip comes back. */
const here = () => location.origin + location.pathname;

/** renderSocial shows the provider buttons beside the forms, and the linked accounts when signed in. */
function renderSocial(user) {
  $("linked").hidden = !user;
  $("social-sign-in").hidden = $("forms").hidden;
  if (user) loadLinkedAccounts();
}

// accountLoads counts the loads of the list, so that an answer overtaken by a later one is dropped.
let accountLoads = 0;

async function loadLinkedAccounts() {
  const load = ++accountLoads;
  const { data, error } = await client.listAccounts();
  if (load !== accountLoads || !current) return;
  if (error) showProblem(error);
  const accounts = data ?? [];
  $("linked-accounts").replaceChildren(
    ...accounts.map((account) => {
      const name = providerName(account.providerId);
      const row = element("li");
      row.append(element("span", `${name}, linked ${when(account.createdAt)}`));
      if (accounts.length > 1) {
        const unlink = element("button", "Unlink", { type: "button", class: "secondary", "aria-label": `Unlink ${name}` });
        // Better Auth names the account by its own id (account.id), not the provider's.
        unlink.addEventListener("click", async () => {
          if ((await act(unlink, () => client.unlinkAccount({ accountId: account.id }))) !== undefined) loadLinkedAccounts();
        });
        row.append(unlink);
      }
      return row;
    }),
  );
  const linked = new Set(accounts.map((a) => a.providerId));
  $("link-buttons").replaceChildren(
    ...providers
      .filter((id) => !linked.has(id))
      .map((id) => {
        const link = element("button", `Link ${providerName(id)}`, { type: "button" });
        link.addEventListener("click", () => act(link, () => client.linkSocial({ provider: id, callbackURL: here(), errorCallbackURL: here() })));
        return link;
      }),
  );
}

if (social) {
  $("social-buttons").replaceChildren(
    ...providers.map((id) => {
      const button = element("button", `Sign in with ${providerName(id)}`, { type: "button" });
      button.addEventListener("click", () => act(button, () => client.signIn.social({ provider: id, callbackURL: here(), errorCallbackURL: here() })));
      return button;
    }),
  );
  // Back from a provider with an error: show it, and drop it from the address bar.
  const back = new URLSearchParams(location.search);
  if (back.has("error")) {
    const description = back.get("error_description");
    showProblem({ message: `The provider sign-in failed: ${back.get("error")}${description ? ` (${description})` : ""}` });
    history.replaceState(null, "", here());
  }
}

// The client's session store: it fetches get-session at start and again after sign-in,
// sign-up, sign-out, revocation and switching accounts (and when the tab regains focus).
// While it refetches it still holds the previous session: the page waits for the answer.
client.useSession.subscribe(({ data, isPending, isRefetching, error }) => {
  if (isPending || isRefetching) return;
  if (error) showProblem(error);
  current = data ?? null;
  render();
});
