/**
 * npm run soak [-- --ticks 86400 --tick-ms 5 --minutes 10]
 *
 * A day of wall-screen life in under ten minutes: the built server streams a tick every 5 ms
 * (200 a second, each one simulated second apart), and /wall/soak in headless Chromium rotates
 * through three views every 20 s while it receives and draws them. Before and after, it forces a
 * garbage collection and reads the JS heap, the DOM node count and the event listener count, and
 * the chart worker's heap (over CDP, on the worker's own target).
 * Target: heap growth under 2 MB, the worker's too; DOM nodes and listeners flat. Results: stdout and
 * bench/results/runs/ (bench/results/soak.json with --record).
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import type { CDPSession, Page } from "@playwright/test";
import { dropDatabase, ensureDatabaseExists } from "@/lib/db/admin";
import { startServer, type RunningServer } from "@/e2e/support/server";
import { signIn } from "@/e2e/support/sign-in";
import { launchChromium } from "@/test/support/harness";
import { providePostgresServer } from "@/test/support/postgres-server";
import { benchPort, writeResult } from "./settings";

const { values: options } = parseArgs({
  options: {
    ticks: { type: "string", default: "86400" },
    "tick-ms": { type: "string", default: "5" },
    minutes: { type: "string", default: "10" },
    port: { type: "string", default: String(benchPort("BENCH_PORT", 3292)) },
    record: { type: "boolean", default: false },
  },
});
const TICKS = Number(options.ticks);
const TICK_MS = Number(options["tick-ms"]);
const DEADLINE_MS = Number(options.minutes) * 60_000;
const PORT = Number(options.port);
const WARM_UP_MS = 30_000;

interface Sample {
  atMs: number;
  ticksReceived: number;
  heapUsedBytes: number;
  /** The chart worker's JS heap after forced GC (null when the page has no worker). */
  workerHeapUsedBytes: number | null;
  domNodes: number;
  jsEventListeners: number;
  documents: number;
}

/**
 * Samples with the first view of the rotation on screen, so that start and end compare the same
 * panels (the views differ in how many cells and lines they draw).
 */
/**
 * The chart worker's heap after two forced collections, read over CDP on the worker's own target
 * (a browser-level session attaches to it; Playwright opens CDP sessions on pages only).
 */
async function workerHeapUsed(browserCdp: CDPSession): Promise<number | null> {
  const { targetInfos } = await browserCdp.send("Target.getTargets");
  // The page has one dedicated worker, the chart worker ("pulse-charts" where the title shows its name).
  const workers = targetInfos.filter((target) => target.type === "worker");
  const worker = workers.find((target) => target.title.includes("pulse-charts")) ?? workers[0];
  if (!worker) return null;
  const { sessionId } = await browserCdp.send("Target.attachToTarget", { targetId: worker.targetId, flatten: false });
  let nextId = 0;
  const call = (method: string, params: object = {}) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const id = ++nextId;
      const listener = (event: { sessionId?: string; message: string }) => {
        if (event.sessionId !== sessionId) return;
        const message = JSON.parse(event.message) as { id?: number; result?: Record<string, unknown>; error?: { message: string } };
        if (message.id !== id) return;
        browserCdp.off("Target.receivedMessageFromTarget", listener);
        if (message.error) reject(new Error(`${method}: ${message.error.message}`));
        else resolve(message.result ?? {});
      };
      browserCdp.on("Target.receivedMessageFromTarget", listener);
      void browserCdp.send("Target.sendMessageToTarget", { sessionId, message: JSON.stringify({ id, method, params }) });
    });
  try {
    await call("HeapProfiler.collectGarbage");
    await call("HeapProfiler.collectGarbage");
    return Number((await call("Runtime.getHeapUsage")).usedSize);
  } finally {
    await browserCdp.send("Target.detachFromTarget", { sessionId });
  }
}

async function sample(page: Page, cdp: CDPSession, browserCdp: CDPSession, ticksReceived: () => number, startedAt: number): Promise<Sample> {
  await page.waitForSelector('[data-rotation-index="0"]', { timeout: 90_000 });
  await page.waitForTimeout(3_000); // let the view settle (snapshot in, charts rebuilt)
  await cdp.send("HeapProfiler.collectGarbage");
  await cdp.send("HeapProfiler.collectGarbage");
  const heap = await cdp.send("Runtime.getHeapUsage");
  const counters = await cdp.send("Memory.getDOMCounters");
  return {
    atMs: Date.now() - startedAt,
    ticksReceived: ticksReceived(),
    heapUsedBytes: heap.usedSize,
    workerHeapUsedBytes: await workerHeapUsed(browserCdp),
    domNodes: counters.nodes,
    jsEventListeners: counters.jsEventListeners,
    documents: counters.documents,
  };
}

async function main() {
  if (!existsSync("dist/server.js") || !existsSync(".next/BUILD_ID")) {
    console.error("soak: no build found; run `npm run build` first");
    process.exit(1);
  }
  const postgres = await providePostgresServer("soak-postgres", benchPort("BENCH_EMBEDDED_PG_PORT", 54379));
  const name = `pulse_soak_${randomBytes(4).toString("hex")}`;
  const databaseUrl = await ensureDatabaseExists(postgres.url, name);
  let server: RunningServer | undefined;
  const browser = await launchChromium();
  try {
    server = await startServer({
      port: PORT,
      env: {
        DATABASE_URL: databaseUrl,
        LOG_LEVEL: "warn",
        SIM_TICK_MS: String(TICK_MS),
        // Each tick a simulated second apart, so the screen sees a day of rhythms and incidents.
        SIM_SPEED: String(1000 / TICK_MS),
        HISTORY_BACKFILL_HOURS: "2",
      },
    });
    const created = await fetch(`${server.url}/api/playlists`, {
      method: "POST",
      // Changes need a signed-in operator; startServer() gave the server a known first-admin password.
      headers: { "content-type": "application/json", cookie: await signIn(server.url) },
      body: JSON.stringify({
        slug: "soak",
        name: "Soak",
        views: [
          { title: "All", dwellSeconds: 20 },
          { title: "China Mobile", operators: ["china-mobile"], dwellSeconds: 20 },
          { title: "Energy", sectors: ["energy"], window: "1h", dwellSeconds: 20 },
        ],
      }),
    });
    if (created.status !== 201) throw new Error(`creating the playlist failed: ${await created.text()}`);

    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    let ticksReceived = 0;
    page.on("websocket", (socket) =>
      socket.on("framereceived", ({ payload }) => {
        if (typeof payload === "string" && payload.startsWith('42["stream:tick"')) ticksReceived++;
      }),
    );
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("HeapProfiler.enable");
    const browserCdp = await browser.newBrowserCDPSession();
    const startedAt = Date.now();
    await page.goto(`${server.url}/wall/soak`);
    await page.waitForSelector('[data-connection="live"]', { timeout: 30_000 });
    await page.waitForTimeout(WARM_UP_MS);

    const received = () => ticksReceived;
    const start = await sample(page, cdp, browserCdp, received, startedAt);
    console.log(`start: ${JSON.stringify(start)}`);
    const samples = [start];
    while (ticksReceived - start.ticksReceived < TICKS) {
      if (Date.now() - startedAt > DEADLINE_MS) throw new Error(`only ${ticksReceived - start.ticksReceived} ticks within ${options.minutes} minutes`);
      await page.waitForTimeout(20_000);
      const progress = await sample(page, cdp, browserCdp, received, startedAt);
      samples.push(progress);
      console.log(`${Math.round(progress.atMs / 1000)} s: ${progress.ticksReceived - start.ticksReceived} ticks, heap ${(progress.heapUsedBytes / 2 ** 20).toFixed(2)} MB, worker heap ${progress.workerHeapUsedBytes === null ? "—" : (progress.workerHeapUsedBytes / 2 ** 20).toFixed(2)} MB, ${progress.domNodes} nodes, ${progress.jsEventListeners} listeners`);
    }
    const end = samples.at(-1)!;
    const stillLive = await page.locator('[data-connection="live"]').count();
    const result = {
      date: new Date().toISOString(),
      machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}, Chromium headless`,
      tickMs: TICK_MS,
      ticksDrawn: end.ticksReceived - start.ticksReceived,
      minutes: Math.round(((end.atMs - start.atMs) / 60_000) * 10) / 10,
      heapGrowthMB: Math.round(((end.heapUsedBytes - start.heapUsedBytes) / 2 ** 20) * 100) / 100,
      workerHeapGrowthMB:
        start.workerHeapUsedBytes === null || end.workerHeapUsedBytes === null ? null : Math.round(((end.workerHeapUsedBytes - start.workerHeapUsedBytes) / 2 ** 20) * 100) / 100,
      domNodes: { start: start.domNodes, end: end.domNodes },
      jsEventListeners: { start: start.jsEventListeners, end: end.jsEventListeners },
      stillLive: stillLive === 1,
      samples,
    };
    const written = await writeResult("soak", result, options.record);
    console.log(JSON.stringify({ ...result, samples: `${samples.length} samples in ${written}` }, null, 2));
    const met = result.heapGrowthMB < 2 && (result.workerHeapGrowthMB ?? 0) < 2 && end.domNodes <= start.domNodes * 1.05 + 20 && end.jsEventListeners <= start.jsEventListeners + 5;
    console.log(met ? "target met" : "TARGET NOT MET");
  } finally {
    await browser.close();
    if (server) await server.stop();
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
