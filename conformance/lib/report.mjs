// The readable report written to report/ (gitignored) after every run.
import fs from "node:fs";
import path from "node:path";
import { show } from "./compare.mjs";
import { REPORT_DIR } from "./config.mjs";

const MAX_VALUE = 400;

function clip(s) {
  return s.length > MAX_VALUE ? s.slice(0, MAX_VALUE) + ` … (${s.length} chars)` : s;
}

function valueText(v) {
  return clip(show(v));
}

// One block per difference:
//   [scenario] side=both  #2 POST /sign-in/email › body.json.message
//     node: "Invalid email or password"
//     go:   "Invalid credentials"
export function formatDifference(scenario, d) {
  const where = [d.step, d.field].filter(Boolean).join(" › ");
  const lines = [`[${scenario}] side=${d.side}  ${where}`];
  if (d.detail) lines.push(`  ${d.detail}`);
  if (d.node !== undefined || d.go !== undefined) {
    lines.push(`  node: ${valueText(d.node)}`);
    lines.push(`  go:   ${valueText(d.go)}`);
  }
  return lines.join("\n");
}

export function writeReport({ results, meta }) {
  fs.mkdirSync(REPORT_DIR, { recursive: true });
  const passed = results.filter((r) => r.passed).length;
  const out = [];
  out.push("kernia-gen conformance report");
  for (const [k, v] of Object.entries(meta)) {
    // The pending scenarios are listed one a line, each with what the Go side lacks.
    if (k === "pending") {
      out.push(`pending: ${v.length}`);
      for (const p of v) out.push(`  ${p.name}  (${p.reason})`);
    } else out.push(`${k}: ${v}`);
  }
  out.push(`result: ${passed} passed, ${results.length - passed} failed`);
  out.push("");
  out.push("Scenarios");
  for (const r of results) out.push(`  ${r.passed ? "ok  " : "FAIL"}  ${r.name}  (${r.ms} ms)${r.notes.length ? "  [" + r.notes.join("; ") + "]" : ""}`);
  const failed = results.filter((r) => !r.passed);
  if (failed.length) {
    out.push("");
    out.push("Differences (scenario, side, step › field, Node value, Go value)");
    for (const r of failed) {
      out.push("");
      for (const d of r.differences) out.push(formatDifference(r.name, d));
    }
  }
  const txt = path.join(REPORT_DIR, "report.txt");
  fs.writeFileSync(txt, out.join("\n") + "\n");
  const json = results.map((r) => ({ ...r, differences: r.differences.map((d) => ({ ...d, node: show(d.node), go: show(d.go) })) }));
  fs.writeFileSync(path.join(REPORT_DIR, "report.json"), JSON.stringify({ meta, results: json }, null, 2) + "\n");
  return txt;
}
