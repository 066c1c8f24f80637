/**
 * Two workers of one node:cluster primary, without Redis, each running test/support/bus-node.ts
 * on a port of its own: the bus then goes through the primary's IPC (@socket.io/cluster-adapter,
 * whose primary side is set up here as `npm start` does with PULSE_WORKERS). Workers print
 * `listening <port>` on the primary's output. SIGTERM stops both, then the primary.
 */
import cluster from "node:cluster";
import { setupPrimary } from "@socket.io/cluster-adapter";

setupPrimary();
cluster.setupPrimary({ exec: "test/support/bus-node.ts" });
const workers = [cluster.fork(), cluster.fork()];
let exited = 0;
for (const worker of workers) worker.once("exit", () => ++exited === workers.length && process.exit(0));
process.once("SIGTERM", () => {
  for (const worker of workers) worker.process.kill("SIGTERM");
});
