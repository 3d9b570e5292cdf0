// Drives the demo page that `kernia-gen init --demo` emits in headless Chromium, as a person
// would, against the emitted Go server that scripts/demo-test starts:
//
//   DEMO_URL=http://localhost:PORT DEMO_MULTI_SESSION=true DEMO_TWO_FACTOR=true DEMO_PASSKEY=true DEMO_SOCIAL=true DEMO_SOCIAL_PROVIDERS=google,github,oidc node --test test/browser.test.mjs
//
// The two-factor steps compute the authenticator app's codes from the secret in the otpauth://
// link the page shows, with the conformance harness's TOTP (conformance/lib/totp.mjs). The passkey
// steps give the page Chromium's virtual authenticator (DevTools protocol, WebAuthn domain); they
// need the page at http://localhost:PORT, as WebAuthn needs a secure context and an rp id that is
// the page's host. The social steps go through the local development identity provider that
// scripts/demo-test starts (conformance/servers/dev-idp.mjs): its sign-in page names the person.
// It checks what the page shows (status line, lists), and fails on a broken page: a console
// error, an uncaught exception, a failed request or an error status it did not ask for.
// Screenshots of the main states go to demo/artifacts/ (gitignored).
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { encode as encodeQRCode } from "uqr";
import { totpFromURI } from "../../conformance/lib/totp.mjs";

const baseURL = process.env.DEMO_URL;
const multiSession = process.env.DEMO_MULTI_SESSION === "true";
const twoFactor = process.env.DEMO_TWO_FACTOR === "true";
const passkey = process.env.DEMO_PASSKEY === "true";
const social = process.env.DEMO_SOCIAL === "true";
// The social plugin's providers option of the server (google and github, its default, unless told).
const socialProviders = (process.env.DEMO_SOCIAL_PROVIDERS ?? "google,github").split(",");
const artifacts = join(dirname(fileURLToPath(import.meta.url)), "..", "artifacts");
const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const timeout = 10_000;

const ada = { name: "Ada Lovelace", email: "ada@example.com", password: "analytical-engine" };
const grace = { name: "Grace Hopper", email: "grace@example.com", password: "compiler-a0-1952" };
const alan = { name: "Alan Turing", email: "alan@example.com", password: "universal-machine" };
const katherine = { name: "Katherine Johnson", email: "katherine@example.com" };

/** visit opens the demo in a new browser context (its own cookie jar) and watches for faults. */
async function visit(browser) {
  const context = await browser.newContext({ baseURL, viewport: { width: 900, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  page.faults = [];
  page.expected = []; // [method, path, status] of error answers the next step provokes on purpose
  const isExpected = (method, url, status) => {
    const path = new URL(url).pathname;
    return page.expected.some(([m, p, s]) => m === method && path.endsWith(p) && s === status);
  };
  page.on("pageerror", (error) => page.faults.push(`uncaught: ${error.message}`));
  page.on("console", (msg) => {
    if (msg.type() !== "error") return;
    // Chromium logs every error answer; the ones the test provoked are allowed.
    const status = /status of (\d+)/.exec(msg.text())?.[1];
    const url = msg.location().url;
    if (status && url && page.expected.some(([, p, s]) => new URL(url).pathname.endsWith(p) && s === Number(status))) return;
    page.faults.push(`console: ${msg.text()} (${url})`);
  });
  page.on("requestfailed", (req) => {
    // A reload cancels the page's requests in flight (net::ERR_ABORTED): the test's doing.
    if (req.failure()?.errorText === "net::ERR_ABORTED") return;
    page.faults.push(`request failed: ${req.method()} ${req.url()}: ${req.failure()?.errorText}`);
  });
  page.on("response", (res) => {
    if (res.status() >= 400 && !isExpected(res.request().method(), res.url(), res.status())) {
      page.faults.push(`${res.status()} for ${res.request().method()} ${res.url()}`);
    }
  });
  await page.goto("/demo/");
  return page;
}

/** status waits until the status line reads exactly text. */
async function status(page, text) {
  const line = page.getByRole("status");
  try {
    await line.filter({ hasText: new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`) }).waitFor();
  } catch (error) {
    assert.fail(`status line: ${JSON.stringify(await line.textContent())}, want ${JSON.stringify(text)}`);
  }
}

/** rows returns the items of the list with the given accessible name, once there are n. */
async function rows(page, listName, n) {
  const items = page.getByRole("list", { name: listName }).getByRole("listitem");
  const deadline = Date.now() + timeout;
  while ((await items.count()) !== n) {
    if (Date.now() > deadline) assert.fail(`${listName}: ${await items.count()} rows, want ${n}: ${await items.allTextContents()}`);
    await page.waitForTimeout(50);
  }
  return items;
}

async function fill(page, formName, fields) {
  const form = page.getByRole("form", { name: formName });
  for (const [label, value] of Object.entries(fields)) await form.getByLabel(label).fill(value);
  await form.getByRole("button").click();
}

// The server limits sign-up, sign-in and the two-factor routes to 3 requests per client in 10 s, each
// under its own path (Better Auth's rules; the window restarts at every allowed request), and
// every browser here is the same client, 127.0.0.1. pace waits, when a step would make a
// path's 4th request in a row, until the window has passed. The time kept is taken before the
// step, and the request leaves a little later (seconds later on a loaded machine), so the wait
// has a margin of 3 s.
const limitWindow = 10_000;
const recent = new Map(); // path → times of its requests since its window last ran out
async function pace(path) {
  const times = recent.get(path) ?? [];
  if (times.length > 0 && Date.now() - times.at(-1) > limitWindow) times.length = 0;
  if (times.length >= 3) {
    await new Promise((resolve) => setTimeout(resolve, times.at(-1) + limitWindow + 3000 - Date.now()));
    times.length = 0;
  }
  times.push(Date.now());
  recent.set(path, times);
}

async function signUp(page, who) {
  await pace("/sign-up/email");
  await fill(page, "Create an account", { Name: who.name, Email: who.email, "Password (8 characters or more)": who.password });
}
async function signIn(page, who, password = who.password) {
  await pace("/sign-in/email");
  await fill(page, "Sign in", { Email: who.email, Password: password });
}
/** enterCode types a code into one of the two-factor forms, which send it to verify-totp. */
async function enterCode(page, formName, code) {
  await pace("/two-factor/verify-totp");
  await fill(page, formName, { "Code from the app": code });
}
const shot = (page, name) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
const signedIn = (who) => `Signed in as ${who.name} (${who.email})`;
/** wrongCode is a 6-digit code other than code (a neighbouring step's code by a one-in-a-million chance). */
const wrongCode = (code) => String((Number(code) + 500_000) % 1_000_000).padStart(6, "0");

describe("the demo page in headless Chromium", () => {
  let browser, first, second, third, fourth;

  before(async () => {
    assert.ok(baseURL, "DEMO_URL is not set: run scripts/demo-test, which starts the emitted server");
    await mkdir(artifacts, { recursive: true });
    // Playwright gives every launch a fresh, temporary --user-data-dir of its own (it refuses the
    // flag in args), so no profile state carries over between runs.
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    first = await visit(browser);
  });

  after(async () => {
    await browser?.close();
  });

  it("shows the signed-out state, then the signed-in user after sign-up", async () => {
    await status(first, "Not signed in.");
    await shot(first, "1-signed-out");
    await signUp(first, ada);
    await status(first, signedIn(ada));
    assert.equal(await first.locator("#user-name").textContent(), ada.name);
    assert.equal(await first.locator("#user-email").textContent(), ada.email);
    await rows(first, "Sessions of this account", 1);
    await shot(first, "2-signed-in");
  });

  it("keeps the user signed in across a reload (the session cookie persisted)", async () => {
    await first.reload();
    await status(first, signedIn(ada));
    const cookies = await first.context().cookies();
    assert.ok(cookies.some((c) => c.name === "better-auth.session_token" && c.httpOnly), "no HttpOnly session cookie");
  });

  it("shows the server's error message for a wrong password", async () => {
    second = await visit(browser);
    await status(second, "Not signed in.");
    second.expected.push(["POST", "/sign-in/email", 401]);
    await signIn(second, ada, "not-the-password");
    await second.getByRole("alert").filter({ hasText: "Invalid email or password" }).waitFor();
    await status(second, "Not signed in.");
    second.expected.length = 0;
  });

  it("lists the sessions of two browsers and revokes the other one", async () => {
    await signIn(second, ada);
    await status(second, signedIn(ada));
    assert.equal(await second.getByRole("alert").isHidden(), true, "the error stayed after a good sign-in");

    await first.getByRole("button", { name: "Refresh" }).click();
    const items = await rows(first, "Sessions of this account", 2);
    assert.deepEqual(
      (await items.allTextContents()).map((t) => t.includes("This browser")),
      [true, false],
      "the first session should be this browser's",
    );
    await shot(first, "3-two-sessions");
    await items.nth(1).getByRole("button", { name: /^Revoke/ }).click();
    const left = await rows(first, "Sessions of this account", 1);
    assert.match(await left.first().textContent(), /This browser/);

    // The revoked browser is signed out at its next look.
    await second.reload();
    await status(second, "Not signed in.");
  });

  it("switches between two accounts in one browser (multi-session)", { skip: !multiSession && "DEMO_MULTI_SESSION is not true" }, async () => {
    const accounts = "Accounts in this browser";
    await rows(first, accounts, 1);
    assert.equal(await first.getByRole("heading", { name: "Add another account" }).isVisible(), true);
    await signUp(first, grace);
    await status(first, signedIn(grace));
    const items = await rows(first, accounts, 2);
    assert.deepEqual(await items.allTextContents(), [`${ada.name} (${ada.email})Switch`, `${grace.name} (${grace.email})Active`]);
    await rows(first, "Sessions of this account", 1);
    await shot(first, "4-two-accounts");

    await first.getByRole("button", { name: `Switch to ${ada.name} (${ada.email})` }).click();
    await status(first, signedIn(ada));
    assert.equal(await first.locator("#user-email").textContent(), ada.email);
    await first.reload();
    await status(first, signedIn(ada));
    await first.getByRole("button", { name: `Switch to ${grace.name} (${grace.email})` }).click();
    await status(first, signedIn(grace));
  });

  it("signs out and shows the signed-out state, also after a reload", async () => {
    await first.getByRole("button", { name: /^Sign out/ }).click();
    await status(first, "Not signed in.");
    assert.equal(await first.getByRole("heading", { name: "Your session" }).isVisible(), false);
    await first.reload();
    await status(first, "Not signed in.");
    await shot(first, "5-signed-out-again");
  });

  describe("two-factor authentication", { skip: !twoFactor && "DEMO_TWO_FACTOR is not true" }, () => {
    let uri; // the otpauth:// link the page showed at enrolment
    const state = (page) => page.locator("#two-factor-state").textContent();
    const off = "Off: signing in needs only the password.";
    const on = "On: signing in asks for a code from your authenticator app.";
    const challenge = (page) => page.getByRole("form", { name: "Two-factor code" });
    const signOut = async (page) => {
      await page.getByRole("button", { name: /^Sign out/ }).click();
      await status(page, "Not signed in.");
    };

    it("enables two-factor: the password gives the link as a QR code and the backup codes", async () => {
      await signIn(first, ada);
      await status(first, signedIn(ada));
      assert.equal(await state(first), off);

      first.expected.push(["POST", "/two-factor/enable", 400]);
      await fill(first, "Enable two-factor", { Password: "not-the-password" });
      await first.getByRole("alert").filter({ hasText: "Invalid password" }).waitFor();
      assert.equal(await first.locator("#two-factor-setup").isHidden(), true, "set-up shown after a wrong password");
      first.expected.length = 0;

      await fill(first, "Enable two-factor", { Password: ada.password });
      await first.locator("#two-factor-setup").waitFor();
      uri = await first.locator("#totp-uri").textContent();
      const link = new URL(uri);
      assert.equal(link.protocol, "otpauth:");
      assert.equal(link.host, "totp");
      assert.match(decodeURIComponent(link.pathname), new RegExp(`:${ada.email}$`));
      assert.match(link.searchParams.get("secret"), /^[A-Z2-7]{16,}=*$/);
      const codes = await first.getByRole("list", { name: "Backup codes" }).getByRole("listitem").allTextContents();
      assert.equal(codes.length, 10, `backup codes: ${codes}`);
      assert.equal(new Set(codes).size, 10);
      assert.equal(await state(first), off, "two-factor is on before a first code was verified");

      // The canvas holds the QR code of exactly the link shown: read each module's centre
      // pixel and compare with the library's encoding of the text.
      const drawn = await first.locator("#totp-qr").evaluate((canvas) => {
        const scale = 4;
        const n = canvas.width / scale;
        const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
        const rows = [];
        for (let y = 0; y < n; y++) {
          let row = "";
          for (let x = 0; x < n; x++) row += pixels[((y * scale + 2) * canvas.width + x * scale + 2) * 4] < 128 ? "#" : ".";
          rows.push(row);
        }
        return rows;
      });
      const want = encodeQRCode(uri, { ecc: "M", border: 4 }).data.map((row) => row.map((dark) => (dark ? "#" : ".")).join(""));
      assert.deepEqual(drawn, want, "the QR code on the page does not encode the link shown");
      await shot(first, "6-two-factor-set-up");
    });

    it("turns two-factor on with a first code from the app", async () => {
      first.expected.push(["POST", "/two-factor/verify-totp", 401]);
      await enterCode(first, "Confirm two-factor", wrongCode(totpFromURI(uri)));
      await first.getByRole("alert").filter({ hasText: "Invalid code" }).waitFor();
      first.expected.length = 0;
      assert.equal(await state(first), off);

      await enterCode(first, "Confirm two-factor", totpFromURI(uri));
      await first.locator("#two-factor-state").filter({ hasText: on }).waitFor();
      await status(first, signedIn(ada));
      assert.equal(await first.locator("#two-factor-setup").isHidden(), true);
      assert.equal(await first.getByRole("form", { name: "Disable two-factor" }).isVisible(), true);
      await shot(first, "7-two-factor-on");
    });

    it("signs in through the challenge: password, then a code", async () => {
      await signOut(first);
      assert.equal(await challenge(first).isHidden(), true);
      await signIn(first, ada);
      await challenge(first).waitFor();
      await status(first, "Not signed in.");
      const cookies = await first.context().cookies();
      assert.ok(!cookies.some((c) => c.name === "better-auth.session_token"), "a session cookie after the password alone");
      assert.ok(cookies.some((c) => c.name === "better-auth.two_factor"), "no two-factor challenge cookie");
      await shot(first, "8-two-factor-challenge");

      first.expected.push(["POST", "/two-factor/verify-totp", 401]);
      await enterCode(first, "Two-factor code", wrongCode(totpFromURI(uri)));
      await first.getByRole("alert").filter({ hasText: "Invalid code" }).waitFor();
      await status(first, "Not signed in.");
      first.expected.length = 0;

      await enterCode(first, "Two-factor code", totpFromURI(uri));
      await status(first, signedIn(ada));
      assert.equal(await challenge(first).isHidden(), true);
      assert.equal(await state(first), on);
      await first.reload();
      await status(first, signedIn(ada));
    });

    it("disables two-factor with the password; sign-in then needs the password only", async () => {
      await fill(first, "Disable two-factor", { Password: ada.password });
      await first.locator("#two-factor-state").filter({ hasText: off }).waitFor();
      assert.equal(await first.getByRole("form", { name: "Enable two-factor" }).isVisible(), true);
      await signOut(first);
      await signIn(first, ada);
      await status(first, signedIn(ada));
      assert.equal(await challenge(first).isHidden(), true);
      await shot(first, "9-two-factor-off");
    });
  });

  describe("passkeys", { skip: !passkey && "DEMO_PASSKEY is not true" }, () => {
    let cdp, authenticatorId;
    const passkeys = "Passkeys";

    it("adds a passkey from Chromium's virtual authenticator, and the list shows it", async () => {
      assert.equal(new URL(baseURL).hostname, "localhost", "WebAuthn needs the page at http://localhost:PORT");
      third = await visit(browser);
      // A platform authenticator that holds discoverable credentials and verifies the user (as a
      // fingerprint would) without asking: the browser's passkey prompts are answered at once.
      cdp = await third.context().newCDPSession(third);
      await cdp.send("WebAuthn.enable");
      ({ authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
        options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
      }));

      await status(third, "Not signed in.");
      await signUp(third, alan);
      await status(third, signedIn(alan));
      await rows(third, passkeys, 0);

      await third.getByRole("form", { name: "Add a passkey" }).getByLabel("Name (optional)").fill("Test laptop");
      await third.getByRole("button", { name: "Add a passkey" }).click();
      const items = await rows(third, passkeys, 1);
      assert.match(await items.first().textContent(), /^Test laptop, added /);
      assert.equal(await third.locator("#problem").isHidden(), true, await third.locator("#problem").textContent());

      // The authenticator holds one discoverable credential for localhost, for this user.
      const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
      assert.equal(credentials.length, 1);
      assert.equal(credentials[0].isResidentCredential, true);
      assert.equal(credentials[0].rpId, "localhost");
      await shot(third, "10-passkey-added");
    });

    it("signs out, then signs in with the passkey alone, and stays signed in after a reload", async () => {
      await third.getByRole("button", { name: /^Sign out/ }).click();
      await status(third, "Not signed in.");
      assert.equal(await third.getByRole("heading", { name: "Passkeys" }).isVisible(), false);

      // No email or password: the browser signs the server's challenge with the passkey.
      const verified = third.waitForResponse((res) => new URL(res.url()).pathname.endsWith("/passkey/verify-authentication"));
      await third.getByRole("button", { name: "Sign in with a passkey" }).click();
      assert.equal((await verified).status(), 200);
      await status(third, signedIn(alan));
      const cookies = await third.context().cookies();
      assert.ok(cookies.some((c) => c.name === "better-auth.session_token" && c.httpOnly), "no HttpOnly session cookie");
      await third.reload();
      await status(third, signedIn(alan));
      await rows(third, passkeys, 1);
      await shot(third, "11-passkey-sign-in");
    });

    it("deletes the passkey", async () => {
      await third.getByRole("button", { name: /^Delete passkey: Test laptop/ }).click();
      await rows(third, passkeys, 0);
      await status(third, signedIn(alan));
    });
  });

  describe("social sign-in and linked accounts", { skip: !social && "DEMO_SOCIAL is not true" }, () => {
    const linked = "Linked accounts";
    /** atProvider goes through the provider's sign-in page as who; the browser comes back to the demo. */
    async function atProvider(page, provider, who) {
      const form = page.getByRole("form", { name: `Sign in with ${provider}` });
      await form.waitFor();
      assert.notEqual(new URL(page.url()).origin, new URL(baseURL).origin, "the provider's page is on the demo's origin");
      await form.getByLabel("Email").fill(who.email);
      await form.getByLabel("Name").fill(who.name);
      await form.getByRole("button", { name: "Continue as this person" }).click();
      await page.waitForURL((url) => url.origin === new URL(baseURL).origin && url.pathname === "/demo/");
    }

    it("refuses a provider sign-in for an address a password account holds unverified, and says why", async () => {
      fourth = await visit(browser);
      await status(fourth, "Not signed in.");
      await pace("/sign-in/social");
      await fourth.getByRole("button", { name: "Sign in with Google" }).click();
      await atProvider(fourth, "Google", ada);
      await fourth.getByRole("alert").filter({ hasText: "The provider sign-in failed: account_not_linked" }).waitFor();
      await status(fourth, "Not signed in.");
      assert.equal(new URL(fourth.url()).search, "", "the error stayed in the address bar");
    });

    it("signs in with Google through the local provider; the account lists Google", async () => {
      await pace("/sign-in/social");
      await fourth.getByRole("button", { name: "Sign in with Google" }).click();
      await atProvider(fourth, "Google", katherine);
      await status(fourth, signedIn(katherine));
      const items = await rows(fourth, linked, 1);
      assert.match(await items.first().textContent(), /^Google, linked /);
      assert.equal(await items.first().getByRole("button").count(), 0, "the only account offers Unlink");
      const cookies = await fourth.context().cookies();
      assert.ok(cookies.some((c) => c.name === "better-auth.session_token" && c.httpOnly), "no HttpOnly session cookie");
      await fourth.reload();
      await status(fourth, signedIn(katherine));
      await shot(fourth, "12-social-sign-in");
    });

    it("links GitHub: the list shows both accounts", async () => {
      await fourth.getByRole("button", { name: "Link GitHub", exact: true }).click();
      await atProvider(fourth, "GitHub", katherine);
      await status(fourth, signedIn(katherine));
      const items = await rows(fourth, linked, 2);
      assert.deepEqual((await items.allTextContents()).map((t) => t.split(",")[0]).sort(), ["GitHub", "Google"]);
      assert.equal(await fourth.getByRole("button", { name: "Link GitHub", exact: true }).count(), 0);
      await rows(fourth, "Sessions of this account", 1); // linking started no session
      await shot(fourth, "13-social-linked");
    });

    it("unlinks GitHub: the list shows Google alone", async () => {
      await fourth.getByRole("button", { name: "Unlink GitHub" }).click();
      const items = await rows(fourth, linked, 1);
      assert.match(await items.first().textContent(), /^Google, linked /);
      await fourth.getByRole("button", { name: "Link GitHub", exact: true }).waitFor();
      await status(fourth, signedIn(katherine));
      assert.equal(await fourth.locator("#problem").isHidden(), true, await fourth.locator("#problem").textContent());
    });

    const oidc = { skip: !socialProviders.includes("oidc") && "DEMO_SOCIAL_PROVIDERS has no oidc" };
    it("signs in with the OpenID Connect provider as the same address: it joins the linked accounts, and unlinks", oidc, async () => {
      // With multi-session the sign-in buttons stay; a provider that vouches for the address links
      // itself to the user at sign-in (Better Auth's implicit linking).
      await pace("/sign-in/social");
      await fourth.getByRole("button", { name: "Sign in with OpenID Connect" }).click();
      await atProvider(fourth, "OpenID Connect", katherine);
      await status(fourth, signedIn(katherine));
      const items = await rows(fourth, linked, 2);
      assert.deepEqual((await items.allTextContents()).map((t) => t.split(",")[0]).sort(), ["Google", "OpenID Connect"]);
      await fourth.getByRole("button", { name: "Unlink OpenID Connect" }).click();
      await rows(fourth, linked, 1);
      await status(fourth, signedIn(katherine));
    });

    // /link-social reads the generic provider's discovery document as /sign-in/social does (an
    // authorization URL without its endpoint once left the browser on this page).
    it("links the OpenID Connect provider", oidc, async () => {
      await fourth.getByRole("button", { name: "Link OpenID Connect", exact: true }).click();
      await atProvider(fourth, "OpenID Connect", katherine);
      await rows(fourth, linked, 2);
    });
  });

  it("had no console errors, uncaught exceptions or failed requests", () => {
    assert.deepEqual([...first.faults, ...(second?.faults ?? []), ...(third?.faults ?? []), ...(fourth?.faults ?? [])], []);
  });
});
