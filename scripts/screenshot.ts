/**
 * npm run screenshot [-- --url http://127.0.0.1:3000/ --out docs/screenshot.png]
 *
 * Renders the dashboard at 1920×1080 in headless Chromium after its live panels have been
 * updating for about 8 s, so the charts carry data and the numbers have moved. Without --url it
 * starts the built server (dist/server.js) on port 3291 with a throwaway database holding 26
 * hours of back-filled history, as bench/browser.ts does, and stops it and drops the database
 * afterwards. With --url it shoots that (already running) server instead.
 * It fails, rather than write a picture of an error page, when the panels are not on the page
 * or the live values did not change while it waited.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { chromium } from "@playwright/test";
import { dropDatabase, ensureDatabaseExists } from "@/lib/db/admin";
import { startServer, type RunningServer } from "@/e2e/support/server";
import { providePostgresServer } from "@/test/support/postgres-server";

const { values: options } = parseArgs({
  options: {
    url: { type: "string" },
    out: { type: "string", default: "docs/screenshot.png" },
  },
});

const PORT = 3291;
const EMBEDDED_PG_PORT = 54369;
const VIEWPORT = { width: 1920, height: 1080 };
const SETTLE_MS = 8000;
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function assertPortFree(port: number, why: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once("error", () => reject(new Error(`port ${port} is in use: ${why}`)));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve()));
  });
}

/**
 * Ctrl-C also stops the embedded PostgreSQL (same process group) before this process can drop its
 * database, and a killed run drops nothing. Such leftovers are dropped at the next start, only on
 * the embedded cluster, which no other run can be using then (its port was free).
 */
async function dropLeftoverDatabases(serverUrl: string): Promise<void> {
  if (process.env.DATABASE_URL) return;
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'pulse_shot_%'");
    for (const { datname } of rows) await dropDatabase(serverUrl, datname);
  } finally {
    await client.end();
  }
}

/** The KPI tiles compare with the last hour, and the charts look empty without it: wait for the back-fill. */
async function waitForHistory(server: RunningServer): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (true) {
    if (server.process.exitCode !== null) throw new Error(`the server exited with ${server.process.exitCode}:\n${server.output()}`);
    const response = await fetch(`${server.url}/api/history?span=86400&points=1440`).catch(() => undefined);
    if (response?.ok) {
      const mean = ((await response.json()) as { series: { mean: (number | null)[] }[] }).series[0]?.mean ?? [];
      // Back-fill may land in any order: wait for (nearly) every minute of the day, the last hour included.
      if (mean.length >= 1400 && mean[0] !== null && mean.filter((value) => value !== null).length >= mean.length - 5) return;
    }
    if (Date.now() > deadline) throw new Error("timed out after 180 s waiting for the server to back-fill 26 hours of history");
    await sleep(500);
  }
}

/** SIGTERM, then SIGKILL if the server has not exited in 15 s. */
async function stopServer(server: RunningServer): Promise<void> {
  const stopped = server.stop("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([stopped, new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), 15_000)))]);
  clearTimeout(timer);
  if (code === "timeout") {
    server.process.kill("SIGKILL");
    await stopped;
    throw new Error("the server did not stop within 15 s of SIGTERM and was killed");
  }
  if (code !== 0) console.error(`the server exited with ${code}:\n${server.output()}`);
}

/** Loads `url`, lets the live panels run for SETTLE_MS and writes the viewport to `out`. */
async function shoot(url: string, out: string): Promise<void> {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS, timeout: 30_000 });
  try {
    const page = await browser.newPage({ viewport: VIEWPORT });
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    const response = await page.goto(url, { waitUntil: "load", timeout: 30_000 });
    if (!response?.ok()) throw new Error(`${url} answered ${response?.status() ?? "nothing"}: not shooting an error page`);

    const panels = page.locator('[data-panel="over-time"], [data-panel="kpi"]');
    await panels.first().waitFor({ state: "visible", timeout: 15_000 }).catch(() => {
      throw new Error(`${url} shows no dashboard panels: is it the M2M Pulse dashboard?`);
    });
    // The first tile is the total; its number changing proves the stream is live, not a frozen first paint.
    const total = page.locator("[data-kpi-value]").first();
    const before = await total.textContent({ timeout: 10_000 });
    await sleep(SETTLE_MS);
    const after = await total.textContent();
    if (before === after) throw new Error(`the live values did not change in ${SETTLE_MS / 1000} s (stuck at ${after}): is the stream connected?`);
    if (pageErrors.length) throw new Error(`the page threw: ${pageErrors.join("; ")}`);

    await mkdir(path.dirname(out), { recursive: true });
    await page.screenshot({ path: out, fullPage: false });
    console.log(`wrote ${out} (${VIEWPORT.width}×${VIEWPORT.height}) of ${url}`);
  } finally {
    await browser.close();
  }
}

async function main() {
  const out = options.out;
  if (options.url) return shoot(options.url, out);

  if (!existsSync("dist/server.js") || !existsSync(".next/BUILD_ID")) {
    console.error("run npm run build first");
    process.exit(1);
  }
  await assertPortFree(PORT, `stop whatever listens there (npm run screenshot uses ${PORT}), or pass --url to shoot a running server`);
  // The embedded cluster is the benchmark's (.data/bench-postgres): starting it while a bench
  // run holds it would stop that run's database, so refuse instead.
  if (!process.env.DATABASE_URL) {
    await assertPortFree(EMBEDDED_PG_PORT, "the embedded PostgreSQL of npm run bench:browser or another screenshot run is up; wait for it to finish, or set DATABASE_URL");
  }

  // Undone in reverse order, on success, failure or Ctrl-C.
  const cleanups: { what: string; run: () => Promise<unknown> }[] = [];
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      for (const step of cleanups.reverse()) {
        try {
          await step.run();
        } catch (error) {
          console.error(`cleanup: could not ${step.what}:`, error);
        }
      }
    })());
  // Output into a closed pipe (`| head`) would end the process before its cleanup: ignore it.
  for (const stream of [process.stdout, process.stderr]) stream.on("error", () => {});
  // Ctrl-C reaches this process twice (from the terminal and relayed by tsx): a handler that
  // stayed only once would let the second one end the process half-way through its cleanup.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => void cleanup().finally(() => process.exit(130)));
  }

  try {
    const postgres = await providePostgresServer("bench-postgres", EMBEDDED_PG_PORT);
    cleanups.push({ what: "stop PostgreSQL", run: () => postgres.stop() });
    await dropLeftoverDatabases(postgres.url);
    const name = `pulse_shot_${randomBytes(4).toString("hex")}`;
    const databaseUrl = await ensureDatabaseExists(postgres.url, name);
    cleanups.push({ what: `drop database ${name}`, run: () => dropDatabase(postgres.url, name) });
    const server = await startServer({ port: PORT, env: { DATABASE_URL: databaseUrl, LOG_LEVEL: "warn", HISTORY_BACKFILL_HOURS: "26" }, timeoutMs: 120_000 });
    cleanups.push({ what: "stop the server", run: () => stopServer(server) });
    await waitForHistory(server);
    await shoot(`${server.url}/`, out);
  } finally {
    await cleanup();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
