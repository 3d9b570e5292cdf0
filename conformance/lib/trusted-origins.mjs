// The trusted-origin table (scenarios/87-trusted-origins.mjs): sets of trusted-origin patterns
// crossed with candidate URLs, each judged by the pinned Better Auth's own matcher
// (matchesOriginPattern, auth/trusted-origins) so that the Go matcher is held to it request by
// request and the two cannot drift apart.
//
// Each pattern set is a scenario group of its own (lib/groups.mjs): both servers get it as
// KERNIA_TRUSTED_ORIGINS, beside the base URL's origin, which both trust too.
import { matchesOriginPattern } from "../node_modules/better-auth/dist/auth/trusted-origins.mjs";

export const BASE_ORIGIN = "http://localhost:3000";

// No pattern may contain a comma: KERNIA_TRUSTED_ORIGINS is comma-separated.
export const PATTERN_SETS = {
  // Address ranges, a path-pinned custom scheme, an Expo glob, a host glob.
  origins_ranges: [
    "192.168.*.*",
    "http://10.*",
    "http://172.16.?.1:*",
    "https://*.example.org",
    "https://app.example.com",
    "myapp://callback/path",
    "exp://192.168.*.*:*/**",
    "*.wild.example.net",
  ],
  // Scheme-only entries, ports, "?" and a named script scheme.
  origins_schemes: [
    "exp://",
    "myapp://",
    "javascript:",
    "http://localhost:*",
    "https://*.example.org:8443",
    "app-?.example.io",
    "*.example.net",
  ],
};

// The candidate URLs, sent as an Origin header and as a callbackURL.
const HOSTS = [
  // The base URL's origin and its neighbours.
  "http://localhost:3000", "http://localhost:3000/x?y=1#z", "http://LOCALHOST:3000", "http://localhost:3001",
  "https://localhost:3000", "http://localhost:3000.evil.com", "http://localhost", "http://localhost:5173",
  "http://localhost.evil.com",
  // Address ranges, and names that begin with their digits.
  "http://192.168.1.20", "http://192.168.1.20:8080", "https://192.168.1.20", "http://192.168.attacker.com",
  "http://192.168.0.evil.com", "http://192.168.1.1.", "http://192.168.0x1.1", "http://3232235777",
  "http://0300.0250.1.1", "http://192.168.1", "http://192.168.1.256", "http://192.168.1.20@evil.com",
  "http://evil.com@192.168.1.20", "http://192.168.1.20%2eevil.com", "http://[::ffff:192.168.1.1]",
  "http://10.0.0.1", "http://10.evil.com", "https://10.0.0.1", "http://10.0.0.1:8080/path", "http://10.1.2.3.evil.com",
  "http://172.16.5.1:3000", "http://172.16.55.1:3000", "http://172.16.x.1:3000", "http://172.16.5.1",
  // Host globs with and without a scheme.
  "https://a.example.org", "https://a.b.example.org", "http://a.example.org", "https://example.org",
  "https://example.org.evil.com", "https://a.example.org:8443", "https://a.example.org:8444", "https://A.EXAMPLE.ORG",
  "https://a.example.org.", "https://a%2eexample.org", "https://evil.com\\@a.example.org", "https:\\\\a.example.org",
  "https:/a.example.org", "https:a.example.org", "https://a.example.org\\@evil.com", "https://x.wild.example.net",
  "http://x.wild.example.net:8080", "https://wild.example.net", "https://a.example.net", "https://app-1.example.io",
  "https://app-12.example.io", "http://app-x.example.io:81",
  // An exact origin.
  "https://app.example.com", "https://app.example.com:443", "https://app.example.com/path?q#f", "https://APP.example.com",
  "https://app.example.com:444", "https://app.example.com.evil.com", "https://user:pw@app.example.com",
  // IPv6.
  "http://[::1]:3000", "http://[0:0::1]", "http://[::1]",
  // Custom schemes with paths.
  "myapp://callback/path", "myapp://callback/path/deeper", "myapp://callback/path?x=1", "myapp://callback/other",
  "myapp://callback/path/../other", "myapp://callback/path/%2e%2e/other", "myapp://callback/path/%2E%2E/other",
  "myapp://callback/path%2f..%2fother", "myapp://callback/pathology", "MYAPP://CALLBACK/path", "myapp://callback",
  "myapp://user@callback/path", "myapp:callback/path", "myapp://Callback/Path",
  // Expo.
  "exp://192.168.1.5:8081/--/home", "exp://192.168.1.5:8081", "exp://192.168.evil.com:8081/x",
  "exp://user@192.168.1.5:8081/", "exp://10.0.0.1:8081/", "exp:whatever", "exp://anything",
  // Script, data and file URLs.
  "javascript://x.wild.example.net/%0aalert(1)", "javascript://a.example.net/%0aalert(1)", "javascript:alert(1)",
  "JAVASCRIPT://x.wild.example.net/", "data:text/html,hi", "file://x.wild.example.net/etc/passwd",
  "file://evil@x.wild.example.net", "vbscript://x.wild.example.net/", "ws://x.wild.example.net", "wss://a.example.org",
  "ftp://a.wild.example.net",
  // Not origins at all.
  "null", "not a url", "https://", "http://a b.com",
];

// Only callbackURLs can hold these: relative paths, and what a header value cannot carry.
const CALLBACK_ONLY = ["/dashboard", "//evil.com", "/\\evil.com", "/%2f%2fevil.com", "/a?b=//c", " https://a.example.org", "https://a.example.org\t", "https://a.exam\nple.org"];

export const ORIGIN_CANDIDATES = HOSTS;
export const CALLBACK_CANDIDATES = [...HOSTS, ...CALLBACK_ONLY];

// Requests with "Origin: null": Better Auth judges the origin they were sent to (its scheme
// from X-Forwarded-Proto, else http, and the Host header) when Sec-Fetch-Site is same-origin.
export const NULL_ORIGIN_CASES = [
  { site: "same-origin", host: "localhost:3000" },
  { site: "same-origin", host: "evil.example" },
  { site: "cross-site", host: "localhost:3000" },
  { site: "same-origin", host: "app.example.com", proto: "https" },
  { site: "same-origin", host: "app.example.com" },
  { site: "same-origin", host: "192.168.1.20" },
  { site: "same-origin", host: "192.168.attacker.com" },
  { site: "same-origin", host: "localhost:5173" },
];

// Better Auth's answer to a cookie-bearing request with "Origin: null": null when it passes,
// else the error code.
export function upstreamNullOrigin(group, { site, host, proto }) {
  if (site !== "same-origin") return "MISSING_OR_NULL_ORIGIN";
  const origin = new URL(`${proto ?? "http"}://${host}`).origin;
  return upstreamTrusts(group, origin, { relative: false }) ? null : "INVALID_ORIGIN";
}

// The patterns a group's servers trust: the base URL's origin first, as Better Auth lists it.
export const trustedList = (group) => [BASE_ORIGIN, ...PATTERN_SETS[group]];

// Better Auth 1.7.25's verdict on url as an Origin (relative: false) or a callbackURL.
export function upstreamTrusts(group, url, { relative }) {
  return trustedList(group).some((p) => matchesOriginPattern(url, p, { allowRelativePaths: relative }));
}

// The scheme a trusted-origin entry names, as the Go side reads it (origin.go, namesScheme):
// "scheme:…", unless it is a host glob.
function namesScheme(pattern, scheme) {
  if (/[*?]/.test(pattern) && !pattern.includes("://")) return false;
  const i = pattern.indexOf(":");
  return i >= 0 && pattern.slice(0, i).toLowerCase() === scheme;
}

function schemeOf(url) {
  try {
    return new URL(url).protocol.slice(0, -1);
  } catch {
    return null;
  }
}

// The Go side's verdict on a callbackURL: Better Auth's, except that an absolute URL of another
// scheme than http(s) needs an entry naming that scheme (the deliberate difference).
export function goTrustsCallback(group, url) {
  const scheme = url.startsWith("/") ? null : schemeOf(url);
  const strict = scheme !== null && scheme !== "http" && scheme !== "https";
  return trustedList(group).some(
    (p) => (!strict || namesScheme(p, scheme)) && matchesOriginPattern(url, p, { allowRelativePaths: true }),
  );
}
