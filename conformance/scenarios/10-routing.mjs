// Routing: /ok and the 404s (PROTOCOL.md §1.1, §2.10).
const get = (path) => async (t) => t.request("GET", path);

export default [
  { name: "ok: GET /ok", run: get("/ok") },
  { name: "ok: query string ignored", run: get("/ok?probe=1&probe=2") },
  { name: "404: unknown path", run: get("/no-such-endpoint") },
  { name: "404: trailing slash", run: get("/ok/") },
  { name: "404: base path itself", run: get("") },
  {
    name: "404: wrong method",
    async run(t) {
      await t.request("GET", "/sign-in/email");
      await t.request("GET", "/sign-up/email");
      await t.request("POST", "/ok", { json: {} });
      await t.request("PUT", "/sign-out", { json: {} });
      await t.request("DELETE", "/get-session");
    },
  },
  {
    name: "404: HEAD and OPTIONS",
    async run(t) {
      await t.request("HEAD", "/ok");
      await t.request("OPTIONS", "/sign-in/email", {
        headers: { "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
      });
    },
  },
  {
    // Outside the base path the host's router answers, not the auth handler (the Go
    // server's mux, or the user's own routes): only "not served by auth" is compared.
    name: "404: path outside the base path",
    exchangeFields: ["status"],
    async run(t) {
      const b = t.browser();
      await b.fetch(`${t.server.url}/api/auth-other/ok`);
      await b.fetch(`${t.server.url}/ok`);
      await b.fetch(`${t.server.url}/api/authok`);
    },
  },
];
