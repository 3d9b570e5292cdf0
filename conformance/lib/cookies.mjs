// A browser's cookie jar, reduced to what one host needs.
//
// Both servers live on one host from the browser's point of view (the configured base
// URL), so cookies are keyed by name only. Secure cookies are sent over the loopback
// http connection on purpose: the servers stand behind an imagined TLS terminator.

// "name=value; Attr; Attr=x" → { name, value, attributes: ["Attr", "Attr=x"] }
export function parseSetCookie(line) {
  const [pair, ...attrs] = line.split(";");
  const eq = pair.indexOf("=");
  return {
    name: (eq < 0 ? pair : pair.slice(0, eq)).trim(),
    value: eq < 0 ? "" : pair.slice(eq + 1).trim(),
    attributes: attrs.map((a) => a.trim()).filter(Boolean),
  };
}

function isExpiry(attributes) {
  for (const a of attributes) {
    const [k, v] = a.split("=");
    if (k.toLowerCase() === "max-age" && Number(v) <= 0) return true;
    if (k.toLowerCase() === "expires" && Date.parse(v) <= Date.now()) return true;
  }
  return false;
}

export class CookieJar {
  // Insertion order is the order a browser sends cookies with equal paths in
  // (creation time); updating a cookie keeps its place, as in a browser.
  #cookies = new Map();

  store(setCookieLines) {
    for (const line of setCookieLines) {
      const c = parseSetCookie(line);
      if (isExpiry(c.attributes)) this.#cookies.delete(c.name);
      else this.#cookies.set(c.name, c.value);
    }
  }

  get(name) {
    return this.#cookies.get(name);
  }

  set(name, value) {
    this.#cookies.set(name, value);
  }

  delete(name) {
    this.#cookies.delete(name);
  }

  names() {
    return [...this.#cookies.keys()];
  }

  header() {
    if (this.#cookies.size === 0) return null;
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}
