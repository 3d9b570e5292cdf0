// The rate limiter (PROTOCOL.md §7.2; upstream api/rate-limiter/index.ts), with the memory
// store (group "ratelimit") and the database store (group "ratelimit_db", the "rateLimit"
// table). Each group's servers live for the whole run and keep their counts between
// scenarios, so every scenario counts under addresses of its own. Requests that fail fast
// (validation, 404, 415) are used wherever the answer does not matter: the X-Retry-After
// value depends on the time since the last request let through, so it must stay under 1 s.
//
// The client address reaches both servers through X-Forwarded-For: the Go side trusts the
// harness's loopback as a proxy and Node walks chains with the same trusted list
// (KERNIA_TRUSTED_PROXIES, lib/servers.mjs). The Go side reached directly, and its one count
// for all paths that name no endpoint, are in scenarios/86-client-ip.mjs.

const sign = (xff) => (xff === undefined ? {} : { "x-forwarded-for": xff });

// Statuses of a run of requests, checked on each side so that a scenario cannot pass by
// both servers failing to limit.
function expectStatuses(t, what, got, want) {
  t.check(got.join(",") === want.join(","), what, `statuses ${got.join(",")}, want ${want.join(",")}`);
}

// In the database group, records the "rateLimit" rows of these keys (id, key, count, and
// whether lastRequest is a recent epoch-milliseconds value), so that the two sides' tables
// are compared too.
async function recordRows(t, keys, name = "rateLimit rows") {
  if (t.server.group.name !== "ratelimit_db") return;
  const { rows } = await t.sql(`select "id", "key", "count", "lastRequest" from "rateLimit" where "key" = any($1) order by "key"`, [keys]);
  const now = Date.now();
  t.record(name, rows.map((r) => ({
    id: r.id, key: r.key, count: r.count,
    lastRequestRecent: Math.abs(now - Number(r.lastRequest)) < 60_000,
  })));
}

function scenarios(groupName, n) {
  const label = groupName === "ratelimit" ? "rate-limit" : "rate-limit (database)";
  // Addresses of 198.51.0.0/16 and 2001:db8::/32 (documentation ranges); n keeps the groups apart.
  const ip = (i) => `198.51.${100 + n}.${i}`;
  const list = [
    {
      // 3 per 10 s on /sign-in*, counted before routing and before the body and origin
      // checks: a wrong password, a 415, a trailing-slash 404 and a query all count under
      // "/sign-in/email", and the refusal comes before the 404 of a wrong method.
      name: `${label}: sign-in allows 3, then 429`,
      group: groupName,
      async run(t) {
        const h = sign(ip(1));
        const got = [];
        got.push((await t.request("POST", "/sign-in/email", { json: { email: t.email("nobody"), password: "password123" }, headers: h })).status);
        got.push((await t.request("POST", "/sign-in/email/?x=1", { json: {}, headers: h })).status);
        got.push((await t.request("POST", "/sign-in/email", { body: "x", headers: { ...h, "content-type": "text/plain" } })).status);
        got.push((await t.request("POST", "/sign-in/email", { json: { email: t.email("nobody"), password: "password123" }, headers: h })).status);
        got.push((await t.request("GET", "/sign-in/email", { headers: h })).status);
        expectStatuses(t, "sign-in limit", got, [401, 404, 415, 429, 429]);
        // The official client sees the refusal as an error with status 429.
        const b = t.browser();
        await t.call("client signIn", b.client.signIn.email(
          { email: t.email("nobody"), password: "password123" },
          { headers: h },
        ));
        await recordRows(t, [`${ip(1)}|/sign-in/email`]);
      },
    },
    {
      // The general limit, 100 per 10 s, on any other path; other paths keep their own count.
      // (A path that names no endpoint counts under a key of its own on the Go side,
      // scenarios/86-client-ip.mjs, so its row is not compared.)
      name: `${label}: general limit of 100`,
      group: groupName,
      async run(t) {
        const h = sign(ip(2));
        const got = [];
        for (let i = 0; i < 101; i++) got.push((await t.request("GET", "/ok", { headers: h })).status);
        expectStatuses(t, "general limit", got, [...Array(100).fill(200), 429]);
        await t.request("GET", "/get-session", { headers: h });
        await t.request("GET", "/no-such-endpoint", { headers: h });
        await recordRows(t, [`${ip(2)}|/ok`, `${ip(2)}|/get-session`]);
      },
    },
    {
      // One count per address and path. A failed origin check counts as well.
      name: `${label}: separate counts per address`,
      group: groupName,
      async run(t) {
        const [a, b] = [sign(ip(3)), sign(ip(4))];
        await t.request("POST", "/sign-up/email", { json: {}, headers: a });
        await t.request("POST", "/sign-up/email", { json: {}, headers: { ...a, cookie: "x=y", origin: "https://evil.example" } });
        await t.request("POST", "/sign-up/email", { json: {}, headers: b });
        await t.request("POST", "/sign-up/email", { json: {}, headers: a });
        await t.request("POST", "/sign-up/email", { json: {}, headers: a });
        await t.request("POST", "/sign-up/email", { json: {}, headers: b });
        await t.request("POST", "/sign-in/email", { json: {}, headers: a });
        await recordRows(t, [`${ip(3)}|/sign-up/email`, `${ip(4)}|/sign-up/email`, `${ip(3)}|/sign-in/email`]);
      },
    },
    {
      // IPv6 clients are counted by their /64; IPv4-mapped addresses as IPv4.
      name: `${label}: IPv6 /64 and IPv4-mapped addresses share a count`,
      group: groupName,
      async run(t) {
        const net = `2001:db8:${n}:85`;
        for (const addr of [`${net}::1`, `${net}:ffff:ffff:ffff:ffff`, `${net.toUpperCase()}:1:2:3:4`, `${net}::9`, `2001:db8:${n}:86::1`]) {
          await t.request("POST", "/sign-in/email", { json: {}, headers: sign(addr) });
        }
        for (const addr of [`::ffff:${ip(5)}`, ip(5), `::ffff:${ip(5)}`, ip(5)]) {
          await t.request("POST", "/sign-in/email", { json: {}, headers: sign(addr) });
        }
        const v6 = (net) => `2001:0db8:000${n}:00${net}:0000:0000:0000:0000`;
        await recordRows(t, [`${v6(85)}|/sign-in/email`, `${v6(86)}|/sign-in/email`, `${ip(5)}|/sign-in/email`]);
      },
    },
    {
      // A trusted proxy (the harness's loopback) that names no usable client (no header,
      // garbage, a chain of trusted hops only): every such request counts in one shared bucket
      // per path, fail closed. Node keys it "no-trusted-ip"; the Go side by the proxy's own
      // address, since it knows it (docs/differences.md).
      name: `${label}: requests without a client address share one count`,
      group: groupName,
      async run(t) {
        const got = [];
        for (const xff of [undefined, "not-an-ip", `garbage, 127.0.0.1`, undefined]) {
          got.push((await t.request("POST", "/sign-up/email", { json: {}, headers: sign(xff) })).status);
        }
        expectStatuses(t, "shared bucket", got, [400, 400, 400, 429]);
        await t.request("POST", "/sign-up/email", { json: {}, headers: sign(`${ip(6)}, 127.0.0.1`) });
        await recordRows(t, [`${ip(6)}|/sign-up/email`]);
        await recordRows(t, ["no-trusted-ip|/sign-up/email"], "row no-trusted-ip");
        await recordRows(t, ["127.0.0.1|/sign-up/email"], "row of the proxy");
      },
      ...(groupName === "ratelimit_db" ? {
        expectDifference: [{
          step: /^record row (no-trusted-ip|of the proxy)/, field: /.*/,
          why: "a trusted proxy that names no client is counted by its own address (docs/differences.md)",
          check: (node, go) => (node?.key === "no-trusted-ip|/sign-up/email" && node.count === 3 && go === undefined) ||
            (go?.key === "127.0.0.1|/sign-up/email" && go.count === 3 && node === undefined) ||
            "want the count of 3 under no-trusted-ip on Node, under the proxy's 127.0.0.1 on Go",
        }],
      } : {}),
    },
  ];
  if (groupName === "ratelimit_db") {
    list.push({
      // The window restarts once it has passed since the last request let through. The row
      // is moved 10 s into the past instead of sleeping.
      name: `${label}: the count restarts after the window`,
      group: groupName,
      async run(t) {
        const h = sign(ip(8));
        const got = [];
        for (let i = 0; i < 4; i++) got.push((await t.request("POST", "/sign-in/email", { json: {}, headers: h })).status);
        await t.sql(`update "rateLimit" set "lastRequest" = "lastRequest" - 10000 where "key" = $1`, [`${ip(8)}|/sign-in/email`]);
        await recordRows(t, [`${ip(8)}|/sign-in/email`]);
        for (let i = 0; i < 4; i++) got.push((await t.request("POST", "/sign-in/email", { json: {}, headers: h })).status);
        expectStatuses(t, "window restart", got, [400, 400, 400, 429, 400, 400, 400, 429]);
        await recordRows(t, [`${ip(8)}|/sign-in/email`]);
      },
    });
  }
  return list;
}

export default [...scenarios("ratelimit", 1), ...scenarios("ratelimit_db", 2)];
