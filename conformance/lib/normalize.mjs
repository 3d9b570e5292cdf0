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
// "expires in 1 day" distinct from "expires in 7 days" without depending on clocks.
import { createHmac } from "node:crypto";

const ID = /^[A-Za-z0-9]{32}$/;
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const SCRYPT = /^[0-9a-f]{32}:[0-9a-f]{128}$/;
// <value>.<standard base64 HMAC-SHA256 with padding> (PROTOCOL.md §4.2)
const SIGNED = /^(.+)\.([A-Za-z0-9+/]{43}=)$/;

export function sign(secret, value) {
  return createHmac("sha256", secret).update(value, "utf8").digest("base64");
}

export function createNormalizer(secret) {
  const labels = new Map();
  const labelFor = (raw) => {
    if (!labels.has(raw)) labels.set(raw, `<id#${labels.size + 1}>`);
    return labels.get(raw);
  };

  const relativeDate = (ms, refMs) => `<date ${offset(Math.round((ms - refMs) / 60000))}>`;

  // A signed value `<payload>.<sig>` whose HMAC checks out under the run's secret.
  const signed = (text) => {
    const m = SIGNED.exec(text);
    if (!m || sign(secret, m[1]) !== m[2]) return null;
    return `<signed ${string(m[1])}>`;
  };

  // Strings are masked by format, not by key, so an id is recognised wherever it is.
  const string = (s, refMs) => {
    if (ID.test(s)) return labelFor(s);
    if (refMs !== undefined && ISO_MS.test(s)) return relativeDate(Date.parse(s), refMs);
    if (SCRYPT.test(s)) return "<scrypt hash>";
    return signed(s) ?? s;
  };

  const value = (v, refMs) => {
    if (v instanceof Date) return Number.isNaN(v.getTime()) ? "<invalid date>" : relativeDate(v.getTime(), refMs);
    if (typeof v === "string") return string(v, refMs);
    if (Array.isArray(v)) return v.map((x) => value(x, refMs));
    if (v && typeof v === "object") {
      // Sorted keys: label numbering must not depend on the order a server wrote keys in.
      const out = {};
      for (const k of Object.keys(v).sort()) out[k] = value(v[k], refMs);
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
    if (!masked) return ID.test(raw) ? labelFor(raw) : raw;
    return encodeURIComponent(decoded) === raw ? masked : `${masked} (not URI-encoded as upstream)`;
  };

  return { value, cookieValue, string };
}

function offset(minutes) {
  if (minutes === 0) return "now";
  const sign = minutes > 0 ? "+" : "-";
  const m = Math.abs(minutes);
  if (m % 1440 === 0) return `now${sign}${m / 1440}d`;
  if (m % 60 === 0) return `now${sign}${m / 60}h`;
  return `now${sign}${m}m`;
}
