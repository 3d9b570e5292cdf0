// Node Better Auth as it is deployed on a machine with several cores: node:cluster with one
// worker per core (PM2's cluster mode does the same), each worker running the reference server
// (node-server.mjs) on the one address, the primary handing connections out in turn.
//
// For the bench (bench/runner): the same environment as node-server.mjs; NODE_WORKERS
// overrides the number of workers (default: os.availableParallelism()). It prints one line
// `ready <url> cluster <n>` once every worker listens. The database must be migrated already
// (the bench's Go server does it), since the workers would race to migrate it.
import cluster from "node:cluster";
import os from "node:os";

if (cluster.isPrimary) {
  const workers = Number(process.env.NODE_WORKERS) || os.availableParallelism();
  // Silent: each worker's own "ready" line is dropped; its errors go to this stderr.
  cluster.setupPrimary({ silent: true });
  let listening = 0;
  let stopping = false;
  for (let i = 0; i < workers; i++) {
    const w = cluster.fork();
    w.process.stdout.resume();
    w.process.stderr.pipe(process.stderr);
  }
  cluster.on("listening", (_worker, address) => {
    if (++listening === workers) process.stdout.write(`ready http://${address.address}:${address.port} cluster ${workers}\n`);
  });
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) return;
    console.error(`node-cluster: worker ${worker.process.pid} exited (${signal ?? code}); stopping`);
    process.exit(1);
  });
  const stop = () => {
    stopping = true;
    for (const w of Object.values(cluster.workers)) w.kill();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
} else {
  await import("./node-server.mjs");
}
