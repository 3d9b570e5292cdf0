// Loading scenario files and checking their definitions.
//
// Every file in scenarios/ exports a default array of scenarios. A scenario is
//   { name, group?, run(t), expectDifference?, db?, exchangeFields? }   compared on both sides
//   { name, kind: "custom", groups?, run(h) }                   asserts on its own
// See README.md, "Adding a scenario".
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "./config.mjs";
import { GROUPS } from "./groups.mjs";

export function slugOf(name) {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 48).replace(/-$/, "");
}

export async function loadScenarios(dir = path.join(ROOT, "scenarios")) {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".mjs")).sort();
  const all = [];
  const slugs = new Map();
  for (const file of files) {
    const mod = await import(pathToFileURL(path.join(dir, file)).href);
    if (!Array.isArray(mod.default)) throw new Error(`${file}: default export must be an array of scenarios`);
    for (const s of mod.default) {
      if (!s.name || typeof s.run !== "function") throw new Error(`${file}: a scenario needs a name and run()`);
      const kind = s.kind ?? "compare";
      if (kind !== "compare" && kind !== "custom") throw new Error(`${file}: ${s.name}: unknown kind ${kind}`);
      const group = s.group ?? "core";
      if (kind === "compare" && !GROUPS[group]) throw new Error(`${file}: ${s.name}: unknown group ${group}`);
      // A custom scenario names the groups whose servers it starts besides core (runner.mjs
      // skips it when one of their builds is missing and may be).
      for (const g of s.groups ?? []) if (!GROUPS[g]) throw new Error(`${file}: ${s.name}: unknown group ${g}`);
      const slug = slugOf(s.name);
      if (slugs.has(slug)) throw new Error(`${file}: scenario "${s.name}" has the same slug as "${slugs.get(slug)}"`);
      slugs.set(slug, s.name);
      // Each scenario signs its users up under its own domain (t.email).
      all.push({ ...s, kind, group, file, slug, domain: `${slug}.test` });
    }
  }
  return all;
}
