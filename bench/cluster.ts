/**
 * npm run bench:cluster [-- --clients 19000 --seconds 60 --record]
 *
 * Issue 12's fan-out: ~19,000 WebSocket clients subscribed to all 21 series at 1 tick/s, served by
 * the built server (dist/server.js, as `npm start` runs it) as ONE process and then with
 * PULSE_WORKERS=2, side by side in one run, on one throwaway database. Reports, for each:
 *   - tick delivery latency (arrival at the client − the tick's due instant) p50 / p99 / max;
 *   - ticks lost (a client missing a tick of the measured window) and repeated;
 *   - server memory per connection: the RSS of every server process (primary and workers) summed,
 *     with the clients connected minus before, over the connections; and what the connections
 *     retain, the same after two full garbage collections in every process (read over the
 *     inspector, bench/inspector.ts, once the latency window is over).
 * The load generator (bench/cluster-clients.ts, two processes) runs on the same cores as the
 * server: on a 2-core machine its work competes with the server's, which the output says.
 */
import { execFileSync, fork, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import { dropDatabase, ensureDatabaseExists } from "@/lib/db/admin";
import { startServer, type RunningServer } from "@/e2e/support/server";
import { assertPortFree, createCleanup, dropLeftoverDatabases, sleep, stopServer } from "@/test/support/harness";
import { providePostgresServer } from "@/test/support/postgres-server";
import { INSPECT_ANY_PORT, inspectorUrls, retainedMemory } from "./inspector";
import { benchPort, writeResult } from "./settings";

const { values: options } = parseArgs({
  options: {
    clients: { type: "string", default: "19000" },
    seconds: { type: "string", default: "60" },
    "client-processes": { type: "string", default: "2" },
    "connect-seconds": { type: "string", default: "240" },
    record: { type: "boolean", default: false },
  },
});
const CLIENTS = Number(options.clients);
const SECONDS = Number(options.seconds);
const CLIENT_PROCESSES = Number(options["client-processes"]);
/** How long the clients may take to connect; a server that stops accepting before all are in is measured with those it took. */
const CONNECT_SECONDS = Number(options["connect-seconds"]);
const PORT = benchPort("BENCH_PORT", 3295);
const EMBEDDED_PG_PORT = benchPort("BENCH_EMBEDDED_PG_PORT", 54369);
const TICK_MS = 1000;
const WARM_UP_MS = 5_000;

interface ClientReport {
  histogram: number[];
  ticks: number;
  missing: number;
  repeats: number;
  subscribed: number;
  refused: number;
  disconnects: number;
}

/** The server's processes: the started one and, under PULSE_WORKERS, its workers (not an embedded PostgreSQL). */
function serverPids(root: number): number[] {
  let children: number[] = [];
  try {
    children = execFileSync("ps", ["-o", "pid=,args=", "--ppid", String(root)], { encoding: "utf8" })
      .split("\n")
      .filter((line) => line.includes("dist/server.js"))
      .map((line) => Number(line.trim().split(/\s+/)[0]));
  } catch {
    // no children
  }
  return [root, ...children];
}

function rssBytes(pids: number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      total += Number(match?.[1] ?? 0) * 1024;
    } catch {
      // gone
    }
  }
  return total;
}

function percentile(histogram: number[], fraction: number): number {
  const total = histogram.reduce((sum, count) => sum + count, 0);
  let seen = 0;
  for (let ms = 0; ms < histogram.length; ms++) {
    seen += histogram[ms]!;
    if (seen >= total * fraction) return ms;
  }
  return histogram.length - 1;
}

/** A step both run in place and kept as a cleanup for a run that stops half-way: it runs once. */
function onceAndOnCleanup(cleanup: ReturnType<typeof createCleanup>, what: string, step: () => Promise<unknown> | void): () => Promise<void> {
  let done: Promise<void> | undefined;
  const run = () => (done ??= Promise.resolve().then(step).then(() => undefined));
  cleanup.add(what, run);
  return run;
}

const kBPer = (bytes: number, connections: number) => Math.round((bytes / Math.max(1, connections) / 1024) * 10) / 10;

const currentSeq = () => Math.floor(Date.now() / TICK_MS);

async function fanOut(label: string, workers: number, databaseUrl: string, cleanup: ReturnType<typeof createCleanup>) {
  console.error(`${label}: starting the server (PULSE_WORKERS=${workers})…`);
  const limit = String(CLIENTS + 1000);
  const server: RunningServer = await startServer({
    port: PORT,
    timeoutMs: 120_000,
    env: {
      DATABASE_URL: databaseUrl,
      PULSE_WORKERS: String(workers),
      LOG_LEVEL: "warn",
      HISTORY_BACKFILL_HOURS: "0",
      // Every client is on this machine: lift the per-address caps for this run only.
      SOCKET_CONNECTIONS_PER_ADDRESS: limit,
      SOCKET_CONNECTS_PER_ADDRESS_PER_MINUTE: limit,
      SOCKET_SUBSCRIPTIONS_PER_ADDRESS_PER_MINUTE: limit,
      // Every process (workers too) opens an inspector on a port of its own, for the retained memory.
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} ${INSPECT_ANY_PORT}`.trim(),
    },
  });
  const stopIt = onceAndOnCleanup(cleanup, `stop the ${label} server`, () => stopServer(server));
  const pids = serverPids(server.process.pid!);
  await sleep(3_000);
  const rssBefore = rssBytes(pids);
  const inspectors = inspectorUrls(server.output());
  if (inspectors.length !== pids.length) throw new Error(`${pids.length} server processes but ${inspectors.length} inspectors:\n${server.output()}`);
  const retainedBefore = await retainedMemory(inspectors);

  console.error(`${label}: connecting ${CLIENTS} clients from ${CLIENT_PROCESSES} processes…`);
  const connectStarted = Date.now();
  const perProcess = Math.ceil(CLIENTS / CLIENT_PROCESSES);
  const clients: ChildProcess[] = [];
  for (let index = 0; index < CLIENT_PROCESSES; index++) {
    const count = Math.min(perProcess, CLIENTS - index * perProcess);
    clients.push(fork("bench/cluster-clients.ts", [server.url, String(count), String(index)], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] }));
  }
  const stopClients = onceAndOnCleanup(cleanup, `stop the ${label} clients`, () => {
    for (const client of clients) client.kill();
  });
  const connectDeadline = setTimeout(() => {
    console.error(`${label}: not all connected within ${CONNECT_SECONDS} s; measuring those that are`);
    for (const client of clients) client.send({ stopConnecting: true });
  }, CONNECT_SECONDS * 1000);
  const ready = await Promise.all(
    clients.map(
      (client) =>
        new Promise<{ subscribed: number; refused: number }>((resolve, reject) => {
          client.on("message", (message: { ready?: { subscribed: number; refused: number } }) => message.ready && resolve(message.ready));
          client.once("exit", (code) => reject(new Error(`a client process exited with ${code}`)));
        }),
    ),
  );
  clearTimeout(connectDeadline);
  const connectSeconds = (Date.now() - connectStarted) / 1000;
  const subscribed = ready.reduce((sum, each) => sum + each.subscribed, 0);
  console.error(`${label}: ${subscribed} subscribed in ${connectSeconds.toFixed(1)} s; warming up, then measuring ${SECONDS} ticks…`);
  await sleep(WARM_UP_MS);

  const from = currentSeq() + 2;
  const to = from + SECONDS - 1;
  for (const client of clients) client.send({ measure: [from, to] });
  const rssSamples: number[] = [];
  while (currentSeq() <= to + 2) {
    rssSamples.push(rssBytes(pids));
    await sleep(5_000);
  }
  const reports = await Promise.all(
    clients.map(
      (client) =>
        new Promise<ClientReport>((resolve) => {
          client.on("message", (message: { report?: ClientReport }) => message.report && resolve(message.report));
          client.send({ report: true });
        }),
    ),
  );
  const rssWith = rssSamples.reduce((sum, value) => sum + value, 0) / rssSamples.length;
  const retainedWith = await retainedMemory(inspectors);
  await stopClients();
  // An overloaded server may miss stopServer's 15 s (it is then killed): a finding, not a failed run.
  const stoppedInTime = await stopIt().then(
    () => true,
    (error: unknown) => {
      console.error(`${label}: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    },
  );

  const histogram = reports[0]!.histogram.map((_, ms) => reports.reduce((sum, report) => sum + report.histogram[ms]!, 0));
  const sum = (key: keyof Omit<ClientReport, "histogram">) => reports.reduce((total, report) => total + report[key], 0);
  return {
    label,
    workers,
    processes: pids.length,
    clients: CLIENTS,
    subscribed,
    connectSeconds: Math.round(connectSeconds * 10) / 10,
    measuredTicks: SECONDS,
    deliveries: sum("ticks"),
    latencyMs: { p50: percentile(histogram, 0.5), p99: percentile(histogram, 0.99), max: percentile(histogram, 1) },
    lost: sum("missing"),
    repeated: sum("repeats"),
    refused: sum("refused"),
    disconnects: sum("disconnects"),
    rssMiB: { before: Math.round(rssBefore / 2 ** 20), withClients: Math.round(rssWith / 2 ** 20) },
    kBPerConnection: kBPer(rssWith - rssBefore, subscribed),
    retainedAfterGc: {
      rssMiB: { before: Math.round(retainedBefore.rss / 2 ** 20), withClients: Math.round(retainedWith.rss / 2 ** 20) },
      kBPerConnection: kBPer(retainedWith.rss - retainedBefore.rss, subscribed),
      heapKBPerConnection: kBPer(retainedWith.heapUsed - retainedBefore.heapUsed, subscribed),
    },
    stoppedInTime,
  };
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
    await dropLeftoverDatabases(postgres.url, "pulse_cluster_");
    const name = `pulse_cluster_${randomBytes(4).toString("hex")}`;
    const databaseUrl = await ensureDatabaseExists(postgres.url, name);
    cleanup.add(`drop database ${name}`, () => dropDatabase(postgres.url, name));

    const loadBefore = os.loadavg();
    const single = await fanOut("one process", 1, databaseUrl, cleanup);
    const twoWorkers = await fanOut("two workers", 2, databaseUrl, cleanup);
    const result = {
      date: new Date().toISOString(),
      machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}`,
      note: `the load generator (${CLIENT_PROCESSES} client processes) shares the machine's ${os.availableParallelism()} cores with the server`,
      loadAverage: { before: loadBefore.map((value) => Math.round(value * 100) / 100), after: os.loadavg().map((value) => Math.round(value * 100) / 100) },
      tickMs: TICK_MS,
      single,
      twoWorkers,
      p99Ratio: Math.round((twoWorkers.latencyMs.p99 / Math.max(1, single.latencyMs.p99)) * 100) / 100,
      targets: { p99Ratio: "≤ 0.75", lost: 0, kBPerConnection: "≤ 20 (resident under load, and retained after GC)" },
    };
    console.log(JSON.stringify(result, null, 2));
    console.log(`written to ${await writeResult("cluster", result, options.record)}`);
    console.log(`note: ${result.note}`);
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
