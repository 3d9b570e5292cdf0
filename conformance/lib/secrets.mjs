// Every secret the run saw, for the check that no Go server wrote one to its log.
//
// The simulated browser (lib/browser.mjs) notes what each exchange carried: the session
// tokens and cookie values servers set, set-auth-token headers, tokens in JSON bodies
// (sign-in, list-sessions) and in redirect URLs, and every password the client sent. The
// mailbox (lib/mailbox.mjs) notes the tokens of every mailed link. The run's secret and the mail
// sink's password are secrets too. After the run, runner.mjs looks for each of them in
// every Go server's log (report/logs/), as written, URI-encoded and JSON-escaped.
import fs from "node:fs";

// Shorter values ("true", a 7-character password) would match ordinary log text.
export const MIN_SECRET_LENGTH = 8;

const PASSWORD_FIELDS = new Set(["password", "newPassword", "currentPassword"]);
const TOKEN_FIELDS = new Set(["token"]);

function decode(value) {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export class Secrets {
  #kinds = new Map(); // value → what it is, e.g. "session token (Set-Cookie)"

  get size() {
    return this.#kinds.size;
  }

  add(value, kind) {
    if (typeof value !== "string" || value.length < MIN_SECRET_LENGTH || this.#kinds.has(value)) return;
    this.#kinds.set(value, kind);
  }

  // A cookie value a server set: as sent, decoded, and the token before the signature
  // ("token.sig").
  cookie(value, kind) {
    const plain = decode(value);
    this.add(value, kind);
    this.add(plain, kind);
    const dot = plain.lastIndexOf(".");
    if (dot > 0) this.add(plain.slice(0, dot), `${kind}, unsigned`);
  }

  // The `token` query parameter of a URL, and the token in a reset link's path.
  url(text, kind) {
    let u;
    try {
      u = new URL(text, "http://localhost");
    } catch {
      return;
    }
    for (const t of u.searchParams.getAll("token")) this.add(t, `${kind} token`);
    const reset = /\/reset-password\/([^/?#]+)/.exec(u.pathname);
    if (reset) this.add(decode(reset[1]), `${kind} reset token`);
  }

  // String fields of a parsed body whose names are in `names`, at any depth. The walk keeps
  // its own stack: the bad-input matrix sends bodies nested thousands deep.
  fields(value, names, kind) {
    const todo = [value];
    while (todo.length) {
      const v = todo.pop();
      if (Array.isArray(v)) {
        todo.push(...v);
      } else if (v && typeof v === "object") {
        for (const [k, x] of Object.entries(v)) {
          if (typeof x === "string" && names.has(k)) this.add(x, kind);
          else todo.push(x);
        }
      }
    }
  }

  // The passwords a request body sent, as JSON or as a form. Tokens a request sends are
  // either ones a server issued (noted from its response) or ones a scenario made up to be
  // refused, such as "verify-email" or "forged", which are no secrets.
  request(body) {
    if (body instanceof URLSearchParams) body = String(body);
    if (typeof body !== "string" || body === "") return;
    let parsed;
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = Object.fromEntries(new URLSearchParams(body));
    }
    this.fields(parsed, PASSWORD_FIELDS, "password (request body)");
  }

  // What a response carried: Set-Cookie values, set-auth-token, the Location's tokens and
  // token fields of a JSON body.
  response({ headers, setCookies, bodyText }) {
    for (const line of setCookies) {
      const pair = line.split(";")[0];
      const eq = pair.indexOf("=");
      if (eq > 0) this.cookie(pair.slice(eq + 1).trim(), `Set-Cookie ${pair.slice(0, eq).trim()}`);
    }
    if (headers["set-auth-token"]) this.add(headers["set-auth-token"], "set-auth-token header");
    if (headers.location) this.url(headers.location, "Location");
    try {
      this.fields(JSON.parse(bodyText), TOKEN_FIELDS, "token (response body)");
    } catch {
      // not JSON
    }
  }

  // Every link of a delivered mail.
  mail({ text, html }) {
    for (const m of `${text ?? ""}\n${(html ?? "").replaceAll("&amp;", "&")}`.matchAll(/https?:\/\/[^\s<>"]+/g)) this.url(m[0], "mailed link");
  }

  /**
   * The secrets found in a log's text: [{kind, line, form}], one per secret (its first
   * occurrence). A secret is looked for as it is, URI-encoded, and escaped as in a quoted
   * JSON or slog text value.
   */
  leaks(text) {
    const found = [];
    for (const [value, kind] of this.#kinds) {
      const forms = new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]);
      for (const form of forms) {
        const at = text.indexOf(form);
        if (at < 0) continue;
        found.push({ kind, line: text.slice(0, at).split("\n").length, value });
        break;
      }
    }
    return found;
  }

  // leaks() of each file: [{file, kind, line, value}].
  leaksInFiles(files) {
    const out = [];
    for (const file of files) {
      let text;
      try {
        text = fs.readFileSync(file, "utf8");
      } catch {
        continue;
      }
      for (const leak of this.leaks(text)) out.push({ file, ...leak });
    }
    return out;
  }
}

// The run's secrets, filled by the browser and the mailbox.
export const runSecrets = new Secrets();

// How a leak is shown: its kind and where, with only the start of the value.
export function describeLeak({ file, kind, line, value }, root = "") {
  const where = root && file.startsWith(root) ? file.slice(root.length).replace(/^\//, "") : file;
  return `${where}:${line}: ${kind} (${JSON.stringify(value.slice(0, 6) + "…")}, ${value.length} chars)`;
}
