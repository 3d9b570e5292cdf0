// Fault injection for the harness's own self-test (CONFORMANCE_SELF_TEST=broken).
//
// Preloaded with `node --import` into the stand-in server, it changes a few details of
// what goes on the wire, the kind of slip a port makes. A run against it must fail and
// name each of them in the report:
//   - every Set-Cookie writes `SameSite=lax` instead of `SameSite=Lax`;
//   - signed dont_remember cookies go out without URI-encoding (`+/=` left raw);
//   - the `pragma` header is dropped (get-session);
//   - the sign-in failure message is reworded;
//   - every session cookie set is written to the server's log, so the check that no
//     token reaches a Go server's log (lib/secrets.mjs) must fail;
//   - social sign-in (scenarios/72-social.mjs): Google's authorization URL in `Location` loses
//     `include_granted_scopes`, and the callback's `state_mismatch` redirects say `invalid_state`.
import http from "node:http";

const proto = http.ServerResponse.prototype;
const setHeader = proto.setHeader;
proto.setHeader = function (name, value) {
  const key = String(name).toLowerCase();
  if (key === "pragma") return this;
  if (key === "location") {
    value = String(value).replace("&include_granted_scopes=true", "").replace("error=state_mismatch", "error=invalid_state");
  }
  if (key === "set-cookie") {
    const fix = (v) => {
      let line = String(v).replace("SameSite=Lax", "SameSite=lax");
      if (line.includes("dont_remember=true.")) line = line.replace(/%2B/g, "+").replace(/%2F/g, "/").replace(/%3D/g, "=");
      return line;
    };
    value = Array.isArray(value) ? value.map(fix) : fix(value);
    for (const line of [value].flat()) if (/session_token=[^;]/.test(line)) console.log(`debug: set ${line}`);
  }
  return setHeader.call(this, name, value);
};

const write = proto.write;
proto.write = function (chunk, ...rest) {
  if (chunk instanceof Uint8Array || typeof chunk === "string") {
    const text = Buffer.from(chunk).toString("utf8");
    if (text.includes("Invalid email or password")) {
      chunk = Buffer.from(text.replace("Invalid email or password", "Invalid credentials"));
    }
  }
  return write.call(this, chunk, ...rest);
};
