// Structural comparison of the two sides' normalised results.

const ABSENT = "(absent)";

export function show(v) {
  if (v === undefined) return ABSENT;
  return typeof v === "string" ? JSON.stringify(v) : JSON.stringify(v, null, 0);
}

// Deep difference of two normalised values. Object key order does not matter; array
// order does. Returns [{ path, node, go }] with the raw (unshown) values.
export function diff(a, b, path = "") {
  if (Object.is(a, b)) return [];
  const bothObjects = a && b && typeof a === "object" && typeof b === "object";
  if (bothObjects && Array.isArray(a) === Array.isArray(b)) {
    const out = [];
    if (Array.isArray(a)) {
      for (let i = 0; i < Math.max(a.length, b.length); i++) out.push(...diff(a[i], b[i], `${path}[${i}]`));
    } else {
      const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
      for (const k of keys) out.push(...diff(a[k], b[k], path ? `${path}.${k}` : k));
    }
    return out;
  }
  return [{ path, node: a, go: b }];
}

/**
 * Compare the normalised results of both sides of a scenario.
 * Each side: { steps: [{label, ...exchange}], records: {name: value}, db: {table: rows} }
 * Returns [{ side: "both", step, field, node, go }].
 */
export function compareSides(node, go) {
  const out = [];
  const n = Math.max(node.steps.length, go.steps.length);
  for (let i = 0; i < n; i++) {
    const a = node.steps[i];
    const b = go.steps[i];
    const step = `#${i + 1} ${(a ?? b).label}`;
    if (a && b && a.label !== b.label) {
      out.push({ side: "both", step, field: "request", node: a.label, go: b.label });
      continue;
    }
    for (const d of diff(a?.exchange, b?.exchange)) out.push({ side: "both", step, field: d.path || "exchange", node: d.node, go: d.go });
  }
  for (const d of diff(node.records, go.records)) {
    const [name, ...rest] = d.path.split(".");
    out.push({ side: "both", step: `record ${name}`, field: rest.join(".") || "value", node: d.node, go: d.go });
  }
  for (const d of diff(node.db, go.db)) out.push({ side: "both", step: "database", field: d.path, node: d.node, go: d.go });
  return out;
}

/**
 * Deliberate differences (DESIGN.md §4) are asserted, not masked. Each entry:
 *   { step: RegExp, field: RegExp, why: string, check(nodeValue, goValue) → true | string }
 * A difference matching an entry must satisfy its check; an entry that matches no
 * difference at all is itself a failure (the Go side stopped differing, or the
 * scenario no longer exercises it). In self-test both sides are Node, so the
 * entries cannot be observed and are reported as not checked.
 */
export function applyExpectedDifferences(diffs, expected = [], { selfTest }) {
  if (expected.length === 0) return { diffs, notes: [] };
  const notes = [];
  const remaining = [];
  const seen = new Set();
  for (const d of diffs) {
    const i = expected.findIndex((e) => e.step.test(d.step) && e.field.test(d.field));
    if (i < 0) {
      remaining.push(d);
      continue;
    }
    seen.add(i);
    const verdict = expected[i].check(d.node, d.go);
    if (verdict !== true) {
      remaining.push({ ...d, field: `${d.field} (deliberate difference: ${expected[i].why}; ${verdict || "check failed"})` });
    }
  }
  expected.forEach((e, i) => {
    if (seen.has(i)) return;
    if (selfTest) notes.push(`deliberate difference not checked in self-test: ${e.why}`);
    else remaining.push({ side: "go", step: String(e.step), field: String(e.field), node: "(differs by design)", go: `(no difference seen: ${e.why})` });
  });
  return { diffs: remaining, notes };
}
