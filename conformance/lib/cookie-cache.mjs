// The cookie cache's three formats (PROTOCOL.md §4.5), written and read with node:crypto
// only, independently of Better Auth's code, so that the normaliser can check a cache cookie
// and scenarios can craft forged ones. test/cookie-cache.test.mjs checks them against Better
// Auth's own encoders.
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";

const b64url = (buf) => Buffer.from(buf).toString("base64url");
const fromB64url = (s) => {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) throw new Error("not base64url");
  return Buffer.from(s, "base64url");
};
const equal = (a, b) => a.length === b.length && timingSafeEqual(a, b);

// The JWE key: HKDF-SHA256 of the secret, 64 bytes; its kid is the RFC 7638 thumbprint.
export function jweKey(secret) {
  const key = Buffer.from(hkdfSync("sha256", secret, "better-auth-session", "BetterAuth.js Generated Encryption Key", 64));
  const kid = b64url(createHash("sha256").update(`{"k":"${b64url(key)}","kty":"oct"}`).digest());
  return { key, kid };
}

// A256CBC-HS512 (RFC 7518 §5.2.5): the first half of the key authenticates, the second encrypts.
function cbcTag(key, aad, iv, ciphertext) {
  const al = Buffer.alloc(8);
  al.writeBigUInt64BE(BigInt(aad.length * 8));
  return createHmac("sha512", key.subarray(0, 32)).update(Buffer.concat([aad, iv, ciphertext, al])).digest().subarray(0, 32);
}

/**
 * Encode a payload ({session, user, updatedAt, version}) as Better Auth would. now in ms,
 * maxAge in seconds. Used to craft caches (forged ones with another secret).
 */
export function encodeCache(strategy, payload, secret, { now = Date.now(), maxAge = 300 } = {}) {
  if (strategy === "compact") {
    const expiresAt = now + maxAge * 1000;
    const signature = createHmac("sha256", secret).update(JSON.stringify({ ...payload, expiresAt })).digest("base64url");
    return b64url(JSON.stringify({ session: payload, expiresAt, signature }));
  }
  const iat = Math.floor(now / 1000);
  if (strategy === "jwt") {
    const input = `${b64url(JSON.stringify({ alg: "HS256" }))}.${b64url(JSON.stringify({ ...payload, iat, exp: iat + maxAge }))}`;
    return `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
  }
  const { key, kid } = jweKey(secret);
  const header = b64url(JSON.stringify({ alg: "dir", enc: "A256CBC-HS512", kid }));
  const iv = randomBytes(16);
  const cipher = createCipheriv("aes-256-cbc", key.subarray(32), iv);
  const plain = JSON.stringify({ ...payload, iat, exp: iat + maxAge, jti: randomUUID() });
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  return `${header}..${b64url(iv)}.${b64url(ciphertext)}.${b64url(cbcTag(key, Buffer.from(header), iv, ciphertext))}`;
}

/**
 * Decode and verify a cache cookie value under the secret. Returns
 * { strategy, header?, claims } or null when the value is not a valid cache. For compact,
 * claims is the outer object {session, expiresAt, signature}, and `stringified` says
 * whether the text is exactly what JSON.stringify writes (Node verifies a compact cache by
 * re-encoding what it parsed, so any other escaping breaks it there).
 */
export function decodeCache(value, secret) {
  try {
    const parts = value.split(".");
    if (parts.length === 5) return decodeJWE(parts, secret);
    if (parts.length === 3) return decodeJWT(parts, secret);
    if (parts.length === 1) return decodeCompact(value, secret);
  } catch {
    // not a cache
  }
  return null;
}

function decodeCompact(value, secret) {
  const text = fromB64url(value).toString("utf8");
  const outer = JSON.parse(text);
  const { session, expiresAt, signature } = outer;
  if (!session || typeof session !== "object" || typeof expiresAt !== "number" || typeof signature !== "string") return null;
  const want = createHmac("sha256", secret).update(JSON.stringify({ ...session, expiresAt })).digest();
  if (!equal(fromB64url(signature), want)) return null;
  return { strategy: "compact", claims: outer, stringified: JSON.stringify(outer) === text };
}

function decodeJWT([h, p, s], secret) {
  const header = JSON.parse(fromB64url(h).toString("utf8"));
  if (header.alg !== "HS256") return null;
  if (!equal(fromB64url(s), createHmac("sha256", secret).update(`${h}.${p}`).digest())) return null;
  return { strategy: "jwt", header, claims: JSON.parse(fromB64url(p).toString("utf8")) };
}

function decodeJWE([h, encryptedKey, iv64, ct64, tag64], secret) {
  const header = JSON.parse(fromB64url(h).toString("utf8"));
  const { key, kid } = jweKey(secret);
  if (header.alg !== "dir" || header.enc !== "A256CBC-HS512" || encryptedKey !== "" || (header.kid !== undefined && header.kid !== kid)) return null;
  const iv = fromB64url(iv64);
  const ciphertext = fromB64url(ct64);
  if (!equal(fromB64url(tag64), cbcTag(key, Buffer.from(h), iv, ciphertext))) return null;
  const decipher = createDecipheriv("aes-256-cbc", key.subarray(32), iv);
  const plain = Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
  return { strategy: "jwe", header: { ...header, kid: header.kid === kid ? "<kid of the secret>" : header.kid }, claims: JSON.parse(plain) };
}
