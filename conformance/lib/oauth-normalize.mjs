// The random values of social sign-in (docs/upstream/social.md), checked for their format and
// then masked, like every other random value (lib/normalize.mjs):
//
// - OAuth query parameters in any URL or step label: `state` and `nonce` (32 characters of
//   better-auth's 64-character alphabet) are labelled by identity, <state#n> and <nonce#n>,
//   so the state of the authorization URL, the state cookie and the callback are compared as
//   one value; `code_challenge` (43 base64url characters) becomes <S256 challenge>; `code`,
//   the provider's, becomes <code>.
// - The Go side's provider endpoints (overrides pointing at the local identity provider,
//   http://127.0.0.1:<port>/<host>/…) read as the real https://<host>/… that Node uses.
// - Provider tokens in rows and bodies: Google's, GitHub's and Apple's access tokens and Google's
//   and Apple's refresh tokens (the local IdP's formats), labelled by identity; RS256 ID tokens shown as
//   their claims, times relative; tokens encrypted with account.encryptOAuthTokens shown as
//   what they decrypt to under the run's secret (a value that does not decrypt stays as it is).
import { createHash, hkdfSync } from "node:crypto";
import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import { hexToBytes, managedNonce } from "@noble/ciphers/utils.js";
import { PROVIDER_HOSTS } from "../servers/idp.mjs";

const STATE = /^[A-Za-z0-9_-]{32}$/;
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const PARAM = /([?&])(state|nonce|code|code_challenge|id_token_hint|accountId)=([^&#\s"]*)/g;
const ID = /^[A-Za-z0-9]{32}$/;
const IDP_ALIAS = new RegExp(`http://127\\.0\\.0\\.1:\\d+/(${PROVIDER_HOSTS.map((h) => h.replace(/\./g, "\\.")).join("|")})(?=/)`, "g");
const PROVIDER_TOKENS = [
  [/^ya29\.[A-Za-z0-9_-]{20,}$/, "google access token"],
  [/^1\/\/0[A-Za-z0-9_-]{20,}$/, "google refresh token"],
  [/^gho_[A-Za-z0-9]{36}$/, "github access token"],
  [/^a[0-9a-f]{32}\.0\.[A-Za-z0-9]{4}\.[A-Za-z0-9_-]{32}$/, "apple access token"],
  [/^r[0-9a-f]{32}\.0\.[A-Za-z0-9]{4}\.[A-Za-z0-9_-]{32}$/, "apple refresh token"],
  [/^eyJ0eXAiOiJKV1Qi\.[A-Za-z0-9_-]{60,}$/, "microsoft access token"],
  [/^1\.AR[A-Za-z0-9_-]{100,}$/, "microsoft refresh token"],
  [/^[A-Za-z0-9]{30}$/, "discord token"],
];
const RS256 = /^(eyJ[A-Za-z0-9_-]*)\.(eyJ[A-Za-z0-9_-]*)\.([A-Za-z0-9_-]{300,})$/;
const ENCRYPTED = /^(?:\$ba\$\d+\$)?((?:[0-9a-f]{2}){41,})$/;
const STATE_ID = /^auth-state:(.+)$/;

// better-auth's symmetricDecrypt (docs/upstream/social.md §10): XChaCha20-Poly1305 under
// SHA-256 of the key string, nonce first, hex; null when it does not decrypt.
export function symmetricDecrypt(keyString, hex) {
  try {
    const key = createHash("sha256").update(keyString, "utf8").digest();
    return new TextDecoder("utf-8", { fatal: true }).decode(managedNonce(xchacha20poly1305)(key).decrypt(hexToBytes(hex)));
  } catch {
    return null;
  }
}

// derivePurposeKey: the hex of HKDF-SHA256(secret, "better-auth:oauth-encryption:v1",
// "better-auth:<purpose>:v1", 32 bytes), itself used as a key string.
export function purposeKey(secret, purpose) {
  return Buffer.from(hkdfSync("sha256", secret, "better-auth:oauth-encryption:v1", `better-auth:${purpose}:v1`, 32)).toString("hex");
}

function decodePart(part) {
  try {
    return JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  } catch {
    return null;
  }
}

export function oauthMasks({ secret, labelFor, string }) {
  const known = new Map(); // state or nonce → kind, as met in URLs

  // Registers the states and nonces of every URL in `text` before anything is masked, so
  // that a state met first in a cookie gets the same label as in the URL.
  const note = (text) => {
    if (typeof text !== "string") return;
    for (const m of text.matchAll(PARAM)) param(m[2], m[3]);
  };

  const decrypt = (hex) => symmetricDecrypt(secret, hex);

  const idToken = (s, refMs) => {
    const m = RS256.exec(s);
    if (!m) return undefined;
    const header = decodePart(m[1]);
    const claims = decodePart(m[2]);
    if (!header || !claims || typeof claims !== "object" || !/^(RS|ES|PS)\d{3}$/.test(header.alg)) return undefined;
    const out = {};
    for (const k of Object.keys(claims).sort()) {
      const v = claims[k];
      out[k] = ["iat", "exp", "nbf", "auth_time"].includes(k) && typeof v === "number"
        ? `<s ${Math.round((v * 1000 - (refMs ?? Date.now())) / 60000)}m>`
        : typeof v === "string" ? string(v, refMs) : v;
    }
    return `<id token ${header.alg} ${JSON.stringify(out)}>`;
  };

  const param = (name, raw) => {
    let v = raw;
    try {
      v = decodeURIComponent(raw);
    } catch {
      return raw;
    }
    if ((name === "state" || name === "nonce") && STATE.test(v)) {
      if (!known.has(v)) known.set(v, name);
      return labelFor(v, known.get(v));
    }
    if (name === "code_challenge") return CHALLENGE.test(v) ? "<S256 challenge>" : raw;
    if (name === "code") return v === "" ? raw : "<code>";
    if (name === "id_token_hint") return idToken(v) ?? raw;
    if (name === "accountId") return ID.test(v) ? labelFor(v) : raw;
    return raw;
  };

  // The oauth_state cookie of the cookie strategy: the state JSON encrypted under the
  // "oauth-state-cookie" purpose key, shown as its [key, value] pairs in order.
  const stateCookie = (hex, refMs) => {
    const plain = symmetricDecrypt(purposeKey(secret, "oauth-state-cookie"), hex);
    if (plain === null) return undefined;
    let json;
    try {
      json = JSON.parse(plain);
    } catch {
      return `<oauth state, not JSON: ${plain.slice(0, 40)}>`;
    }
    if (typeof json?.oauthState === "string" && STATE.test(json.oauthState) && !known.has(json.oauthState)) known.set(json.oauthState, "state");
    const pairs = Object.entries(json).map(([k, v]) => {
      if (k === "codeVerifier") return [k, /^[A-Za-z0-9_-]{128}$/.test(v) ? "<verifier>" : v];
      if (k === "expiresAt" && typeof v === "number") return [k, `<ms ${Math.round((v - (refMs ?? Date.now())) / 60000)}m>`];
      return [k, typeof v === "string" ? string(v, refMs) : v];
    });
    return `<oauth state ${JSON.stringify(pairs)}>`;
  };

  // The masked form of `s`, or undefined when none of these formats applies.
  const mask = (s, refMs) => {
    if (known.has(s)) return labelFor(s, known.get(s));
    for (const [re, kind] of PROVIDER_TOKENS) if (re.test(s)) return labelFor(s, kind);
    const st = STATE_ID.exec(s);
    if (st && known.has(st[1])) return `auth-state:${labelFor(st[1], "state")}`;
    const jwt = idToken(s, refMs);
    if (jwt) return jwt;
    const enc = ENCRYPTED.exec(s);
    if (enc) {
      const plain = decrypt(enc[1]);
      if (plain !== null) return `<encrypted ${string(plain, refMs)}>`;
      const st = stateCookie(enc[1], refMs);
      if (st) return st;
    }
    if (!s.includes("=") && !s.includes("127.0.0.1")) return undefined;
    const out = s.replace(IDP_ALIAS, (_all, host) => `https://${host}`).replace(PARAM, (_all, sep, name, raw) => `${sep}${name}=${param(name, raw)}`);
    return out === s ? undefined : out;
  };

  return { note, mask };
}
