// A WebAuthn authenticator for the simulated browsers: nid-webauthn-emulator behind
// navigator.credentials, so that the official passkeyClient (@better-auth/passkey/client,
// through @simplewebauthn/browser) runs unchanged in Node.
//
// Both sides of a scenario run at once in this process, so navigator.credentials cannot
// belong to one browser: each call goes to the device of the async context it runs in
// (withDevice), which AsyncLocalStorage carries through the client's awaits.
import { AsyncLocalStorage } from "node:async_hooks";
import { AuthenticatorEmulator, PasskeysCredentialsMemoryRepository, WebAuthnEmulator } from "nid-webauthn-emulator";

const current = new AsyncLocalStorage();

function device() {
  const d = current.getStore();
  if (!d) throw new Error("navigator.credentials used outside withDevice()");
  return d;
}

// What @simplewebauthn/browser looks for: PublicKeyCredential (browserSupportsWebAuthn) and
// navigator.credentials.create/get.
globalThis.PublicKeyCredential ??= class PublicKeyCredential {};
if (!globalThis.navigator) Object.defineProperty(globalThis, "navigator", { value: {}, configurable: true, writable: true });
Object.defineProperty(globalThis.navigator, "credentials", {
  configurable: true,
  value: {
    create: async (options) => device().emulator.create(device().origin, options),
    get: async (options) => device().emulator.get(device().origin, options),
  },
});

/**
 * A new authenticator with a credential store of its own (emulators otherwise share one),
 * used by a page at `origin`: ES256, user verified and present, synced (BE and BS), counter
 * +1 per assertion, transports ["usb"], AAGUID "NID-AUTH-3141592".
 */
export function newDevice(origin, params = {}) {
  const authenticator = new AuthenticatorEmulator({
    algorithmIdentifiers: ["ES256"],
    signCounterIncrement: 1,
    credentialsRepository: new PasskeysCredentialsMemoryRepository(),
    ...params,
  });
  return { origin, emulator: new WebAuthnEmulator(authenticator) };
}

/** Runs fn with navigator.credentials answered by `dev`. */
export function withDevice(dev, fn) {
  return current.run(dev, fn);
}
