/**
 * npm run screenshot [-- --url http://127.0.0.1:3000/ --out docs/screenshot.png]
 *
 * Renders the dashboard at 1920×1080 in headless Chromium after its live panels have been
 * updating for about 8 s, so the charts carry data and the numbers have moved. Without --url it
 * starts the built server (dist/server.js) on port 3291 (BENCH_PORT) with a throwaway database holding 26
 * hours of back-filled history, as bench/browser.ts does, and stops it and drops the database
 * afterwards. With --url it shoots that (already running) server instead.
 * It fails, rather than write a picture of an error page, when the panels are not on the page
 * or the live values did not change while it waited.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { dropDatabase, ensureDatabaseExists } from "@/lib/db/admin";
import { startServer } from "@/e2e/support/server";
import { assertPortFree, createCleanup, dropLeftoverDatabases, launchChromium, sleep, stopServer, waitForDayOfHistory } from "@/test/support/harness";
import { providePostgresServer } from "@/test/support/postgres-server";
import { benchPort } from "@/bench/settings";

const { values: options } = parseArgs({
  options: {
    url: { type: "string" },
    out: { type: "string", default: "docs/screenshot.png" },
  },
});

const PORT = benchPort("BENCH_PORT", 3291);
const EMBEDDED_PG_PORT = benchPort("BENCH_EMBEDDED_PG_PORT", 54369);
const VIEWPORT = { width: 1920, height: 1080 };
const SETTLE_MS = 8000;


/** Loads `url`, lets the live panels run for SETTLE_MS and writes the viewport to `out`. */
async function shoot(url: string, out: string): Promise<void> {
  const browser = await launchChromium();
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

  const cleanup = createCleanup();
  cleanup.install();

  try {
    const postgres = await providePostgresServer("bench-postgres", EMBEDDED_PG_PORT);
    cleanup.add("stop PostgreSQL", () => postgres.stop());
    await dropLeftoverDatabases(postgres.url, "pulse_shot_");
    const name = `pulse_shot_${randomBytes(4).toString("hex")}`;
    const databaseUrl = await ensureDatabaseExists(postgres.url, name);
    cleanup.add(`drop database ${name}`, () => dropDatabase(postgres.url, name));
    const server = await startServer({ port: PORT, env: { DATABASE_URL: databaseUrl, LOG_LEVEL: "warn", HISTORY_BACKFILL_HOURS: "26" }, timeoutMs: 120_000 });
    cleanup.add("stop the server", () => stopServer(server));
    await waitForDayOfHistory(server);
    await shoot(`${server.url}/`, out);
  } finally {
    await cleanup.run();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
