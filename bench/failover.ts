/**
 * npm run bench:failover [-- --kills 5 --record]
 *
 * Issue 12's failover: two nodes of the built server (dist/server.js) in cluster mode (REDIS_URL,
 * one database) behind the test load balancer (test/support/balancer.ts); one screen subscribed to
 * everything through the balancer. The node serving it is SIGKILLed; measured is the time from the
 * kill to the first tick newer than the last one the screen held (what it would paint next), and
 * over the whole run the sequence numbers missing or received twice. The killed node is started
 * again before the next kill, so each kill finds two nodes.
 *
 * The screen is a socket.io client in Node with the dashboard's own reconnection settings
 * (lib/realtime/stream-client.ts: 500 ms, up to 5 s, ±50 %), WebSocket only: the balancer, like a
 * balancer without a sticky rule, may send each new connection elsewhere, which long-polling cannot
 * survive (see docs/SCALING.md). A Chromium wall page would add its paint (a frame, ~16 ms) to the
 * same path; that page's time from tick to paint is bench:browser's.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import { io } from "socket.io-client";
import { dropDatabase, ensureDatabaseExists } from "@/lib/db/admin";
import type { StreamSubscribed, Tick } from "@/lib/contracts/realtime";
import { startServer, type RunningServer } from "@/e2e/support/server";
import { startBalancer } from "@/test/support/balancer";
import { freePort } from "@/test/support/free-port";
import { assertPortFree, createCleanup, dropLeftoverDatabases, sleep, stopServer } from "@/test/support/harness";
import { providePostgresServer } from "@/test/support/postgres-server";
import { benchPort, writeResult } from "./settings";

const { values: options } = parseArgs({
  options: {
    kills: { type: "string", default: "5" },
    "redis-url": { type: "string", default: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" },
    record: { type: "boolean", default: false },
  },
});
const KILLS = Number(options.kills);
const PORT = benchPort("BENCH_PORT", 3296);
const EMBEDDED_PG_PORT = benchPort("BENCH_EMBEDDED_PG_PORT", 54369);

async function waitUntil(what: string, timeoutMs: number, check: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(20);
  }
}

async function main() {
  if (!existsSync("dist/server.js") || !existsSync(".next/BUILD_ID")) {
    console.error("run npm run build first");
    process.exit(1);
  }
  await assertPortFree(PORT, `stop whatever listens there (the bench uses ${PORT}; set BENCH_PORT)`);
  const cleanup = createCleanup();
  cleanup.install();
  try {
    const postgres = await providePostgresServer("bench-postgres", EMBEDDED_PG_PORT);
    cleanup.add("stop PostgreSQL", () => postgres.stop());
    await dropLeftoverDatabases(postgres.url, "pulse_failover_");
    const name = `pulse_failover_${randomBytes(4).toString("hex")}`;
    const databaseUrl = await ensureDatabaseExists(postgres.url, name);
    cleanup.add(`drop database ${name}`, () => dropDatabase(postgres.url, name));

    const ports = [PORT, await freePort()];
    const balancer = await startBalancer(ports.map((port) => ({ host: "127.0.0.1", port })));
    cleanup.add("close the balancer", () => balancer.close());
    const env = {
      DATABASE_URL: databaseUrl,
      REDIS_URL: options["redis-url"],
      PULSE_CLUSTER: `bench-failover-${randomBytes(4).toString("hex")}`,
      PULSE_ALLOWED_HOSTS: `127.0.0.1:${balancer.port}`,
      HISTORY_BACKFILL_HOURS: "0",
      LOG_LEVEL: "warn",
    };
    const nodes: (RunningServer | undefined)[] = [];
    cleanup.add("stop the nodes", async () => {
      for (const node of nodes) if (node) await stopServer(node);
    });
    console.error("starting two nodes…");
    for (const port of ports) nodes.push(await startServer({ port, env, timeoutMs: 120_000 }));

    const seqs: number[] = [];
    const answers: StreamSubscribed["mode"][] = [];
    const socket = io(balancer.url, { transports: ["websocket"], forceNew: true, reconnectionDelay: 500, reconnectionDelayMax: 5_000, randomizationFactor: 0.5 });
    cleanup.add("close the screen", async () => void socket.close());
    socket.on("connect", () => {
      const since = seqs.at(-1);
      socket.emit("stream:subscribe", { filter: { operators: [], sectors: [] }, snapshotTicks: 3, ...(since === undefined ? {} : { since }) }, (answer: { ok: boolean; data?: StreamSubscribed }) => {
        if (!answer.data) return console.error("subscription refused", answer);
        answers.push(answer.data.mode);
        seqs.push(...answer.data.ticks.map((tick) => tick.s));
      });
    });
    socket.on("stream:tick", (tick: Tick) => seqs.push(tick.s));

    const kills = [];
    for (let kill = 1; kill <= KILLS; kill++) {
      const held = seqs.length;
      await waitUntil("three ticks on the serving node", 30_000, () => seqs.length >= held + 3);
      const serving = [0, 1].find((backend) => balancer.connectionsTo(backend) > 0);
      if (serving === undefined) throw new Error("the screen is connected to no node");
      const lastHeld = seqs.at(-1)!;
      const killedAt = performance.now();
      nodes[serving]!.process.kill("SIGKILL");
      await waitUntil("the next tick after the kill", 60_000, () => seqs.at(-1)! > lastHeld);
      const toNextTickMs = Math.round(performance.now() - killedAt);
      const other = 1 - serving;
      console.error(`kill ${kill}/${KILLS}: node ${serving} killed, next tick from node ${other} after ${toNextTickMs} ms`);
      kills.push({ killed: serving, toNextTickMs, servedBy: balancer.connectionsTo(other) > 0 ? other : null });
      // Back to two nodes before the next kill.
      nodes[serving] = await startServer({ port: ports[serving]!, env, timeoutMs: 120_000 });
    }
    await sleep(3_000);

    const missing = seqs.slice(1).reduce((sum, seq, index) => sum + Math.max(0, seq - seqs[index]! - 1), 0);
    const repeated = seqs.slice(1).filter((seq, index) => seq <= seqs[index]!).length;
    const times = kills.map((each) => each.toNextTickMs).sort((a, b) => a - b);
    const result = {
      date: new Date().toISOString(),
      machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}`,
      loadAverage: os.loadavg().map((value) => Math.round(value * 100) / 100),
      screen: "socket.io client (WebSocket only) with the dashboard's reconnection settings, through test/support/balancer.ts",
      kills,
      toNextTickMs: { median: times[Math.floor(times.length / 2)], max: times.at(-1) },
      ticks: seqs.length,
      answers,
      missing,
      repeated,
      targets: { toNextTickMs: "≤ 5000", missing: 0, repeated: 0 },
    };
    console.log(JSON.stringify(result, null, 2));
    console.log(`written to ${await writeResult("failover", result, options.record)}`);
  } finally {
    await cleanup.run();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
