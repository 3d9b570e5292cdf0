// Run-wide settings shared by both servers and by the scenarios.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const REPORT_DIR = path.join(ROOT, "report");
export const BASE_PATH = "/api/auth";

// One secret per run, the same for both servers: cookies signed by one must verify on
// the other. Random so nothing in the suite can depend on its value except through
// the normaliser, which is handed it to check signatures.
export const SECRET = process.env.CONFORMANCE_SECRET || randomBytes(24).toString("base64url");

// Trusted in addition to the base URL's own origin, which both servers must add
// themselves (PROTOCOL.md §7.1).
export const EXTRA_TRUSTED_ORIGINS = ["https://trusted.example.com"];
export const UNTRUSTED_ORIGIN = "https://evil.example.net";

// Versions the adoption scenarios start from (package.json aliases).
export const PINNED = "better-auth";
export const LEGACY_1_6 = "better-auth-1-6";
export const LEGACY_1_7_1 = "better-auth-1-7-1";
