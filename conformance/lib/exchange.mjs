// One HTTP exchange as the comparison sees it.
import { BASE_PATH } from "./config.mjs";
import { parseSetCookie } from "./cookies.mjs";

// The response headers that clients or browsers act on. Everything else (Date,
// Connection, Transfer-Encoding, …) belongs to the HTTP stack, not to the protocol.
export const COMPARED_HEADERS = [
  "content-type",
  "cache-control",
  "pragma",
  "location",
  "x-retry-after",
  "set-auth-token",
  "access-control-expose-headers",
];

// Read what matters from a Response without consuming the caller's copy.
export async function capture(method, url, response) {
  const u = new URL(url);
  // Labels are relative to the base path; anything outside it keeps its full path.
  const inBase = u.pathname.startsWith(BASE_PATH + "/");
  const path = inBase ? u.pathname.slice(BASE_PATH.length) : u.pathname;
  const headers = {};
  for (const h of COMPARED_HEADERS) {
    const v = response.headers.get(h);
    if (v !== null) headers[h] = v;
  }
  return {
    label: `${method} ${path}${u.search}`,
    at: Date.now(),
    status: response.status,
    headers,
    setCookies: response.headers.getSetCookie(),
    bodyText: await response.clone().text(),
  };
}

// The comparable form of a captured exchange: masked values, parsed JSON.
export function normalizeExchange(ex, norm) {
  const headers = {};
  for (const [k, v] of Object.entries(ex.headers)) headers[k] = norm.string(v, ex.at);
  const cookies = norm.setCookies(ex.setCookies.map(parseSetCookie), ex.at);
  return { status: ex.status, headers, cookies, body: normalizeBody(ex.bodyText, ex.at, norm) };
}

function normalizeBody(text, at, norm) {
  if (text === "") return { empty: true };
  try {
    return { json: norm.value(JSON.parse(text), at) };
  } catch {
    return { text };
  }
}
