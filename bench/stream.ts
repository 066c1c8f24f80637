/**
 * npm run bench:stream [-- --sockets 1000 --ticks 300 --tick-ms 100]
 *
 * Measures the live stream as issue #3 asks:
 *  1. bytes on the wire per tick, for a socket subscribed to everything and for one filtered
 *     to a single operator (the WebSocket message as sent, engine.io and socket.io framing included);
 *  2. server CPU per tick with N sockets connected (clients in a separate process), against
 *     the same server with no socket connected.
 * The server is the real one (simulator, rooms, rollup writer, alert detector) on a throwaway
 * database; results go to stdout and bench/results/runs/ (bench/results/stream.json with --record).
 */
import { fork, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { io } from "socket.io-client";
import { dropDatabase, ensureDatabaseExists } from "@/lib/db/admin";
import { closeDatabase, createDatabase, installDatabase } from "@/lib/db/client";
import { migrateDatabase } from "@/lib/db/migrate";
import { seedReferenceData } from "@/lib/db/seed";
import type { SeriesFilter } from "@/lib/contracts/filters";
import { setLogLevel } from "@/lib/logger";
import { createAccessGate } from "@/server/access-gate";
import { createHttpEdge } from "@/server/http-edge";
import { createRealtimeServer } from "@/server/realtime";
import { providePostgresServer } from "@/test/support/postgres-server";
import { benchPort, writeResult } from "./settings";

const { values: options } = parseArgs({
  options: {
    sockets: { type: "string", default: "1000" },
    ticks: { type: "string", default: "300" },
    "tick-ms": { type: "string", default: "100" },
    record: { type: "boolean", default: false },
  },
});
const SOCKETS = Number(options.sockets);
const TICKS = Number(options.ticks);
const TICK_MS = Number(options["tick-ms"]);

setLogLevel("warn");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function wireBytes(url: string, filter: SeriesFilter, samples: number): Promise<{ mean: number; min: number; max: number }> {
  const socket = io(url, { transports: ["websocket"], forceNew: true });
  const sizes: number[] = [];
  await new Promise<void>((resolve) => socket.on("connect", () => resolve()));
  // An engine.io "message" packet is what one WebSocket frame carries, after its 1-byte type.
  socket.io.engine.on("packet", (packet: { type: string; data?: unknown }) => {
    if (packet.type === "message" && typeof packet.data === "string" && packet.data.startsWith('2["stream:tick"')) {
      sizes.push(Buffer.byteLength(packet.data) + 1);
    }
  });
  await new Promise((resolve) => socket.emit("stream:subscribe", { filter, snapshotTicks: 0 }, resolve));
  while (sizes.length < samples) await sleep(TICK_MS);
  socket.close();
  return { mean: Math.round(sizes.reduce((a, b) => a + b, 0) / sizes.length), min: Math.min(...sizes), max: Math.max(...sizes) };
}

async function cpuPerTick(source: { currentSeq: number }, ticks: number) {
  const startSeq = source.currentSeq;
  const cpu = process.cpuUsage();
  const elu = performance.eventLoopUtilization();
  while (source.currentSeq < startSeq + ticks) await sleep(TICK_MS);
  const used = process.cpuUsage(cpu);
  const loop = performance.eventLoopUtilization(elu);
  const produced = source.currentSeq - startSeq;
  return {
    ticks: produced,
    cpuMsPerTick: Math.round(((used.user + used.system) / 1000 / produced) * 100) / 100,
    eventLoopUtilisation: Math.round(loop.utilization * 1000) / 1000,
  };
}

async function main() {
  const postgres = await providePostgresServer("bench-postgres", benchPort("BENCH_EMBEDDED_PG_PORT", 54369));
  const name = `pulse_bench_${randomBytes(4).toString("hex")}`;
  const url = await ensureDatabaseExists(postgres.url, name);
  await migrateDatabase(url);
  const database = createDatabase(url, "external");
  installDatabase(database);
  await seedReferenceData(database.prisma);

  const httpServer = createServer();
  const edge = createHttpEdge({ listenHost: "127.0.0.1", port: () => (httpServer.address() as AddressInfo | null)?.port ?? 0, dev: false });
  const realtime = createRealtimeServer(httpServer, {
    config: { SIM_SEED: "bench", SIM_TICK_MS: TICK_MS, SIM_SPEED: 1, HISTORY_BACKFILL_HOURS: 0, HISTORY_RETENTION_DAYS: 30, ROLLUP_FLUSH_MS: 5000, PULSE_AUTH: "off",
      SIMULATOR: "on", MEASURED_STALE_SECONDS: 180, MEASURED_EXPIRE_SECONDS: 3600, INGEST_MAX_SKEW_SECONDS: 30 },
    buildId: "bench",
    gate: createAccessGate({ authRequired: false }),
    isAllowedHost: edge.isAllowedHost,
    // Every client connects from 127.0.0.1: lift the per-address caps for this run only.
    limits: { connectionsPerAddress: SOCKETS + 10, connectsPerAddressPerMinute: SOCKETS + 10, subscriptionsPerAddressPerMinute: SOCKETS + 10 },
  });
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  const serverUrl = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  let clients: ChildProcess | undefined;

  try {
    const everything = await wireBytes(serverUrl, { operators: [], sectors: [] }, 50);
    const oneOperator = await wireBytes(serverUrl, { operators: ["china-mobile"], sectors: [] }, 50);

    await sleep(1000);
    const idle = await cpuPerTick(realtime.source, TICKS);

    clients = fork("bench/stream-clients.ts", [serverUrl, String(SOCKETS)], { execArgv: ["--import", "tsx"], stdio: ["ignore", "pipe", "inherit", "ipc"] });
    await new Promise<void>((resolve, reject) => {
      clients!.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("ready") && resolve());
      clients!.once("exit", (code) => reject(new Error(`clients exited with ${code}`)));
    });
    await sleep(1000);
    const loaded = await cpuPerTick(realtime.source, TICKS);
    const rooms = realtime.stream.activeRooms();

    const result = {
      date: new Date().toISOString(),
      machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}`,
      tickMs: TICK_MS,
      wireBytesPerTick: { everything, oneOperator },
      serverCpuPerTick: { sockets0: idle, [`sockets${SOCKETS}`]: loaded, rooms },
    };
    console.log(JSON.stringify(result, null, 2));
    console.log(`written to ${await writeResult("stream", result, options.record)}`);
  } finally {
    clients?.kill();
    await realtime.close();
    await closeDatabase(database);
    await dropDatabase(postgres.url, name);
    await postgres.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
