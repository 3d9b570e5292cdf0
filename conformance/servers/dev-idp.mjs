// The local development identity provider of scripts/demo and scripts/demo-test: the
// conformance harness's provider (idp.mjs: Google, GitHub and a generic OpenID Connect provider
// on loopback) with its sign-in page on, so that "Sign in with Google" works in a browser with
// no internet. Whoever is named on that page is signed in, without a password, with a verified
// address: for development only.
//
//   node conformance/servers/dev-idp.mjs ENV_FILE
//
// Once it listens (on 127.0.0.1, a free port, or $DEV_IDP_PORT), it writes the variables the
// emitted server reads to ENV_FILE, one NAME=value a line (client ids and secrets, and every
// provider URL as an override), and runs until SIGINT or SIGTERM.
import { rename, writeFile } from "node:fs/promises";
import { startIdP } from "./idp.mjs";

const envFile = process.argv[2];
if (!envFile) {
  console.error("usage: node conformance/servers/dev-idp.mjs ENV_FILE");
  process.exit(2);
}

const idp = await startIdP({ port: Number(process.env.DEV_IDP_PORT ?? 0), signInPage: true });
const env = idp.env();
delete env.CONFORMANCE_SOCIAL_IDP; // the Node reference server's, not the Go server's
// One NAME=value a line (scripts/dev-idp.sh reads it line by line): line breaks in a value
// (Apple's PEM key) are written \n, which the server reads as line breaks. Written whole, then
// renamed: a reader never sees half of it.
const line = ([k, v]) => `${k}=${String(v).replace(/\r?\n/g, "\\n")}\n`;
await writeFile(`${envFile}.tmp`, Object.entries(env).map(line).join(""));
await rename(`${envFile}.tmp`, envFile);

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, async () => {
    await idp.stop();
    process.exit(0);
  });
}
