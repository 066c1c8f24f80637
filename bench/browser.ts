/**
 * npm run bench:browser [-- --runs 3 --ticks 60 --loads 3]
 *
 * Measures the dashboard in headless Chromium (1920×1080) against the built server
 * (dist/server.js, as `npm start` runs it) on a throwaway database with 26 hours of history:
 *  1. tick-to-painted latency on `/` (every panel, 15-minute window; the page is taller than
 *     1080 px, and the result says which panels were fully in view): for each tick the page
 *     reports through `window.__pulseBench.tickPainted` (lib/realtime/bench-probe.ts), the
 *     browser clock after the paint that shows it minus the tick's instant, which at speed 1 is
 *     the server's due time for it. Browser and server share the machine's clock.
 *  2. main-thread time per tick on the same page over the same period: the growth of Chromium's
 *     TaskDuration (and its ScriptDuration, LayoutDuration and RecalcStyleDuration parts), read
 *     over CDP, divided by the ticks painted in that period. The bench does not poll the page in
 *     that period (it awaits one promise the page resolves): a page.evaluate is a main-thread task
 *     too. Everything the page does in that
 *     time counts (the one-second clock, the minutely refetch of the last hour): it is what a tick
 *     costs. The thread's CPU time is given beside it, as it suffers less from a busy machine.
 *  3. switching `/` from its live 15 minutes to the 24-hour per-minute view (a click on the
 *     window's "24 hours" chip, 1,440 points per series): the longest main-thread task from the
 *     click until every chart has drawn the day (the page's `longtask` PerformanceObserver, which
 *     sees tasks of 50 ms and more: "none" means every task was shorter; the summary gives the
 *     worst switch, not a median), and what each chart
 *     reports through `chartRebuilt` (points, ms from the start of its rebuild to after the paint).
 *     Also the main-thread time per tick while that view is open.
 *  4. 1 and 2 on `/wall` (the wall screen of the same view).
 *  5. the floor: 2 on a bare page that takes the same stream over a raw WebSocket and writes four
 *     figures per tick, nothing else (bench/floor-page.ts): the least main-thread time a tick can
 *     cost on this machine and browser, against which the dashboard's figure is read. And the
 *     floor with charts: the same page with the dashboard's own chart worker drawing the charts
 *     of `/` (and of `/wall`) as those pages set them up (recorded from them once per bench run).
 * All of it is done once per `--throttle` rate (default 1 and 4): Chromium's CPU slowed down by
 * CDP's Emulation.setCPUThrottlingRate, as a slow wall device (TV stick, small PC) would be.
 * The first 5 s after a load are discarded (warm-up). 1, 2, 4 and 5 are repeated `--runs` times on fresh
 * pages and 3 `--loads` times; the summary gives the median. Results go to stdout and
 * bench/results/runs/ (bench/results/browser.json with --record).
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import type { Browser, CDPSession, Page } from "@playwright/test";
import { build } from "esbuild";
import { dropDatabase, ensureDatabaseExists } from "@/lib/db/admin";
import type { PulseBenchHooks } from "@/lib/realtime/bench-probe";
import { startServer, type RunningServer } from "@/e2e/support/server";
import { assertPortFree, createCleanup, dropLeftoverDatabases, launchChromium, sleep, stopServer, waitFor, waitForDayOfHistory } from "@/test/support/harness";
import { providePostgresServer } from "@/test/support/postgres-server";
import { floorPageHtml } from "./floor-page";
import { benchPort, writeResult } from "./settings";

const { values: options } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    ticks: { type: "string", default: "60" },
    loads: { type: "string", default: "3" },
    throttle: { type: "string", default: "1,4" },
    record: { type: "boolean", default: false },
  },
});
const count = (name: keyof typeof options, min: number) => {
  const value = Number(options[name]);
  if (Number.isInteger(value) && value >= min) return value;
  console.error(`--${name} must be a whole number of at least ${min}, got ${options[name]}`);
  process.exit(1);
};
const RUNS = count("runs", 1);
const TICKS = count("ticks", 10);
const LOADS = count("loads", 1);
const THROTTLES = (options.throttle ?? "1").split(",").map((rate) => {
  const value = Number(rate);
  if (Number.isFinite(value) && value >= 1 && value <= 20) return value;
  console.error(`--throttle takes CPU slow-down rates from 1 to 20, comma-separated, got ${rate}`);
  process.exit(1);
});

const PORT = benchPort("BENCH_PORT", 3290);
const EMBEDDED_PG_PORT = benchPort("BENCH_EMBEDDED_PG_PORT", 54369);
const VIEWPORT = { width: 1920, height: 1080 };
const TICK_MS = 1000; // the server's default; the bench does not change it
const WARM_UP_MS = 5000;
const TARGETS = { tickToPaintP95Ms: 100, mainThreadMsPerTick: 4, view24hMs: 50 };
// The five time-series charts of the dashboard (English labels, the default language).
const CHARTS_24H = ["Total", "By operator", "By sector (stacked)", "Total against its expected band", "Each series: departure from expected (%)"];

interface TickRecord {
  seq: number;
  tickInstantMs: number;
  paintedAtMs: number;
}
interface RebuildRecord {
  label: string;
  points: number;
  ms: number;
  /** performance.now() when the probe reported, to tell which rebuilds shared one frame. */
  at: number;
}
interface BenchRecords {
  ticks: TickRecord[];
  /**
   * Resolves once `count` ticks are recorded (false after `timeoutMs`): the bench awaits this
   * instead of polling, since every page.evaluate is a task on the very thread being measured
   * (about 0.7 ms of its CPU each, ~3 ms a tick at four polls a second).
   */
  waitForTicks(count: number, timeoutMs: number): Promise<boolean>;
  rebuilds: RebuildRecord[];
  /** Main-thread tasks of 50 ms or more (performance.now() start, duration). */
  longTasks: { start: number; duration: number }[];
}
type BenchWindow = { __pulseBench?: PulseBenchHooks; __pulseBenchRecords?: BenchRecords };

/**
 * Runs in the page before any of its scripts: the hooks only push plain records, so what they
 * add to the page's work is a few array pushes per tick. Typed against the probe's interface.
 */
function installBenchHooks(): void {
  const target = window as unknown as BenchWindow;
  const waiting: { count: number; resolve: (reached: boolean) => void }[] = [];
  const records: BenchRecords = {
    ticks: [],
    rebuilds: [],
    longTasks: [],
    waitForTicks(count, timeoutMs) {
      if (records.ticks.length >= count) return Promise.resolve(true);
      return new Promise((resolve) => {
        const entry = { count, resolve };
        waiting.push(entry);
        setTimeout(() => {
          const index = waiting.indexOf(entry);
          if (index >= 0) waiting.splice(index, 1);
          resolve(false);
        }, timeoutMs);
      });
    },
  };
  target.__pulseBenchRecords = records;
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) records.longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: "longtask", buffered: true });
  } catch {
    // No Long Tasks API: the switch then reports no long task, which the summary says is unknown.
  }
  target.__pulseBench = {
    tickPainted(seq, tickInstantMs, paintedAtMs) {
      records.ticks.push({ seq, tickInstantMs, paintedAtMs });
      for (let index = waiting.length - 1; index >= 0; index--) {
        if (records.ticks.length < waiting[index]!.count) continue;
        waiting[index]!.resolve(true);
        waiting.splice(index, 1);
      }
    },
    chartRebuilt(info) {
      records.rebuilds.push({ label: info.label, points: info.points, ms: info.ms, at: performance.now() });
    },
  } satisfies PulseBenchHooks;
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
/** Nearest-rank percentile. */
const percentile = (sorted: readonly number[], p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;

const readRecords = (page: Page) =>
  page.evaluate(() => {
    const records = (window as unknown as BenchWindow).__pulseBenchRecords;
    return { ticks: records?.ticks ?? [], rebuilds: records?.rebuilds ?? [], longTasks: records?.longTasks ?? [] };
  });
const tickCount = (page: Page) => page.evaluate(() => (window as unknown as BenchWindow).__pulseBenchRecords?.ticks.length ?? 0);

/**
 * Two CDP sessions read the same page's metrics in two time domains: wall time (what the target
 * is about: how long the main thread was busy) and the thread's CPU time, which other processes
 * on a busy 2-core machine inflate far less, to tell the page's cost from the machine's noise.
 */
interface MetricSessions {
  wall: CDPSession;
  cpu: CDPSession;
}
type Metrics = { wall: Record<string, number>; cpu: Record<string, number> };
async function metrics(sessions: MetricSessions): Promise<Metrics> {
  const read = async (session: CDPSession) => Object.fromEntries((await session.send("Performance.getMetrics")).metrics.map((metric) => [metric.name, metric.value]));
  const [wall, cpu] = await Promise.all([read(sessions.wall), read(sessions.cpu)]);
  return { wall, cpu };
}

/** Main-thread milliseconds per tick between two metric readings, total and by kind. */
function perTick(before: Metrics, after: Metrics, ticks: number) {
  const ms = (domain: keyof Metrics, name: string) => round((((after[domain][name] ?? 0) - (before[domain][name] ?? 0)) * 1000) / ticks, 3);
  return {
    taskMs: ms("wall", "TaskDuration"),
    scriptMs: ms("wall", "ScriptDuration"),
    layoutMs: ms("wall", "LayoutDuration"),
    recalcStyleMs: ms("wall", "RecalcStyleDuration"),
    cpu: { taskMs: ms("cpu", "TaskDuration"), scriptMs: ms("cpu", "ScriptDuration"), layoutMs: ms("cpu", "LayoutDuration") },
  };
}

/** A fresh page whose main thread is metered (both time domains), its CPU slowed `throttle` times. */
async function meteredPage(browser: Browser, throttle: number, contextOptions: { bypassCSP?: boolean } = {}) {
  const context = await browser.newContext({ viewport: VIEWPORT, ...contextOptions });
  const page = await context.newPage();
  const cdp: MetricSessions = { wall: await context.newCDPSession(page), cpu: await context.newCDPSession(page) };
  await cdp.wall.send("Performance.enable", { timeDomain: "timeTicks" });
  await cdp.cpu.send("Performance.enable", { timeDomain: "threadTicks" });
  // Slows the page's renderer (workers included) as a slower device would be.
  if (throttle > 1) await cdp.wall.send("Emulation.setCPUThrottlingRate", { rate: throttle });
  return { context, page, cdp };
}

async function openPage(browser: Browser, url: string, throttle: number) {
  const { context, page, cdp } = await meteredPage(browser, throttle);
  await page.addInitScript(installBenchHooks);
  const response = await page.goto(url, { waitUntil: "load", timeout: 30_000 });
  if (!response?.ok()) throw new Error(`${url} answered ${response?.status() ?? "nothing"}`);
  return { page, cdp, loadedAt: Date.now(), close: () => context.close() };
}

/**
 * Collects `ticks` painted ticks after the warm-up, with the main thread's time over exactly
 * that stretch: metrics are read right after a tick has been counted, so the period holds whole
 * ticks (the one painted just before the first reading belongs to the period before).
 */
async function measureTicks(page: Page, cdp: MetricSessions, loadedAt: number, ticks: number, server: RunningServer) {
  await waitFor("the first painted tick (is the socket connecting? is the probe in the page?)", 20_000, server, async () => ((await tickCount(page)) > 0 ? true : undefined));
  await sleep(Math.max(0, loadedAt + WARM_UP_MS - Date.now()));
  // Start just after a tick has painted, so the period does not begin half-way through one.
  const seen = await tickCount(page);
  const startCount = await waitFor("a tick after the warm-up", 10 * TICK_MS, server, async () => {
    const count = await tickCount(page);
    return count > seen ? count : undefined;
  });
  const before = await metrics(cdp);
  // One call that the page answers when the ticks are in: no polling while the thread is measured.
  const timeoutMs = ticks * TICK_MS * 2 + 15_000;
  let onExit: (() => void) | undefined;
  const exited = new Promise<never>((_, reject) => {
    onExit = () => reject(new Error(`the server exited with ${server.process.exitCode} while waiting for ${ticks} painted ticks:\n${server.output()}`));
    server.process.once("exit", onExit);
  });
  const reached = await Promise.race([page.evaluate(([count, ms]) => (window as unknown as BenchWindow).__pulseBenchRecords!.waitForTicks(count, ms), [startCount + ticks, timeoutMs] as const), exited]).finally(() => server.process.off("exit", onExit!));
  const after = await metrics(cdp);
  if (!reached) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${ticks} painted ticks`);
  const endCount = startCount + ticks;
  const painted = (await readRecords(page)).ticks.slice(startCount, endCount);
  const latencies = painted.map((tick) => tick.paintedAtMs - tick.tickInstantMs).sort((a, b) => a - b);
  // Ticks coalesced into one frame (or lost) show as gaps in the sequence numbers.
  const seqSpan = painted.at(-1)!.seq - painted[0]!.seq + 1;
  return {
    ticks: painted.length,
    ticksNotPaintedSeparately: seqSpan - painted.length,
    tickToPaintMs: { p50: round(percentile(latencies, 50), 1), p95: round(percentile(latencies, 95), 1), max: round(latencies.at(-1)!, 1) },
    mainThreadPerTick: perTick(before, after, painted.length),
  };
}

/** Which panels are inside the viewport, and how tall the page is: "every panel on screen" is checked, not assumed. */
async function panelsInViewport(page: Page) {
  return page.evaluate(() => ({
    pageHeight: document.documentElement.scrollHeight,
    panels: [...document.querySelectorAll<HTMLElement>("[data-panel]")].map((panel) => {
      const box = panel.getBoundingClientRect();
      return { panel: panel.dataset.panel ?? "", top: Math.round(box.top), bottom: Math.round(box.bottom), fullyVisible: box.top >= 0 && box.bottom <= window.innerHeight };
    }),
  }));
}

async function liveRun(browser: Browser, server: RunningServer, path: string, throttle: number) {
  const { page, cdp, loadedAt, close } = await openPage(browser, `${server.url}${path}`, throttle);
  try {
    const layout = await panelsInViewport(page);
    return { ...(await measureTicks(page, cdp, loadedAt, TICKS, server)), layout };
  } finally {
    await close();
  }
}

async function daySwitch(browser: Browser, server: RunningServer, throttle: number, measureTicksToo: boolean) {
  const { page, cdp, loadedAt, close } = await openPage(browser, `${server.url}/`, throttle);
  try {
    // Live first, settled: the switch is measured from a page in use, not from its load.
    await waitFor("the first painted tick", 20_000, server, async () => ((await tickCount(page)) > 0 ? true : undefined));
    await sleep(Math.max(0, loadedAt + WARM_UP_MS - Date.now()));
    // The chip is found before the clock starts: Playwright's role query walks the page's
    // accessibility names in the page's own thread (a long task by itself at 4× CPU), and the
    // click is then a plain mouse event at its centre, as a person's would be.
    const chip = await page.getByRole("group", { name: "Time window" }).getByRole("button", { name: "24 hours" }).boundingBox();
    if (!chip) throw new Error("the 24 hours chip is not on screen");
    const clickedAt = await page.evaluate(() => performance.now());
    await page.mouse.click(chip.x + chip.width / 2, chip.y + chip.height / 2);
    // Only the rebuilds are read while waiting (not every tick record so far): each read is a task on the measured thread.
    const readAfterClick = async () => ({
      rebuilds: await page.evaluate((since) => ((window as unknown as BenchWindow).__pulseBenchRecords?.rebuilds ?? []).filter((record) => record.at - record.ms >= since), clickedAt),
    });
    // A history view has no live points, so a chart's redraw with the most points is the one with
    // the day's history in. That count is not fixed (a chart may thin out points to the width it
    // has), so wait until all five have drawn with points > 1000 (one per minute for each series)
    // or, failing that, have drawn and no chart has redrawn for 2 s; then take each chart's first
    // redraw with its most points.
    let settled = { count: -1, since: Date.now() };
    const firstFull = await waitFor("the five charts to redraw with 24 hours of history", 30_000 * throttle, server, async () => {
      const { rebuilds } = await readAfterClick();
      if (rebuilds.length !== settled.count) settled = { count: rebuilds.length, since: Date.now() };
      const full = CHARTS_24H.map((label) => rebuilds.find((record) => record.label === label && record.points > 1000));
      if (full.every((record) => record !== undefined)) return full as RebuildRecord[];
      const perChart = CHARTS_24H.map((label) => rebuilds.filter((record) => record.label === label && record.points > 0));
      if (perChart.some((records) => records.length === 0) || Date.now() - settled.since < 2000) return undefined;
      return perChart.map((records) => records.find((record) => record.points === Math.max(...records.map((other) => other.points)))!);
    }).catch(async (error: unknown) => {
      const { rebuilds } = await readAfterClick();
      throw new Error(`${error instanceof Error ? error.message : String(error)}; reported so far: ${JSON.stringify(rebuilds.map(({ label, points }) => ({ label, points })))}`);
    });
    // The probe's ms runs to after the paint, and charts rebuilt in one commit paint in one frame:
    // a chart's ms then includes the charts rebuilt after it. A chart's own share ends where the
    // next one in that frame started (the last one keeps the paint). The span from the first start
    // to the last report is the wall time until the whole view was on screen.
    const started = firstFull.map((record) => record.at - record.ms);
    const ownMs = firstFull.map((record, index) => {
      const nextInFrame = started.filter((start) => start > started[index]! && start < record.at);
      return nextInFrame.length ? Math.min(...nextInFrame) - started[index]! : record.ms;
    });
    const span = Math.max(...firstFull.map((record) => record.at)) - Math.min(...started);
    const charts = firstFull.map(({ label, points, ms }, index) => ({ label, points, ms: round(ms, 1), ownMs: round(ownMs[index]!, 1) }));
    const largest = charts.reduce((a, b) => (b.ms > a.ms ? b : a));
    // The longest task from the click to the last chart's paint (a task still running then ends after it).
    const lastPaint = Math.max(...firstFull.map((record) => record.at));
    const { longTasks } = await readRecords(page);
    const during = longTasks.filter((task) => task.start + task.duration >= clickedAt && task.start <= lastPaint);
    const result = {
      longestTaskMs: during.length ? round(Math.max(...during.map((task) => task.duration)), 1) : 0,
      longTasksOver50: during.length,
      charts,
      largestMs: largest.ms,
      largestChart: largest.label,
      largestOwnMs: Math.max(...charts.map((chart) => chart.ownMs)),
      sumMs: round(charts.reduce((total, chart) => total + chart.ms, 0), 1),
      firstStartToLastPaintMs: round(span, 1),
      pointsTotal: charts.reduce((total, chart) => total + chart.points, 0),
    };
    // Each tick still redraws every chart in a history view: what that costs with 1,440 points a series.
    const whileOpen = measureTicksToo ? await measureTicks(page, cdp, Date.now() - WARM_UP_MS, Math.min(TICKS, 30), server) : undefined;
    return { ...result, whileOpen };
  } finally {
    await close();
  }
}

/**
 * The floor (bench/floor-page.ts): main-thread time per tick of a bare page on the same stream,
 * measured as the dashboard's is. The page replaces one of the server's own responses, so that
 * its socket is same-origin; `bypassCSP` lets its inline script run there. With `charts`, the
 * floor with charts: the page first starts the dashboard's chart worker on the recorded set-up.
 */
async function floorRun(browser: Browser, server: RunningServer, throttle: number, charts?: { setup: ChartSetup; workerSource: string }) {
  const { context, page, cdp } = await meteredPage(browser, throttle, { bypassCSP: true });
  try {
    await page.goto(`${server.url}/api/health`, { waitUntil: "load", timeout: 30_000 });
    await page.setContent(floorPageHtml(charts !== undefined));
    type FloorWindow = { __floor: { ticks: number; waitForTicks(count: number, timeoutMs: number): Promise<boolean>; start(setup: ChartSetup, workerSource: string): void } };
    if (charts) await page.evaluate(([setup, source]) => (window as unknown as FloorWindow).__floor.start(setup, source), [charts.setup, charts.workerSource] as const);
    const waitForTicks = (count: number, timeoutMs: number) =>
      page.evaluate(([wanted, ms]) => (window as unknown as FloorWindow).__floor.waitForTicks(wanted, ms), [count, timeoutMs] as const);
    if (!(await waitForTicks(1, 20_000))) throw new Error("the floor page painted no tick in 20 s (is its socket refused?)");
    await sleep(WARM_UP_MS);
    const start = await page.evaluate(() => (window as unknown as FloorWindow).__floor.ticks);
    if (!(await waitForTicks(start + 1, 10 * TICK_MS))) throw new Error("the floor page stopped painting ticks");
    const before = await metrics(cdp);
    if (!(await waitForTicks(start + 1 + TICKS, TICKS * TICK_MS * 2 + 15_000))) throw new Error(`the floor page did not paint ${TICKS} ticks`);
    const after = await metrics(cdp);
    return perTick(before, after, TICKS);
  } finally {
    await context.close();
  }
}

/** What a dashboard page posted to its chart worker to set its charts up, as plain data (bench/floor-page.ts replays it). */
interface ChartSetup {
  messages: { type: string; [key: string]: unknown }[];
  stream: string;
  snapshotTicks: number;
}

/**
 * Runs in the page before its scripts: keeps a plain copy of every set-up message the page posts
 * to its chart worker (taken before the post, which detaches transferred buffers), until the
 * first tick after its first window. A string, not a function: tsx's helpers do not exist in the page.
 */
const RECORD_CHART_SETUP = `(() => {
  const setup = { messages: [], stream: null, snapshotTicks: 0, done: false };
  window.__chartSetup = setup;
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message, transfer) {
    if (!setup.done && message && typeof message === "object") {
      if (message.type === "live-reset") {
        setup.stream = message.stream;
        setup.snapshotTicks = message.ticks.length;
      } else if (message.type === "live-append") {
        if (setup.stream !== null) setup.done = true;
      } else if (message.type === "history") {
        const history = message.history;
        setup.messages.push({ ...message, history: { resolutionSeconds: history.resolutionSeconds, buckets: Array.from(history.buckets), means: history.means.map((mean) => Array.from(mean, (value) => (Number.isNaN(value) ? null : value))) } });
      } else if (message.type !== "pointer" && message.type !== "png") {
        const { canvas, ...rest } = message;
        setup.messages.push(JSON.parse(JSON.stringify(rest)));
      }
    }
    return post.call(this, message, transfer);
  };
})()`;

async function recordChartSetup(browser: Browser, server: RunningServer, path: string): Promise<ChartSetup> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  try {
    const page = await context.newPage();
    await page.addInitScript(RECORD_CHART_SETUP);
    const response = await page.goto(`${server.url}${path}`, { waitUntil: "load", timeout: 30_000 });
    if (!response?.ok()) throw new Error(`${path} answered ${response?.status() ?? "nothing"}`);
    type SetupWindow = { __chartSetup: ChartSetup & { done: boolean } };
    const setup = await waitFor(`${path}'s charts and the first tick after their window`, 30_000, server, () =>
      page.evaluate(() => {
        const recorded = (window as unknown as SetupWindow).__chartSetup;
        return recorded.done ? recorded : undefined;
      }),
    );
    if (!setup.messages.some((message) => message.type === "create")) throw new Error(`${path} created no chart in its worker (is OffscreenCanvas available?)`);
    return { messages: setup.messages, stream: setup.stream, snapshotTicks: setup.snapshotTicks };
  } finally {
    await context.close();
  }
}

/** The dashboard's chart worker (components/charts/chart.worker.ts) as one script, for the floor with charts. */
async function bundleChartWorker(): Promise<string> {
  const bundled = await build({ entryPoints: ["components/charts/chart.worker.ts"], bundle: true, format: "iife", platform: "browser", minify: true, write: false, logLevel: "warning" });
  return bundled.outputFiles[0]!.text;
}

async function main() {
  if (!existsSync("dist/server.js") || !existsSync(".next/BUILD_ID")) {
    console.error("run npm run build first");
    process.exit(1);
  }
  await assertPortFree(PORT, `stop whatever listens there (the bench uses ${PORT})`);
  // The embedded cluster (.data/bench-postgres) is shared with npm run screenshot: starting it
  // while another run holds it would stop that run's database, so refuse instead.
  if (!process.env.DATABASE_URL) {
    await assertPortFree(EMBEDDED_PG_PORT, "the embedded PostgreSQL of another bench:browser or screenshot run is up; wait for it to finish, or set DATABASE_URL");
  }

  const cleanup = createCleanup();
  cleanup.install();

  try {
    const postgres = await providePostgresServer("bench-postgres", EMBEDDED_PG_PORT);
    cleanup.add("stop PostgreSQL", () => postgres.stop());
    await dropLeftoverDatabases(postgres.url, "pulse_browser_");
    const name = `pulse_browser_${randomBytes(4).toString("hex")}`;
    const databaseUrl = await ensureDatabaseExists(postgres.url, name);
    cleanup.add(`drop database ${name}`, () => dropDatabase(postgres.url, name));

    // Back-filling 26 hours takes a while on first start: the server is ready only after it.
    console.error("starting the built server on a throwaway database…");
    const server = await startServer({ port: PORT, env: { DATABASE_URL: databaseUrl, LOG_LEVEL: "warn", HISTORY_BACKFILL_HOURS: "26" }, timeoutMs: 120_000 });
    cleanup.add("stop the server", () => stopServer(server));
    await waitForDayOfHistory(server);

    const browser = await launchChromium();
    cleanup.add("close Chromium", () => browser.close());

    // The floor with charts draws what these pages draw, with the worker they use.
    const workerSource = await bundleChartWorker();
    const chartSetups = new Map<string, ChartSetup>();
    for (const path of ["/", "/wall"]) chartSetups.set(path, await recordChartSetup(browser, server, path));

    const modes = [];
    for (const throttle of THROTTLES) {
      const pages = [];
      for (const path of ["/", "/wall"]) {
        const runs: Awaited<ReturnType<typeof liveRun>>[] = [];
        for (let run = 1; run <= RUNS; run++) {
          console.error(`CPU ×${throttle}, ${path} run ${run}/${RUNS}: ${TICKS} ticks after ${WARM_UP_MS / 1000} s of warm-up…`);
          runs.push(await liveRun(browser, server, path, throttle));
        }
        pages.push({ path, ...summariseRuns(runs), runs });
      }
      const loads: Awaited<ReturnType<typeof daySwitch>>[] = [];
      for (let load = 1; load <= LOADS; load++) {
        console.error(`CPU ×${throttle}, switch to the 24-hour view ${load}/${LOADS}…`);
        loads.push(await daySwitch(browser, server, throttle, load === LOADS));
      }
      const floorRuns: Awaited<ReturnType<typeof floorRun>>[] = [];
      for (let run = 1; run <= RUNS; run++) {
        console.error(`CPU ×${throttle}, the floor (a bare page on the same stream) run ${run}/${RUNS}…`);
        floorRuns.push(await floorRun(browser, server, throttle));
      }
      const floorsWithCharts = [];
      for (const path of ["/", "/wall"]) {
        const runs: Awaited<ReturnType<typeof floorRun>>[] = [];
        for (let run = 1; run <= RUNS; run++) {
          console.error(`CPU ×${throttle}, the floor with ${path}'s charts run ${run}/${RUNS}…`);
          runs.push(await floorRun(browser, server, throttle, { setup: chartSetups.get(path)!, workerSource }));
        }
        floorsWithCharts.push({ path, ...summariseFloor(runs), runs });
      }
      modes.push({ throttle, pages, view24h: summariseLoads(loads), loads, floor: summariseFloor(floorRuns), floorRuns, floorsWithCharts });
    }

    const result = {
      date: new Date().toISOString(),
      machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}, Chromium ${browser.version()} (headless)`,
      // The machine is shared: its load average says how much the figures may be inflated.
      loadAverage: os.loadavg().map((value) => round(value, 2)),
      build: readFileSync(".next/BUILD_ID", "utf8").trim(),
      viewport: VIEWPORT,
      tickMs: TICK_MS,
      targets: TARGETS,
      summary: "per CPU throttle rate: medians over the runs (live pages) and switches (24-hour view); every run and switch follows",
      modes,
    };
    const written = await writeResult("browser", result, options.record);
    printSummary(result, written);
  } finally {
    await cleanup.run();
  }
}

/** Medians, rounded: a median of two runs is their mean, which would print as 4.449999… */
const m = (values: readonly number[]) => round(median(values), 1);

function summariseRuns(runs: Awaited<ReturnType<typeof liveRun>>[]) {
  const tickToPaintMs = {
    p50: m(runs.map((run) => run.tickToPaintMs.p50)),
    p95: m(runs.map((run) => run.tickToPaintMs.p95)),
    max: m(runs.map((run) => run.tickToPaintMs.max)),
  };
  const mainThreadMsPerTick = {
    taskMs: m(runs.map((run) => run.mainThreadPerTick.taskMs)),
    scriptMs: m(runs.map((run) => run.mainThreadPerTick.scriptMs)),
    layoutMs: m(runs.map((run) => run.mainThreadPerTick.layoutMs)),
    recalcStyleMs: m(runs.map((run) => run.mainThreadPerTick.recalcStyleMs)),
    cpuTaskMs: m(runs.map((run) => run.mainThreadPerTick.cpu.taskMs)),
  };
  return {
    tickToPaintMs: { ...tickToPaintMs, met: tickToPaintMs.p95 < TARGETS.tickToPaintP95Ms },
    mainThreadMsPerTick: { ...mainThreadMsPerTick, met: mainThreadMsPerTick.taskMs < TARGETS.mainThreadMsPerTick },
    ticksNotPaintedSeparately: runs.reduce((total, run) => total + run.ticksNotPaintedSeparately, 0),
    offScreenPanels: runs[0]?.layout.panels.filter((panel) => !panel.fullyVisible).map((panel) => panel.panel) ?? [],
  };
}

function summariseFloor(runs: Awaited<ReturnType<typeof floorRun>>[]) {
  return {
    taskMs: m(runs.map((run) => run.taskMs)),
    scriptMs: m(runs.map((run) => run.scriptMs)),
    layoutMs: m(runs.map((run) => run.layoutMs)),
    cpuTaskMs: m(runs.map((run) => run.cpu.taskMs)),
  };
}

function summariseLoads(loads: Awaited<ReturnType<typeof daySwitch>>[]) {
  // The worst switch, not the median: a switch with no task of 50 ms reads as 0 (the Long Tasks
  // API sees nothing shorter), and a median of 0 and 55 would print 27.5, a task no switch had.
  const longestTaskMs = Math.max(...loads.map((load) => load.longestTaskMs));
  const whileOpen = loads.at(-1)!.whileOpen;
  return {
    longestTaskMs,
    longestTaskNote: "the worst of the switches; 0 means no task of 50 ms or more in any (the Long Tasks API's threshold)",
    switchesWithLongTasks: loads.filter((load) => load.longestTaskMs > 0).length,
    met: longestTaskMs < TARGETS.view24hMs,
    charts: CHARTS_24H.map((label) => {
      const per = loads.map((load) => load.charts.find((chart) => chart.label === label)!);
      return { label, points: per[0]!.points, ms: m(per.map((chart) => chart.ms)), ownMs: m(per.map((chart) => chart.ownMs)) };
    }),
    largestChartMs: m(loads.map((load) => load.largestMs)),
    largestOwnMs: m(loads.map((load) => load.largestOwnMs)),
    firstStartToLastPaintMs: m(loads.map((load) => load.firstStartToLastPaintMs)),
    mainThreadPerTickWhileOpen: whileOpen?.mainThreadPerTick,
    tickToPaintWhileOpen: whileOpen?.tickToPaintMs,
  };
}

function printSummary(result: { machine: string; loadAverage: number[]; modes: { throttle: number; pages: ({ path: string } & ReturnType<typeof summariseRuns>)[]; view24h: ReturnType<typeof summariseLoads>; floor: ReturnType<typeof summariseFloor>; floorsWithCharts: ({ path: string } & ReturnType<typeof summariseFloor>)[] }[] }, written: string) {
  const verdict = (met: boolean) => (met ? "MET" : "NOT MET");
  const lines = ["", `Browser benchmark — ${result.machine}; load average at the end ${result.loadAverage.join(" ")}`];
  for (const mode of result.modes) {
    lines.push("", `CPU throttled ×${mode.throttle} (medians over ${RUNS} runs of ${TICKS} ticks, ${LOADS} switches)`);
    for (const page of mode.pages) {
      const { tickToPaintMs: paint, mainThreadMsPerTick: main } = page;
      lines.push(
        `  ${page.path.padEnd(6)} tick → painted p50 ${paint.p50} / p95 ${paint.p95} / max ${paint.max} ms (target p95 < ${TARGETS.tickToPaintP95Ms}: ${verdict(paint.met)}); ticks not painted separately ${page.ticksNotPaintedSeparately}`,
        `         main thread per tick ${main.taskMs} ms (script ${main.scriptMs}, layout ${main.layoutMs}, style ${main.recalcStyleMs}; CPU ${main.cpuTaskMs}) (target < ${TARGETS.mainThreadMsPerTick}: ${verdict(main.met)})`,
      );
    }
    const day = mode.view24h;
    lines.push(
      `  switch to 24 hours: longest main-thread task in the worst switch ${day.longestTaskMs || "none ≥ 50"} ms, ${day.switchesWithLongTasks} of ${LOADS} switches with a task ≥ 50 ms (target < ${TARGETS.view24hMs}: ${verdict(day.met)}); largest chart rebuild to paint ${day.largestChartMs} ms (own ${day.largestOwnMs}); first start to last paint ${day.firstStartToLastPaintMs} ms`,
      ...day.charts.map((chart) => `    ${chart.label.padEnd(42)} ${String(chart.points).padStart(6)} points ${String(chart.ms).padStart(8)} ms (own ${chart.ownMs})`),
      day.mainThreadPerTickWhileOpen ? `    main thread per tick while open: ${day.mainThreadPerTickWhileOpen.taskMs} ms` : "",
      `  floor (a bare page writing four figures per tick): main thread per tick ${mode.floor.taskMs} ms (script ${mode.floor.scriptMs}, layout ${mode.floor.layoutMs}; CPU ${mode.floor.cpuTaskMs})`,
      ...mode.floorsWithCharts.map(
        (floor) => `  floor with ${floor.path}'s charts (the same page, the dashboard's worker drawing them): main thread per tick ${floor.taskMs} ms (script ${floor.scriptMs}, layout ${floor.layoutMs}; CPU ${floor.cpuTaskMs})`,
      ),
    );
  }
  lines.push("", `written to ${written}`);
  console.log(lines.join("\n"));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
