// A request with node:http, for what fetch cannot send.
//
// Node's fetch always adds `sec-fetch-mode: cors` (and accept, accept-language), which is
// what a browser's fetch sends too. A curl-like or server-to-server caller sends no
// fetch metadata at all, and the CSRF rules treat it differently (PROTOCOL.md §7.1), so
// such requests go out through node:http with exactly the headers given.
import http from "node:http";

const TIMEOUT_MS = 30_000;

export function plainFetch(url, { method = "GET", headers = new Headers(), body } = {}) {
  return new Promise((resolve, reject) => {
    const h = {};
    headers.forEach((v, k) => (h[k] = v));
    let payload = body;
    if (typeof payload === "string") payload = Buffer.from(payload);
    else if (payload instanceof Uint8Array) payload = Buffer.from(payload);
    else if (payload !== undefined && payload !== null) return reject(new Error("plainFetch: body must be a string or bytes"));
    if (payload) h["content-length"] = String(payload.length);
    // A connection of its own (agent: false): a server that answers before reading a large
    // body may close it, and a pooled connection would carry that into the next request.
    // Headers may be as large as a server sends (a 60 kB Location echoing a callbackURL).
    const req = http.request(url, { method, headers: h, agent: false, maxHeaderSize: 1 << 20 }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => {
        const out = new Headers();
        for (let i = 0; i < res.rawHeaders.length; i += 2) out.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
        const buf = Buffer.concat(chunks);
        const noBody = [101, 204, 205, 304].includes(res.statusCode) || method === "HEAD";
        resolve(new Response(noBody ? null : buf, { status: res.statusCode, statusText: res.statusMessage, headers: out }));
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s: ${method} ${url}`)));
    req.end(payload);
  });
}
