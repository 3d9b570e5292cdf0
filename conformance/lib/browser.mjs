// A simulated browser: a cookie jar, an Origin header, the official client and raw
// requests, all recorded as steps of the scenario.
import { createAuthClient } from "better-auth/client";
import { multiSessionClient, twoFactorClient, usernameClient } from "better-auth/client/plugins";
import { passkeyClient } from "@better-auth/passkey/client";

// The client plugins of the server plugins, as an application would configure them.
const CLIENT_PLUGINS = { "multi-session": multiSessionClient, username: usernameClient, "two-factor": twoFactorClient, passkey: passkeyClient };
import { BASE_PATH } from "./config.mjs";
import { CookieJar } from "./cookies.mjs";
import { capture } from "./exchange.mjs";
import { plainFetch } from "./plain-http.mjs";
import { runSecrets } from "./secrets.mjs";

export const USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) kernia-conformance/1";

export class Browser {
  /**
   * server:   the server requests go to (its loopback URL)
   * recorder: gets every exchange (`onExchange(captured)`)
   * origin:   the page's origin, sent as Origin on non-GET requests like a browser
   *           does; defaults to the group's base URL origin
   * jar:      shared when the same browser moves to another server (takeover)
   */
  constructor({ server, recorder, origin, jar }) {
    this.server = server;
    this.recorder = recorder;
    this.origin = origin ?? new URL(server.group.baseURL).origin;
    this.jar = jar ?? new CookieJar();
    this._client = null;
  }

  // The same browser (same cookies, same page origin) talking to another server.
  on(server) {
    return new Browser({ server, recorder: this.recorder, origin: this.origin, jar: this.jar });
  }

  // The same browser (same cookies) whose requests are not recorded as steps: for reads a
  // scenario compares in its own way (t.record) rather than as sent.
  unrecorded() {
    return new Browser({ server: this.server, recorder: null, origin: this.origin, jar: this.jar });
  }

  // The official client, pointed at this server, fetching through this browser.
  get client() {
    const plugins = this.server.group.plugins.map((p) => CLIENT_PLUGINS[p.split(":")[0]]).filter(Boolean).map((make) => make());
    this._client ??= createAuthClient({
      baseURL: this.server.url,
      basePath: BASE_PATH,
      plugins,
      fetchOptions: { customFetchImpl: (input, init) => this.fetch(input, init) },
    });
    return this._client;
  }

  /**
   * fetch with the jar's cookies, a browser user-agent and the page Origin. Explicit
   * `cookie`, `user-agent` or `origin` headers in init win. Two extra init fields:
   * `noOrigin` sends no Origin header, `plain` sends through node:http (plain-http.mjs).
   */
  async fetch(input, { noOrigin = false, plain = false, ...init } = {}) {
    const url = typeof input === "string" || input instanceof URL ? String(input) : input.url;
    const method = (init.method || (typeof input === "object" && input.method) || "GET").toUpperCase();
    const headers = new Headers(init.headers);
    if (!headers.has("cookie") && this.jar.header()) headers.set("cookie", this.jar.header());
    // A browser-like agent, so that session.userAgent is compared with a real value.
    if (!headers.has("user-agent")) headers.set("user-agent", USER_AGENT);
    if (!headers.has("origin") && method !== "GET" && method !== "HEAD" && !noOrigin) {
      headers.set("origin", this.origin);
    }
    const res = plain
      ? await plainFetch(url, { method, headers, body: init.body })
      : await fetch(url, { ...init, method, headers, redirect: "manual" });
    this.jar.store(res.headers.getSetCookie());
    const captured = await capture(method, url, res);
    // Every token and password that went by, for the check of the Go servers' logs.
    runSecrets.request(init.body);
    runSecrets.response(captured);
    this.recorder?.onExchange(captured);
    return res;
  }

  /**
   * A raw request for what the client cannot send.
   *   path:    relative to the base path, query string allowed
   *   json:    object sent as JSON
   *   form:    object sent as application/x-www-form-urlencoded
   *   body:    anything fetch accepts, sent as is (set content-type yourself)
   *   headers: extra headers
   *   noOrigin: do not add the page Origin
   *   plain:   send with node:http, without fetch's automatic headers (sec-fetch-mode,
   *            accept, …): a curl-like or server-to-server caller
   */
  async request(method, path, { json, form, body, headers = {}, noOrigin = false, plain = false } = {}) {
    const h = new Headers(headers);
    if (json !== undefined) {
      body = JSON.stringify(json);
      if (!h.has("content-type")) h.set("content-type", "application/json");
    } else if (form !== undefined) {
      body = new URLSearchParams(form).toString();
      if (!h.has("content-type")) h.set("content-type", "application/x-www-form-urlencoded");
    }
    const res = await this.fetch(this.server.api + path, { method, headers: h, body, noOrigin, plain });
    const text = await res.text();
    let data;
    try {
      data = text === "" ? undefined : JSON.parse(text);
    } catch {
      data = undefined;
    }
    return { status: res.status, headers: res.headers, text, data };
  }
}
