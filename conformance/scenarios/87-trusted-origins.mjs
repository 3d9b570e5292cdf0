// The trusted-origin table (lib/trusted-origins.mjs): every candidate URL of the table, as the
// Origin of a cookie-bearing POST and as a callbackURL, against each set of trusted-origin
// patterns. Each answer is compared with Node's, and on each side the verdict must be the one
// the pinned Better Auth's own matcher gives (matchesOriginPattern), so the Go matcher cannot
// drift from upstream's unnoticed.
//
// One difference is deliberate (README "Deliberate differences"): an absolute callbackURL whose
// scheme is not http(s) is refused with 403 INVALID_CALLBACK_URL unless a trusted origin names
// that scheme; Better Auth admits javascript://x.example.net/… and file://x.example.net/… when
// a host glob (*.example.net) matches their host. Those requests are asserted as such.
//
// The endpoint is /send-verification-email, which these groups leave disabled: past the origin
// check it answers a fixed 400 without touching the database, so each request costs little.
import {
  CALLBACK_CANDIDATES, NULL_ORIGIN_CASES, ORIGIN_CANDIDATES, PATTERN_SETS, goTrustsCallback, upstreamNullOrigin, upstreamTrusts,
} from "../lib/trusted-origins.mjs";

// In self-test both sides are Node: the Go side's deliberate answers are not checked there.
const SELF_TEST = Boolean(process.env.CONFORMANCE_SELF_TEST && process.env.CONFORMANCE_SELF_TEST !== "0");

const ENDPOINT = "/send-verification-email";
const refused = (res, code) => res.status === 403 && res.data?.code === code;

// The Origin of a request that carries a cookie must be trusted (403 INVALID_ORIGIN, or
// MISSING_OR_NULL_ORIGIN for "null").
function originScenario(group) {
  return {
    name: `trusted origins (${group}): Origin header`,
    group,
    db: false,
    async run(t) {
      const b = t.browser();
      for (const url of ORIGIN_CANDIDATES) {
        const res = await b.request("POST", ENDPOINT, { json: { email: t.email("o") }, headers: { origin: url, cookie: "unrelated=1" } });
        const want = url === "null" ? "MISSING_OR_NULL_ORIGIN" : upstreamTrusts(group, url, { relative: false }) ? null : "INVALID_ORIGIN";
        const ok = want ? refused(res, want) : res.status !== 403;
        t.check(ok, `Origin ${JSON.stringify(url)}: ${want ?? "trusted"}`, `answered ${res.status} ${res.text.slice(0, 200)}`);
      }
    },
  };
}

// "Origin: null" is refused, unless Sec-Fetch-Site says same-origin: then the origin the
// request was sent to (X-Forwarded-Proto or http, and Host) must be trusted. Sent through
// node:http, which lets the Host header be set.
function nullOriginScenario(group) {
  return {
    name: `trusted origins (${group}): Origin null`,
    group,
    db: false,
    async run(t) {
      const b = t.browser();
      for (const c of NULL_ORIGIN_CASES) {
        const headers = { origin: "null", cookie: "unrelated=1", host: c.host, "sec-fetch-site": c.site, ...(c.proto ? { "x-forwarded-proto": c.proto } : {}) };
        const res = await b.request("POST", ENDPOINT, { json: { email: t.email("n") }, headers, plain: true });
        const want = upstreamNullOrigin(group, c);
        const ok = want ? refused(res, want) : res.status !== 403;
        t.check(ok, `Origin null from ${JSON.stringify(c)}: ${want ?? "trusted"}`, `answered ${res.status} ${res.text.slice(0, 200)}`);
      }
    },
  };
}

// Every callbackURL must be trusted or a safe relative path (403 INVALID_CALLBACK_URL); on the
// Go side, non-http(s) schemes need a trusted origin naming them.
function callbackScenario(group) {
  const deliberate = CALLBACK_CANDIDATES.map((url, i) => ({ url, i })).filter(
    ({ url }) => upstreamTrusts(group, url, { relative: true }) && !goTrustsCallback(group, url),
  );
  return {
    name: `trusted origins (${group}): callbackURL`,
    group,
    db: false,
    async run(t) {
      const b = t.browser();
      for (const url of CALLBACK_CANDIDATES) {
        const res = await b.request("POST", ENDPOINT, { json: { email: t.email("c"), callbackURL: url }, noOrigin: true });
        const trusted = t.side === "go" && !SELF_TEST ? goTrustsCallback(group, url) : upstreamTrusts(group, url, { relative: true });
        const ok = trusted ? res.status !== 403 : refused(res, "INVALID_CALLBACK_URL");
        t.check(ok, `callbackURL ${JSON.stringify(url)}: ${trusted ? "trusted" : "INVALID_CALLBACK_URL"}`, `answered ${res.status} ${res.text.slice(0, 200)}`);
      }
    },
    // Asserted above on the Go side; the comparison requires the difference where it is due.
    expectDifference: deliberate.map(({ url, i }) => ({
      step: new RegExp(`^#${i + 1} `),
      field: /^(status|body\.json\.(code|message))$/,
      why: `a non-http(s) callbackURL needs a trusted origin naming its scheme: ${url}`,
      check: (node, go) => go === 403 || go === "INVALID_CALLBACK_URL" || go === "Invalid callbackURL" || `Go answered ${go}`,
    })),
  };
}

export default Object.keys(PATTERN_SETS).flatMap((group) => [originScenario(group), nullOriginScenario(group), callbackScenario(group)]);
