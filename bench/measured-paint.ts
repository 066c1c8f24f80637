/**
 * npm run bench:measured [-- --samples 40 --tick-ms 1000 --record]
 *
 * "A sample accepted → painted on a subscribed dashboard" (issue 11): the product's application
 * (the Next.js production build and the live stream, built by server/application.ts as `npm start`
 * builds it) runs in this process on a throwaway database, with the dashboard `/` open in headless
 * Chromium (1920×1080, every panel). Each round stores one sample for china-mobile/energy with a
 * value the simulator never shows and hands it to the live stream exactly as an ingest endpoint does
 * after its commit (lib/db/samples.ts storeSamples, then RealtimeHandle.acceptMeasured), at a random
 * moment within the tick interval. The live stream names the first tick that carries it — a
 * revision of the newest tick, or a new one; the page reports when that tick, with the sample's
 * value, was painted (lib/realtime/bench-probe.ts `tickPainted`). Figures, from the sample's
 * `received_at` (before the commit) and from the accept (after it):
 *  - acceptedToPaintedMs: what the target (p95 < 150 ms) is about;
 *  - acceptedToTickMs: the wait for that tick (a revision's coalescing, or the next tick), and tickToPaintedMs;
 *  - revisions: how many rounds a revision carried (the rest waited for a new tick).
 * Browser and server share the machine's clock. Results go to stdout and bench/results/runs/
 * (bench/results/measured-paint.json with --record).
 */
import { randomBytes } from "node:crypto";
import os from "node:os";
import { parseArgs } from "node:util";
import type { StoredSample } from "@/lib/contracts/ingest";
import { dropDatabase, ensureDatabaseExists } from "@/lib/db/admin";
import { closeDatabase, createDatabase, installDatabase } from "@/lib/db/client";
import { migrateDatabase } from "@/lib/db/migrate";
import { storeSamples } from "@/lib/db/samples";
import { seedReferenceData } from "@/lib/db/seed";
import { seriesIndex } from "@/lib/domain/series";
import { getEnv } from "@/lib/env";
import type { PulseBenchHooks } from "@/lib/realtime/bench-probe";
import { createAccessGate } from "@/server/access-gate";
import { createApplication } from "@/server/application";
import { readBuildId } from "@/server/realtime";
import type { FullTick } from "@/server/realtime/tick-source";
import { getRealtime } from "@/server/realtime/registry";
import { dropLeftoverDatabases, launchChromium, sleep } from "@/test/support/harness";
import { providePostgresServer } from "@/test/support/postgres-server";
import { benchPort, writeResult } from "./settings";

const { values: options } = parseArgs({
  options: {
    samples: { type: "string", default: "40" },
    "tick-ms": { type: "string", default: "1000" },
    record: { type: "boolean", default: false },
  },
});
const whole = (name: "samples" | "tick-ms", min: number, max: number) => {
  const value = Number(options[name]);
  if (Number.isInteger(value) && value >= min && value <= max) return value;
  console.error(`--${name} must be a whole number from ${min} to ${max}, got ${options[name]}`);
  process.exit(1);
};
const SAMPLES = whole("samples", 5, 1000);
const TICK_MS = whole("tick-ms", 50, 10_000);
const PORT = benchPort("BENCH_PORT", 3292);
const EMBEDDED_PG_PORT = benchPort("BENCH_EMBEDDED_PG_PORT", 54369);
const TARGET_P95_MS = 150;
const WARM_UP_MS = 5000;
const ENERGY = seriesIndex("china-mobile", "energy");

interface PaintRecord {
  seq: number;
  paintedAtMs: number;
  /** China Mobile / energy in the painted version of the tick. */
  energy: number | null;
}
declare global {
  interface Window {
    __pulseBench?: PulseBenchHooks;
    __pulsePainted?: PaintRecord[];
  }
}

const percentile = (values: readonly number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const summary = (values: readonly number[]) => ({
  p50: Math.round(percentile(values, 50)),
  p95: Math.round(percentile(values, 95)),
  max: Math.round(Math.max(...values)),
});

async function main(): Promise<void> {
  const postgres = await providePostgresServer("bench-measured", EMBEDDED_PG_PORT);
  await dropLeftoverDatabases(postgres.url, "pulse_bench_measured_");
  const name = `pulse_bench_measured_${randomBytes(4).toString("hex")}`;
  const url = await ensureDatabaseExists(postgres.url, name);
  await migrateDatabase(url);
  const database = createDatabase(url, "external");
  installDatabase(database);
  await seedReferenceData(database.prisma);
  const application = await createApplication({
    dev: false,
    dir: process.cwd(),
    hostname: "127.0.0.1",
    port: PORT,
    gate: createAccessGate({ authRequired: false }),
    // Nothing to notify about here.
    notifications: false,
    realtime: {
      config: { ...getEnv(), SIM_TICK_MS: TICK_MS, SIM_SPEED: 1, HISTORY_BACKFILL_HOURS: 2, PULSE_AUTH: "off" },
      buildId: readBuildId(process.cwd(), false),
    },
  });
  const browser = await launchChromium();
  try {
    await application.listen();
    await application.realtime.backfilled;
    // Which tick first carried each value, as the live stream produced it: a new tick or a revision.
    const firstTickOf = new Map<number, { seq: number; producedAtMs: number; revision: boolean }>();
    const note = (tick: FullTick, revision: boolean) => {
      const value = tick.values[ENERGY];
      if (value !== null && value !== undefined && tick.provenance[ENERGY] === "measured" && !firstTickOf.has(value)) {
        firstTickOf.set(value, { seq: tick.seq, producedAtMs: Date.now(), revision });
      }
    };
    application.realtime.source.onTick((tick) => note(tick, false));
    application.realtime.source.onRevision((tick) => note(tick, true));

    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    // Plain script text: what the page runs before its own scripts (the hook only pushes records).
    await page.addInitScript({
      content: `window.__pulsePainted = []; window.__pulseBench = { tickPainted(seq, instant, paintedAtMs, values) { window.__pulsePainted.push({ seq, paintedAtMs, energy: values[${ENERGY}] }); } };`,
    });
    await page.goto(`http://127.0.0.1:${PORT}/`);
    await page.locator('[data-connection="live"]').waitFor({ timeout: 30_000 });
    await sleep(WARM_UP_MS);

    const rounds: { receivedToPaintedMs: number; acceptedToPaintedMs: number; acceptedToTickMs: number; tickToPaintedMs: number; revision: boolean }[] = [];
    for (let round = 0; round < SAMPLES; round++) {
      // A random moment in the tick interval, and a value the simulator never shows (it runs in millions).
      await sleep(Math.random() * TICK_MS);
      const connections = 1_000 + round;
      // Stamped, stored and handed over as the ingest pipeline does (server/ingest/pipeline.ts).
      const receipt = getRealtime()!.openReceipt();
      const sample: StoredSample = { operator: "china-mobile", sector: "energy", connections, atMs: Date.now(), receivedAtMs: receipt.receivedAtMs, source: "http" };
      const { stored } = await storeSamples([sample]);
      getRealtime()!.acceptMeasured(stored);
      receipt.close();
      const acceptedAtMs = Date.now();
      const deadline = Date.now() + TICK_MS * 3 + 5_000;
      let painted: PaintRecord | undefined;
      while (!painted && Date.now() < deadline) {
        await sleep(10);
        const tick = firstTickOf.get(connections);
        if (!tick) continue;
        const records = await page.evaluate(() => window.__pulsePainted ?? []);
        // The first paint showing the sample: its tick's revised version (painted under the same seq),
        // or a later tick when one frame took both the revision and the next tick.
        painted = records.find((record) => record.seq >= tick.seq && record.energy === connections);
      }
      const tick = firstTickOf.get(connections);
      if (!painted || !tick) {
        const records = await page.evaluate(() => window.__pulsePainted ?? []);
        throw new Error(`round ${round}: the sample was not painted within ${deadline - acceptedAtMs} ms (tick ${JSON.stringify(tick)}, ${records.length} painted, last ${JSON.stringify(records.at(-1))})`);
      }
      rounds.push({
        receivedToPaintedMs: painted.paintedAtMs - sample.receivedAtMs,
        acceptedToPaintedMs: painted.paintedAtMs - acceptedAtMs,
        acceptedToTickMs: tick.producedAtMs - acceptedAtMs,
        tickToPaintedMs: painted.paintedAtMs - tick.producedAtMs,
        revision: tick.revision,
      });
    }

    const acceptedToPainted = summary(rounds.map((round) => round.acceptedToPaintedMs));
    const result = {
      at: new Date().toISOString(),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? "unknown", node: process.version },
      samples: SAMPLES,
      tickMs: TICK_MS,
      acceptedToPaintedMs: { ...acceptedToPainted, target: TARGET_P95_MS, met: acceptedToPainted.p95 < TARGET_P95_MS },
      receivedToPaintedMs: summary(rounds.map((round) => round.receivedToPaintedMs)),
      acceptedToTickMs: summary(rounds.map((round) => round.acceptedToTickMs)),
      tickToPaintedMs: summary(rounds.map((round) => round.tickToPaintedMs)),
      revisions: rounds.filter((round) => round.revision).length,
      loadAverage: os.loadavg().map((load) => Math.round(load * 100) / 100),
    };
    console.log(JSON.stringify(result, null, 2));
    const written = await writeResult(TICK_MS === 1000 ? "measured-paint" : `measured-paint-${TICK_MS}ms`, result, options.record);
    console.log(`written to ${written}`);
  } finally {
    await browser.close();
    await application.close();
    await closeDatabase(database);
    await dropDatabase(postgres.url, name);
    await postgres.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
