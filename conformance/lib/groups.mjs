// Scenario groups: one server configuration each, shared by every scenario in it.
//
// Both sides of a group get the same base URL (independent of the loopback port they
// listen on), the same secret and trusted origins, the same rate-limit switch and the
// same plugins. A later plugin gets its own group here, e.g.
//   bearer: { baseURL: "http://localhost:3000", plugins: ["bearer"], rateLimit: false },
// and, when the Go side needs a different build for it, `goBinEnv: "GO_SERVER_BIN_BEARER"`
// (required then: there is no fallback to GO_SERVER_BIN).
//
// Runtime options that need no other build (mail flows, cookie cache, rate-limit storage)
// go in `env`: both servers get these variables, and both read them the same way
// (servers/node-server.mjs for Node, ConfigFromEnv in the emitted package for Go).
export const GROUPS = {
  core: { baseURL: "http://localhost:3000", plugins: [], rateLimit: false },
  secure: { baseURL: "https://localhost:3000", plugins: [], rateLimit: false },
  bearer: { baseURL: "http://localhost:3000", plugins: ["bearer"], rateLimit: false, goBinEnv: "GO_SERVER_BIN_BEARER" },
  bearer_signed: {
    baseURL: "http://localhost:3000", plugins: ["bearer:requireSignature=true"], rateLimit: false,
    goBinEnv: "GO_SERVER_BIN_BEARER_SIGNED",
  },
  multi: { baseURL: "http://localhost:3000", plugins: ["multi-session"], rateLimit: false, goBinEnv: "GO_SERVER_BIN_MULTI" },
  multi_max2: {
    baseURL: "http://localhost:3000", plugins: ["multi-session:maximumSessions=2"], rateLimit: false,
    goBinEnv: "GO_SERVER_BIN_MULTI_MAX2",
  },
};

export function group(name) {
  const g = GROUPS[name];
  if (!g) throw new Error(`unknown scenario group "${name}"`);
  return { name, ...g };
}
