// Normalisation: random values are checked for their FORMAT, then masked, so that two
// servers' answers can be compared exactly.
//
// A value is masked only when its format is right. A wrong one (a 31-character id, a
// date without milliseconds, a cookie signed with the wrong key or not URI-encoded)
// stays as it is and shows up as a difference.
//
// Masks keep identity within one side of one scenario: the first random id seen becomes
// <id#1>, the next distinct one <id#2>, and the same id seen again (in a body, a cookie,
// a database row) gets the same label. So "the token in the body is the token in the
// cookie and in session.token" is compared too, not just "both look like tokens".
//
// Dates become their offset from the moment the response (or snapshot) was taken,
// rounded to the minute: <date now>, <date now+7d>, <date now-1h>. That keeps
// "expires in 1 day" distinct from "expires in 7 days" without depending on clocks. Dates
// more than a year away are a scenario's fixed values and stay as they are.
import { createHmac } from "node:crypto";
import { decodeCache } from "./cookie-cache.mjs";
import { CACHE_COOKIE_NAMES } from "./groups.mjs";
import { oauthMasks } from "./oauth-normalize.mjs";

const ID = /^[A-Za-z0-9]{32}$/;
const YEAR_MS = 366 * 24 * 3600 * 1000;
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const SCRYPT = /^[0-9a-f]{32}:[0-9a-f]{128}$/;
// <value>.<standard base64 HMAC-SHA256 with padding> (PROTOCOL.md §4.2)
const SIGNED = /^(.+)\.([A-Za-z0-9+/]{43}=)$/;
// The cookie cache and its chunks (PROTOCOL.md §4.5), also under the names groups give it
// with advanced.cookies (lib/groups.mjs).
const RENAMED = CACHE_COOKIE_NAMES.map((n) => `|^(?:__Secure-)?${n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`).join("");
const CACHE = new RegExp(`(?:(?:^|\\.)session_data${RENAMED})$`);
const CHUNK = new RegExp(`(?:(?:^|\\.)session_data${RENAMED})\\.(\\d+)$`);
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
// The two-factor plugin's random values: backup codes ("xxxxx-xxxxx", longer with
// backupCodeOptions.length), the TOTP secret in an
// otpauth:// URI (32 random bytes in base32), the challenge's identifiers ("2fa-" and 20
// characters, also inside "2fa-attempts-…"), and trusted devices ("<base64url MAC>!trust-device-"
// and 32 characters).
const BACKUP_CODE = /^[A-Za-z0-9]{5}-[A-Za-z0-9]{5,27}$/;
const OTPAUTH_SECRET = /^(otpauth:\/\/totp\/[^?]*\?secret=)([A-Z2-7]{52})(&.*)$/;
const TWO_FACTOR_ID = /^((?:2fa-attempts-|2fa-otp-)?2fa-)([A-Za-z0-9_-]{20})$/;
const TRUST_DEVICE = /^(?:([A-Za-z0-9_-]{43})!)?trust-device-([A-Za-z0-9_-]{32})$/;
const OTP_SIGNED_IN = /^2fa-otp-([A-Za-z0-9]{32})!([A-Za-z0-9]{32})$/;
// The passkey plugin's random values: the challenge token in the better-auth-passkey cookie
// and the verification row (32 characters of [A-Za-z0-9_-]); 32 random bytes in base64url
// (the options' challenge and user.id, credential ids: 43 characters, with at least one lower
// case letter or digit so that error codes are not taken for them); a COSE public key in
// standard base64 (a CBOR map of 4 or 5 entries); a challenge row's JSON value, whose parts
// are masked in place.
const PASSKEY_TOKEN = /^[A-Za-z0-9_-]{32}$/;
const BASE64URL_32 = /^(?=.*[a-z0-9])[A-Za-z0-9_-]{43}$/;
const COSE_KEY = /^(?:pA|pQ)[A-Za-z0-9+/]{58,}={0,2}$/;
const PASSKEY_CHALLENGE_ROW = /^\{"type":"(?:registration|authentication)","expectedChallenge":/;

// Single-use tokens inside links, step labels, Location headers and verification rows: the
// 24-character reset token, the 32-character deletion token, and the HS256 JWT of
// verification links. Each is checked for its format and masked in place.
const TOKEN_IN_TEXT = /(\/reset-password\/|[?&]token=|^reset-password:|^delete-account-)([^&#?\s/]+)/g;
const TOKEN_FORMATS = [/^[A-Za-z0-9]{24}$/, /^[0-9a-z]{32}$/];
const JWT = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/;

export function sign(secret, value) {
  return createHmac("sha256", secret).update(value, "utf8").digest("base64");
}

// A JWT's times in a JSON body (the ID token claims of /account-info's data): seconds since
// the epoch, shown relative to the answer like every other moment.
const CLAIM_TIMES = new Set(["exp", "iat", "nbf", "auth_time"]);
const epochSeconds = (n) => Number.isInteger(n) && n > 1e9 && n < 1e11;

export function createNormalizer(secret) {
  const labels = new Map();
  // Ids of `advanced.database.generateId: "uuid"` (PostgreSQL's gen_random_uuid(), version 4)
  // are numbered with the others but labelled as uuids: a uuid where the other side has a
  // 32-character id stays a difference.
  const labelFor = (raw, kind = "id") => {
    if (!labels.has(raw)) labels.set(raw, `<${kind}#${labels.size + 1}>`);
    return labels.get(raw);
  };

  // A date more than a year away from the moment was set by the scenario (a birthday, say),
  // not derived from the clock: it is compared as it is, since rounding it relative to two
  // servers' different moments can land on either side of a minute.
  const relativeDate = (ms, refMs) =>
    Math.abs(ms - refMs) > YEAR_MS
      ? `<date ${new Date(ms).toISOString()}>`
      : `<date ${offset(Math.round((ms - refMs) / 60000))}>`;

  // A signed value `<payload>.<sig>` whose HMAC checks out under the run's secret.
  const signed = (text) => {
    const m = SIGNED.exec(text);
    if (!m || sign(secret, m[1]) !== m[2]) return null;
    return `<signed ${string(m[1])}>`;
  };

  // A verification JWT is masked as <jwt> only when its HS256 signature checks out under the
  // run's secret. It gets no identity label: two links signed in the same second with the
  // same claims are the same text, which is a matter of timing, not of behaviour.
  const maskToken = (token) => {
    const jwt = JWT.exec(token);
    if (jwt) return createHmac("sha256", secret).update(`${jwt[1]}.${jwt[2]}`).digest("base64url") === jwt[3] ? "<jwt>" : null;
    return TOKEN_FORMATS.some((f) => f.test(token)) ? labelFor(token) : null;
  };

  // Social sign-in's states, codes and provider tokens (lib/oauth-normalize.mjs).
  const oauth = oauthMasks({ secret, labelFor, string: (s, refMs) => string(s, refMs) });

  // Strings are masked by format, not by key, so an id is recognised wherever it is.
  const string = (s, refMs) => {
    const o = oauth.mask(s, refMs);
    if (o !== undefined) return o;
    if (ID.test(s)) return labelFor(s);
    if (UUID_V4.test(s)) return labelFor(s, "uuid");
    if (refMs !== undefined && ISO_MS.test(s)) return relativeDate(Date.parse(s), refMs);
    if (SCRYPT.test(s)) return "<scrypt hash>";
    // Before the backup codes: a random 32-character token may read as "xxxxx-" and 26 more.
    if (PASSKEY_TOKEN.test(s)) return labelFor(s);
    if (BACKUP_CODE.test(s)) return labelFor(s, "backup code");
    let m;
    if ((m = OTPAUTH_SECRET.exec(s))) return m[1] + labelFor(m[2], "totp secret") + m[3];
    if ((m = TWO_FACTOR_ID.exec(s))) return m[1] + labelFor(m[2], "2fa");
    if ((m = TRUST_DEVICE.exec(s))) return `${m[1] ? "<trust mac>!" : ""}trust-device-${labelFor(m[2], "trust")}`;
    if ((m = OTP_SIGNED_IN.exec(s))) return `2fa-otp-${labelFor(m[1])}!${labelFor(m[2])}`;
    if (BASE64URL_32.test(s)) return labelFor(s, "b64url");
    if (COSE_KEY.test(s)) return labelFor(s, "cose key");
    if (PASSKEY_CHALLENGE_ROW.test(s)) {
      try {
        return JSON.stringify(value(JSON.parse(s), refMs));
      } catch {
        return s;
      }
    }
    return signed(s) ?? s.replace(TOKEN_IN_TEXT, (all, prefix, token) => prefix + (maskToken(token) ?? token));
  };

  const value = (v, refMs) => {
    if (v instanceof Date) return Number.isNaN(v.getTime()) ? "<invalid date>" : relativeDate(v.getTime(), refMs);
    if (typeof v === "string") return string(v, refMs);
    if (Array.isArray(v)) return v.map((x) => value(x, refMs));
    if (v && typeof v === "object") {
      // Sorted keys: label numbering must not depend on the order a server wrote keys in.
      const out = {};
      for (const k of Object.keys(v).sort()) out[k] = CLAIM_TIMES.has(k) && epochSeconds(v[k]) ? relative(v[k], refMs, "s") : value(v[k], refMs);
      return out;
    }
    return v;
  };

  // A cookie value on the wire: signed values must be encodeURIComponent'ed exactly
  // (PROTOCOL.md §4.2). An unencoded or differently encoded one is labelled as such.
  const cookieValue = (raw) => {
    if (raw === "") return "";
    let decoded = raw;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      return raw;
    }
    const masked = signed(decoded);
    if (!masked) return oauth.mask(raw) ?? (ID.test(raw) ? labelFor(raw) : raw);
    return encodeURIComponent(decoded) === raw ? masked : `${masked} (not URI-encoded as upstream)`;
  };

  // Epoch times in the cookie cache, in milliseconds or seconds, relative like dates.
  const relative = (n, refMs, unit) => (typeof n === "number" ? `<${unit} ${offset(Math.round((n * (unit === "s" ? 1000 : 1) - refMs) / 60000))}>` : n);

  // A cookie cache value: decoded and verified under the run's secret (signature, or
  // decryption and kid), then shown with its times relative and its random parts labelled.
  // A value that does not verify stays as it is.
  const cacheValue = (raw, refMs) => {
    const d = decodeCache(raw, secret);
    if (!d) return raw;
    const c = { ...d.claims };
    if (d.strategy === "compact") {
      c.expiresAt = relative(c.expiresAt, refMs, "ms");
      c.signature = "<valid>";
      c.session = { ...c.session, updatedAt: relative(c.session.updatedAt, refMs, "ms") };
    } else {
      c.updatedAt = relative(c.updatedAt, refMs, "ms");
      c.iat = relative(c.iat, refMs, "s");
      c.exp = relative(c.exp, refMs, "s");
      if ("jti" in c) c.jti = UUID_V4.test(c.jti) ? "<uuid>" : c.jti;
    }
    const note = d.stringified === false ? " (not written as JSON.stringify)" : "";
    return `<cache ${d.strategy}${note} ${JSON.stringify(value({ header: d.header, claims: c }, refMs))}>`;
  };

  // The Set-Cookie lines of one response, parsed ({name, value, attributes}), as compared:
  // signed values and ids masked, a cookie cache decoded, and its chunks joined first so
  // that the whole value is checked (shown on the first chunk).
  const setCookies = (parsed, refMs) => {
    const index = (c) => Number(CHUNK.exec(c.name)[1]);
    const chunks = parsed.filter((c) => CHUNK.test(c.name) && c.value !== "").sort((a, b) => index(a) - index(b));
    const joined = chunks.map((c) => c.value).join("");
    return parsed.map((c) => {
      let v;
      if (c.value !== "" && CACHE.test(c.name)) v = cacheValue(c.value, refMs);
      else if (c.value !== "" && CHUNK.test(c.name)) {
        const whole = index(c) === 0 ? `: ${cacheValue(joined, refMs)}` : "";
        v = `<cache chunk ${index(c) + 1} of ${chunks.length}, ${c.value.length} characters${whole}>`;
      } else v = cookieValue(c.value);
      return [`${c.name}=${v}`, ...c.attributes].join("; ");
    });
  };

  return { value, cookieValue, string, setCookies, note: oauth.note };
}

function offset(minutes) {
  if (minutes === 0) return "now";
  const sign = minutes > 0 ? "+" : "-";
  const m = Math.abs(minutes);
  if (m % 1440 === 0) return `now${sign}${m / 1440}d`;
  if (m % 60 === 0) return `now${sign}${m / 60}h`;
  return `now${sign}${m}m`;
}
