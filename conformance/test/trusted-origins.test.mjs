// The trusted-origin table (lib/trusted-origins.mjs): its size stays within the CI budget, its
// patterns can be passed in KERNIA_TRUSTED_ORIGINS, and upstream's matcher judges the cases the
// table exists for as Better Auth 1.7.25 should.
import assert from "node:assert/strict";
import { test } from "node:test";
import { CALLBACK_CANDIDATES, ORIGIN_CANDIDATES, PATTERN_SETS, goTrustsCallback, upstreamTrusts } from "../lib/trusted-origins.mjs";

test("the table stays a few hundred requests", () => {
  const requests = Object.keys(PATTERN_SETS).length * (ORIGIN_CANDIDATES.length + CALLBACK_CANDIDATES.length);
  assert.ok(requests <= 500, `${requests} requests per side`);
});

test("no pattern holds a comma", () => {
  for (const patterns of Object.values(PATTERN_SETS)) for (const p of patterns) assert.ok(!p.includes(","), p);
});

test("upstream's matcher: address ranges admit addresses only", () => {
  assert.equal(upstreamTrusts("origins_ranges", "http://192.168.1.20", { relative: false }), true);
  assert.equal(upstreamTrusts("origins_ranges", "http://192.168.attacker.com", { relative: false }), false);
  assert.equal(upstreamTrusts("origins_ranges", "http://10.evil.com", { relative: false }), false);
});

test("upstream's matcher: a custom-scheme path is kept", () => {
  assert.equal(upstreamTrusts("origins_ranges", "myapp://callback/path/deeper", { relative: false }), true);
  assert.equal(upstreamTrusts("origins_ranges", "myapp://callback/path/%2e%2e/other", { relative: false }), false);
});

test("the deliberate difference: script and file callbacks need their scheme named", () => {
  const url = "javascript://x.wild.example.net/%0aalert(1)";
  assert.equal(upstreamTrusts("origins_ranges", url, { relative: true }), true);
  assert.equal(goTrustsCallback("origins_ranges", url), false);
  assert.equal(goTrustsCallback("origins_schemes", "javascript:alert(1)"), true);
  assert.equal(goTrustsCallback("origins_ranges", "/dashboard"), true);
});
