// Prints the Node-issued cookie cache vectors that the emitted package's own tests check
// (templates/package/core/cookie_cache_test.go.tmpl): for each strategy, the cookies that
// Better Auth 1.7.25 sets at sign-up, with a fixed secret, and the time they were issued.
//
//   node conformance/vectors/cookie-cache.mjs > /tmp/vectors.json
//
// The values are random (ids, tokens, the JWE's IV and jti) and time-dependent, so a run
// gives new ones; the Go tests pin their clock to `issuedAt` to check them.
import { betterAuth } from "better-auth";
import { memoryAdapter } from "better-auth/adapters/memory";

const SECRET = "test-secret-that-is-long-enough-0123456789abcdef";
// JSON.stringify writes <, >, & and U+2028 as they are; a long name makes the JWE chunked.
const NAME = "Ada <&> \u2028 \u00e9";

async function vector(strategy, { name = NAME, rememberMe } = {}) {
  const db = { user: [], session: [], account: [], verification: [] };
  const auth = betterAuth({
    database: memoryAdapter(db),
    secret: SECRET,
    baseURL: "http://localhost:3000",
    emailAndPassword: { enabled: true },
    session: { cookieCache: { enabled: true, strategy } },
    telemetry: { enabled: false },
  });
  const headers = new Headers({ "user-agent": "vector-agent", "x-forwarded-for": "10.0.0.1" });
  const issuedAt = Date.now();
  const r = await auth.api.signUpEmail({
    body: { name, email: "Ada@Example.com", password: "password123", image: "https://example.com/a.png", rememberMe },
    headers,
    returnHeaders: true,
  });
  const cookies = r.headers.getSetCookie().map((line) => line.split(";")[0]);
  return { strategy, issuedAt, cookie: cookies.join("; "), session: db.session[0], user: db.user[0] };
}

const out = [
  await vector("compact"),
  await vector("jwt"),
  await vector("jwe"),
  await vector("compact", { rememberMe: false }),
  await vector("jwe", { name: "x".repeat(4000) }),
];
process.stdout.write(JSON.stringify(out, null, 2) + "\n");
