/**
 * npm run build && npm run bench:ingest [-- --seconds 20 --clients 2 --batch 1000 --mqtt-messages 3000 --record]
 *
 * Measures ingest as issue #11 asks, against the built server (dist/server.js) on a throwaway
 * database:
 *  1. sustained HTTP ingest, JSON (/api/ingest) and line protocol (/api/ingest/influx), batches
 *     of 1,000 samples sent by `clients` concurrent senders for `seconds` each: samples stored per
 *     second, and the acknowledgement latency (request sent → 202, i.e. committed) p50/p99;
 *  2. MQTT from the machine's Mosquitto (MQTT_URL, default mqtt://127.0.0.1:1883): messages
 *     published QoS 1 as fast as one publisher can, until all are stored; messages per second and
 *     count in = count stored.
 * Samples of a series are 1 s apart (inside the late window), so a minute's measured rollup is
 * rewritten from at most 60 samples per series, as a dense real feed would be.
 * Results go to stdout and bench/results/runs/ (bench/results/ingest.json with --record).
 */
import { randomBytes } from "node:crypto";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import mqtt from "mqtt";
import pg from "pg";
import { OPERATOR_SLUGS, SECTOR_SLUGS } from "@/lib/contracts/catalog";
import { createdIngestKeySchema, ingestAnswerSchema } from "@/lib/contracts/ingest";
import { dropDatabase, ensureDatabaseExists } from "@/lib/db/admin";
import { startServer, type RunningServer } from "@/e2e/support/server";
import { signIn } from "@/e2e/support/sign-in";
import { assertPortFree, stopServer } from "@/test/support/harness";
import { providePostgresServer } from "@/test/support/postgres-server";
import { benchPort, writeResult } from "./settings";

const { values: options } = parseArgs({
  options: {
    seconds: { type: "string", default: "20" },
    clients: { type: "string", default: "2" },
    batch: { type: "string", default: "1000" },
    "mqtt-messages": { type: "string", default: "3000" },
    record: { type: "boolean", default: false },
  },
});
const SECONDS = Number(options.seconds);
const CLIENTS = Number(options.clients);
const BATCH = Number(options.batch);
const MQTT_MESSAGES = Number(options["mqtt-messages"]);
const MQTT_URL = process.env.MQTT_URL ?? "mqtt://127.0.0.1:1883";
const PORT = benchPort("BENCH_PORT", 3293);
const SERIES = OPERATOR_SLUGS.flatMap((operator) => SECTOR_SLUGS.map((sector) => ({ operator, sector })));

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Distinct instants, 1 s apart, from 23 hours ago, shared by every phase: every sample of the run is new. */
let lastInstant = Math.floor(Date.now() / 1000) * 1000 - 23 * 3_600_000;
const nextInstant = () => (lastInstant += 1000);

function jsonBatch(): string {
  const samples: { operator: string; sector: string; connections: number; at: number }[] = [];
  while (samples.length < BATCH) {
    const at = nextInstant();
    for (const { operator, sector } of SERIES) if (samples.length < BATCH) samples.push({ operator, sector, connections: 1_000_000 + (at % 100_000), at });
  }
  return JSON.stringify({ samples });
}

function lineBatch(): string {
  const lines: string[] = [];
  while (lines.length < BATCH) {
    const at = nextInstant();
    for (const { operator, sector } of SERIES) {
      if (lines.length < BATCH) lines.push(`m2m_connections,host=bench,operator=${operator},sector=${sector} value=${1_000_000 + (at % 100_000)}i ${BigInt(at) * 1_000_000n}`);
    }
  }
  return lines.join("\n");
}

async function sustainedHttp(server: RunningServer, key: string, kind: "json" | "influx") {
  const url = kind === "json" ? `${server.url}/api/ingest` : `${server.url}/api/ingest/influx?precision=ns`;
  const contentType = kind === "json" ? "application/json" : "text/plain; charset=utf-8";
  const latencies: number[] = [];
  let accepted = 0;
  let failures = 0;
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < deadline) {
        const body = kind === "json" ? jsonBatch() : lineBatch();
        const sent = performance.now();
        const response = await fetch(url, { method: "POST", headers: { "content-type": contentType, authorization: `Bearer ${key}` }, body });
        const answer: unknown = await response.json();
        latencies.push(performance.now() - sent);
        if (response.status !== 202) {
          failures++;
          continue;
        }
        accepted += ingestAnswerSchema.parse(answer).accepted;
      }
    }),
  );
  const elapsedS = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    batches: latencies.length,
    batchSize: BATCH,
    clients: CLIENTS,
    failures,
    samplesAccepted: accepted,
    samplesPerSecond: Math.round(accepted / elapsedS),
    ackLatencyMs: { p50: round(percentile(latencies, 50)), p99: round(percentile(latencies, 99)), max: round(latencies[latencies.length - 1] ?? Number.NaN) },
  };
}

async function countStored(databaseUrl: string, source: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return Number((await client.query<{ count: string }>("SELECT count(*) FROM measured_sample WHERE source = $1", [source])).rows[0]!.count);
  } finally {
    await client.end();
  }
}

async function mqttThroughput(databaseUrl: string, prefix: string) {
  const publisher = await mqtt.connectAsync(MQTT_URL, { clientId: `pulse-bench-pub-${randomBytes(4).toString("hex")}`, reconnectPeriod: 0 });
  const started = performance.now();
  // In flight at once: the broker's default limit of unacknowledged messages per client is 20.
  const inFlight = 20;
  let published = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (published < MQTT_MESSAGES) {
        published++;
        const series = SERIES[published % SERIES.length]!;
        await publisher.publishAsync(`${prefix}/${series.operator}/${series.sector}/connections`, JSON.stringify({ connections: published, at: nextInstant() }), { qos: 1 });
      }
    }),
  );
  const publishedS = (performance.now() - started) / 1000;
  await publisher.endAsync();
  let stored = 0;
  const deadline = Date.now() + 300_000;
  let lastStored = -1;
  let unchangedSince = Date.now();
  // Until all are stored, or nothing more arrives for 15 s (then the missing ones are reported lost).
  while ((stored = await countStored(databaseUrl, "mqtt")) < MQTT_MESSAGES && Date.now() < deadline && Date.now() - unchangedSince < 15_000) {
    if (stored !== lastStored) [lastStored, unchangedSince] = [stored, Date.now()];
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const elapsedS = (performance.now() - started) / 1000;
  return { messagesIn: MQTT_MESSAGES, stored, publishSeconds: round(publishedS, 2), messagesPerSecond: Math.round(stored / elapsedS), lost: MQTT_MESSAGES - stored };
}

async function main() {
  await assertPortFree(PORT, "bench:ingest starts its own server there (set BENCH_PORT)");
  const postgres = await providePostgresServer("bench-postgres", benchPort("BENCH_EMBEDDED_PG_PORT", 54369));
  const name = `pulse_bench_ingest_${randomBytes(4).toString("hex")}`;
  const databaseUrl = await ensureDatabaseExists(postgres.url, name);
  const prefix = `pulse-bench-${randomBytes(4).toString("hex")}`;
  let server: RunningServer | undefined;
  try {
    server = await startServer({
      port: PORT,
      env: { DATABASE_URL: databaseUrl, LOG_LEVEL: "warn", HISTORY_BACKFILL_HOURS: "0", INGEST_REQUESTS_PER_KEY_PER_SECOND: "100000", MQTT_URL, MQTT_TOPIC_PREFIX: prefix, MQTT_CLIENT_ID: prefix },
      timeoutMs: 120_000,
    });
    const cookie = await signIn(server.url);
    const created = await fetch(`${server.url}/api/ingest-keys`, { method: "POST", headers: { "content-type": "application/json", cookie }, body: JSON.stringify({ label: "bench" }) });
    const { secret } = createdIngestKeySchema.parse(await created.json());
    const loadBefore = os.loadavg();

    console.log(`JSON: ${CLIENTS} clients, batches of ${BATCH}, ${SECONDS} s…`);
    const json = await sustainedHttp(server, secret, "json");
    console.log(json);
    console.log(`line protocol: ${CLIENTS} clients, batches of ${BATCH}, ${SECONDS} s…`);
    const influx = await sustainedHttp(server, secret, "influx");
    console.log(influx);
    console.log(`MQTT: ${MQTT_MESSAGES} messages QoS 1 through ${MQTT_URL}…`);
    const mqttResult = await mqttThroughput(databaseUrl, prefix);
    console.log(mqttResult);

    const result = {
      takenAt: new Date().toISOString(),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, loadAverage1mBefore: round(loadBefore[0]!, 2), loadAverage1mAfter: round(os.loadavg()[0]!, 2) },
      database: process.env.DATABASE_URL ? "DATABASE_URL's server" : "embedded PostgreSQL",
      targets: { samplesPerSecond: 20_000, ackLatencyP99Ms: 100 },
      json,
      influx,
      mqtt: mqttResult,
    };
    console.log(`written to ${await writeResult("ingest", result, options.record)}`);
  } finally {
    if (server) await stopServer(server).catch((error: unknown) => console.error(error));
    // The subscriber's persistent session stays on the broker for a day; end it now.
    const cleaner = await mqtt.connectAsync(MQTT_URL, { clientId: prefix, clean: true, protocolVersion: 5, properties: { sessionExpiryInterval: 0 }, reconnectPeriod: 0 }).catch(() => undefined);
    await cleaner?.endAsync();
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
