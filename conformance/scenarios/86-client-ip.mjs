// The client address of a Go server reached directly (group "client_ip": no proxy trusted,
// KERNIA_TRUSTED_PROXIES=""): it is the connection's address, here the harness's 127.0.0.1,
// and X-Forwarded-For is ignored. Upstream sees only headers and believes a single-value
// X-Forwarded-For from anyone, so a client that forges a new one per request dodges every
// limit there. These are deliberate differences (docs/differences.md), asserted as such.
//
// The Node side is the "ratelimit" group's server (lib/groups.mjs, nodeFrom), which keeps its
// counts between scenarios: every request here names an address of 203.0.113.0/24 of its own
// on that side. The Go side counts everything under 127.0.0.1, so each scenario uses paths
// no other scenario of this file uses.

const xff = (i) => ({ "x-forwarded-for": `203.0.113.${i}` });
const TOO_MANY = "Too many requests. Please try again later.";

// The 4th and later of a run of requests to one path: Node lets them through, Go answers the
// rate limiter's 429.
function limitedFrom(nth, step, nodeStatus) {
  const late = (label) => {
    const m = /^#(\d+) /.exec(label);
    return m && Number(m[1]) >= nth;
  };
  return [
    {
      step, field: /^status$/, why: "forged X-Forwarded-For is ignored: one client, one count",
      check: (node, go) => (node === nodeStatus && go === 429) || `want Node ${nodeStatus}, Go 429`,
    },
    {
      step, field: /^(body\.json(\.\w+)?|headers\.x-retry-after)$/, why: "the 429 body and X-Retry-After",
      check: (node, go) => go === TOO_MANY || go === undefined || /^\d+$/.test(go) || "want the 429 message and X-Retry-After",
    },
  ].map((e) => ({ ...e, step: { test: (label) => e.step.test(label) && late(label) } }));
}

export default [
  {
    // The attack: 8 wrong passwords in a row, each with a new X-Forwarded-For. The
    // sign-in rule is 3 per 10 s.
    name: "client IP: sign-in limit holds against forged X-Forwarded-For",
    group: "client_ip",
    async run(t) {
      for (let i = 1; i <= 8; i++) {
        await t.request("POST", "/sign-in/email", { json: { email: t.email("victim"), password: "wrong-password" }, headers: xff(10 + i) });
      }
    },
    expectDifference: limitedFrom(4, /POST \/sign-in\/email/, 401),
  },
  {
    // The mail-sending rule, 3 per minute: the forged header does not buy more tries. The
    // group has no mailer, so both sides answer 400 until Go's 429; the emitted test
    // TestRateLimitForgedForwardedFor counts the mails.
    name: "client IP: reset-mail limit holds against forged X-Forwarded-For",
    group: "client_ip",
    db: false,
    async run(t) {
      for (let i = 1; i <= 5; i++) {
        await t.request("POST", "/request-password-reset", { json: { email: t.email("victim") }, headers: xff(20 + i) });
      }
    },
    expectDifference: limitedFrom(4, /POST \/request-password-reset/, 400),
  },
  {
    // The session records the connection's address, not the one the client claims.
    name: "client IP: the session records the peer address",
    group: "client_ip",
    async run(t) {
      const b = t.browser();
      await b.request("POST", "/sign-up/email", {
        json: { name: "Alice", email: t.email("alice"), password: "password123" }, headers: xff(50),
      });
      await b.request("GET", "/get-session", { headers: xff(51) });
    },
    expectDifference: [{
      step: /GET \/get-session|database/, field: /ipAddress$/, why: "the client address is the connection's",
      check: (node, go) => (node === "203.0.113.50" && go === "127.0.0.1") || "want Node 203.0.113.50 (the header), Go 127.0.0.1 (the peer)",
    }],
  },
  {
    // Made-up paths count under one key per client on the Go side, so they cannot fill the
    // store; upstream keeps a count per path. The general limit is 100 per 10 s.
    name: "client IP: made-up paths share one count",
    group: "client_ip",
    db: false,
    exchangeFields: ["status"],
    async run(t) {
      for (let i = 1; i <= 101; i++) await t.request("GET", `/made-up-${i}`, { headers: xff(60) });
    },
    expectDifference: [{
      step: /^#101 GET \/made-up-101$/, field: /^status$/, why: "paths that name no endpoint share one count per client",
      check: (node, go) => (node === 404 && go === 429) || "want Node 404, Go 429",
    }],
  },
];
