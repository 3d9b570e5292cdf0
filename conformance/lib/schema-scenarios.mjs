// Custom scenarios of the schema groups (scenarios/63-schema.mjs): takeover in both directions
// with a customised schema, and the comparison of the two sides' schemas as pg_dump prints them.
import { execFile } from "node:child_process";
import fs from "node:fs";
import { promisify } from "node:util";
import { allCoreRows } from "./db.mjs";
import { group } from "./groups.mjs";
import { checkNoRowLost, schemaGaps, sessionOf, signIn, signUp } from "./takeover.mjs";

const run = promisify(execFile);

/**
 * Takeover (as scenarios/80-takeover.mjs) in a schema group: users signed up on one side,
 * with `extra` (the additional fields), sign in on the other with the same user, fields
 * included, and the sessions carry over.
 */
export function takeoverScenarios(groupName, extra) {
  const schema = group(groupName).schema;
  const label = groupName.replace("_", " ");
  return [
    {
      name: `${label}: takeover, Go server on a Node database`,
      kind: "custom",
      groups: [groupName],
      async run(h) {
        const db = await h.database("shared");
        const node = await h.startNode({ databaseURL: db, groupName });
        const pool = h.pool(db);
        const alice = h.browser(node);
        const up = await signUp(alice, h.email("alice"), extra);
        h.check(up.status === 200, { side: "node", step: "Node sign-up", field: "status", node: `${up.status} ${up.text}`, go: "" });
        const seen = await sessionOf(alice);

        const before = await allCoreRows(pool, schema);
        const go = await h.startGo({ databaseURL: db, groupName });
        checkNoRowLost(h, before, await allCoreRows(pool, schema), { step: "Go migrations on a Node database" });

        const got = await sessionOf(alice.on(go));
        h.equal(seen.data, got.data, { step: "Go get-session with the Node cookie", field: "body" });
        h.equal([], got.setCookie, { step: "Go get-session with the Node cookie", field: "set-cookie" });
        const r = await signIn(h.browser(go), h.email("alice"));
        h.equal(up.data?.user, r.data?.user, { step: "Go sign-in of the Node user", field: "user" });

        const carol = h.browser(go);
        const mine = await signUp(carol, h.email("carol"), extra);
        h.check(mine.status === 200, { step: "Go sign-up on the Node database", field: "status", node: 200, go: `${mine.status} ${mine.text}` });
        const back = await signIn(h.browser(node), h.email("carol"));
        h.equal(back.data?.user, mine.data?.user, { side: "node", step: "Node sign-in of the Go user", field: "user" });
        h.equal((await sessionOf(carol.on(node))).data, (await sessionOf(carol)).data, { side: "node", step: "Node get-session with the Go cookie", field: "body" });
      },
    },
    {
      name: `${label}: takeover, Node server on a Go database`,
      kind: "custom",
      groups: [groupName],
      async run(h) {
        const db = await h.database("shared");
        const go = await h.startGo({ databaseURL: db, groupName });
        // The schema the Go migrations create is complete for Better Auth 1.7.25 so configured.
        const gaps = await schemaGaps(db, { schema });
        h.check(gaps.length === 0, { step: "Better Auth migration plan on the Go schema", field: "changes", node: "(none)", go: gaps });

        const node = await h.startNode({ databaseURL: db, groupName });
        const carol = h.browser(go);
        const up = await signUp(carol, h.email("carol"), extra);
        h.check(up.status === 200, { step: "Go sign-up", field: "status", node: "", go: `${up.status} ${up.text}` });
        const seen = await sessionOf(carol);
        const got = await sessionOf(carol.on(node));
        h.equal(got.data, seen.data, { side: "node", step: "Node get-session with the Go cookie", field: "body" });
        const r = await signIn(h.browser(node), h.email("carol"));
        h.equal(r.data?.user, up.data?.user, { side: "node", step: "Node sign-in of the Go user", field: "user" });

        const dave = h.browser(node);
        const theirs = await signUp(dave, h.email("dave"), extra);
        const onGo = await signIn(h.browser(go), h.email("dave"));
        h.equal(theirs.data?.user, onGo.data?.user, { step: "Go sign-in of the Node user", field: "user" });
        const out = await dave.on(go).request("POST", "/sign-out", { json: {} });
        h.check(out.status === 200, { step: "Go sign-out with the Node cookie", field: "status", node: 200, go: out.status });
        const gone = await sessionOf(dave.on(node));
        h.check(gone.data === null, { side: "node", step: "Node get-session after Go sign-out", field: "body", node: gone.data, go: null });
      },
    },
  ];
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
