// Custom scenarios of the schema groups (scenarios/63-schema.mjs): takeover in both directions
// with a customised schema, and the comparison of the two sides' schemas as pg_dump prints them.
import { execFile } from "node:child_process";
import fs from "node:fs";
import { promisify } from "node:util";
import { allCoreRows } from "./db.mjs";
import { group } from "./groups.mjs";
import { sessionOf, sideCheck, sideEqual, signIn, signUp, takeoverBothWays } from "./takeover.mjs";

const run = promisify(execFile);

/**
 * Takeover (as scenarios/80-takeover.mjs) in a schema group: users signed up on one side,
 * with `extra` (the additional fields), sign in on the other with the same user, fields
 * included, and the sessions carry over; Go's migrations leave every Node row as it was.
 */
export function takeoverScenarios(groupName, extra) {
  const schema = group(groupName).schema;
  return takeoverBothWays({
    label: groupName.replace("_", " "),
    group: groupName,
    schema,
    snapshot: (h, db) => allCoreRows(h.pool(db), schema),
    async write(h, server, side) {
      const browser = h.browser(server);
      const up = await signUp(browser, h.email("first"), extra);
      sideCheck(h, side, up.status === 200, `${up.status} ${up.text}`, 200, { step: "sign-up", field: "status" });
      return { browser, up, session: await sessionOf(browser) };
    },
    async read(h, { first, second, data, side }) {
      const other = side === "go" ? "node" : "go";
      const got = await sessionOf(data.browser.on(second));
      sideEqual(h, side, got.data, data.session.data, { step: "get-session with the other side's cookie", field: "body" });
      sideEqual(h, side, got.setCookie, [], { step: "get-session with the other side's cookie", field: "set-cookie" });
      const r = await signIn(h.browser(second), h.email("first"));
      sideEqual(h, side, r.data?.user, data.up.data?.user, { step: "sign-in of the other side's user", field: "user" });

      const mine = h.browser(second);
      const up = await signUp(mine, h.email("second"), extra);
      sideCheck(h, side, up.status === 200, `${up.status} ${up.text}`, 200, { step: "sign-up on the other side's database", field: "status" });
      const back = await signIn(h.browser(first), h.email("second"));
      sideEqual(h, other, back.data?.user, up.data?.user, { step: "sign-in of the user the other side made", field: "user" });
      sideEqual(h, other, (await sessionOf(mine.on(first))).data, (await sessionOf(mine)).data, { step: "get-session with the other side's cookie", field: "body" });
      // Signed out on the first server, the session is gone on the second: the old cookie,
      // kept aside (the browser drops it), finds nothing there.
      const cookie = mine.jar.header();
      const out = await mine.on(first).request("POST", "/sign-out", { json: {} });
      sideCheck(h, other, out.status === 200, out.status, 200, { step: "sign-out with the other side's cookie", field: "status" });
      const gone = await h.browser(second).request("GET", "/get-session", { headers: { cookie } });
      sideCheck(h, side, gone.data === null, gone.text, "null", { step: "get-session after the other side's sign-out", field: "body" });
    },
  });
}

// pg_dump of PostgreSQL's own installation, or the one on PATH.
function pgDump() {
  const dirs = fs.existsSync("/usr/lib/postgresql") ? fs.readdirSync("/usr/lib/postgresql").sort((a, b) => Number(a) - Number(b)) : [];
  for (const v of dirs.reverse()) {
    const p = `/usr/lib/postgresql/${v}/bin/pg_dump`;
    if (fs.existsSync(p)) return p;
  }
  return "pg_dump";
}

/**
 * The schema as pg_dump prints it, reduced to its statements: without the migration tool's
 * version table (goose's, kernia_db_version), comments, SET lines and the \restrict guard.
 * pg_dump orders objects by kind and name, so equal schemas print alike; column order is
 * the tables' own.
 */
export async function schemaDump(databaseURL) {
  const { stdout } = await run(pgDump(), [
    "--schema-only", "--no-owner", "--no-privileges", "--no-comments",
    "--exclude-table=kernia_db_version*", "--exclude-table=goose_db_version*", databaseURL,
  ], { maxBuffer: 16 << 20 });
  return stdout
    .split("\n")
    .filter((l) => l !== "" && !l.startsWith("--") && !l.startsWith("SET ") && !l.startsWith("\\restrict") && !l.startsWith("\\unrestrict") && !l.startsWith("SELECT pg_catalog.set_config"))
    .join("\n");
}

/**
 * The Go migrations create the schema Better Auth's own engine creates for the same
 * configuration: pg_dump of both, equal line for line. Node is started with the rate
 * limiter's database storage, the one setting under which its engine creates the rateLimit
 * table, which the Go migrations always create.
 */
export function dumpScenario(groupName) {
  return {
    name: `schema dump: ${groupName.replace("_", " ")}, Go migrations create what Better Auth's engine creates`,
    kind: "custom",
    groups: groupName === "core" ? [] : [groupName],
    async run(h) {
      const env = { KERNIA_RATE_LIMIT_STORAGE: "database" };
      const [nodeDB, goDB] = [await h.database("node"), await h.database("go")];
      await Promise.all([h.startNode({ databaseURL: nodeDB, groupName, env }), h.startGo({ databaseURL: goDB, groupName, env })]);
      const [node, go] = await Promise.all([schemaDump(nodeDB), schemaDump(goDB)]);
      h.check(node.length > 0, { side: "node", step: "pg_dump", field: "statements", node: "(none)", go: "" });
      if (node === go) return;
      const [a, b] = [node.split("\n"), go.split("\n")];
      const onlyNode = a.filter((l) => !b.includes(l));
      const onlyGo = b.filter((l) => !a.includes(l));
      h.check(false, {
        step: "pg_dump --schema-only", field: onlyNode.length || onlyGo.length ? "lines only on one side" : "order of lines",
        node: onlyNode.length || onlyGo.length ? onlyNode : node, go: onlyNode.length || onlyGo.length ? onlyGo : go,
      });
    },
  };
}
