// TOTP codes computed in the harness from an otpauth:// URI (RFC 6238: HMAC-SHA1, the digits
// and step the URI states, 6 and 30 s by default), as an authenticator app computes them, with
// node:crypto only.
import { createHmac } from "node:crypto";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export function base32Decode(text) {
  let bits = 0, value = 0;
  const out = [];
  for (const c of text.toUpperCase().replace(/=+$/, "")) {
    const i = ALPHABET.indexOf(c);
    if (i < 0) throw new Error(`not base32: ${c}`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export function hotp(key, counter, digits = 6) {
  const buf = Buffer.alloc(8);
  buf.writeBigUInt64BE(BigInt(counter));
  const h = createHmac("sha1", key).update(buf).digest();
  const o = h[h.length - 1] & 15;
  const n = ((h[o] & 127) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3];
  return String(n % 10 ** digits).padStart(digits, "0");
}

/** The code of the URI's secret `steps` steps (of the URI's period) from now. */
export function totpFromURI(uri, steps = 0) {
  const params = new URL(uri).searchParams;
  const digits = Number(params.get("digits") ?? 6);
  const period = Number(params.get("period") ?? 30);
  return hotp(base32Decode(params.get("secret")), Math.floor(Date.now() / (period * 1000)) + steps, digits);
}
