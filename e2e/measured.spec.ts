import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdir } from "node:fs/promises";
import { rmSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { E2E_PORT, freePort } from "./support/ports";
import { specDataDir } from "./support/data-dir";
import { recordSecret } from "./support/secrets";
import { startServer, type RunningServer } from "./support/server";

/**
 * Issue 11's "done when", as a newcomer would do it: a server on the embedded default, a key from
 * `npm run ingest-key`, `npm run replay` of the sample feed, and an open dashboard that shows the
 * replayed series measured, then stale when the feed stops, then back to simulated. Short
 * staleness limits (5 s, 10 s) so the test waits seconds, not minutes; it waits for the page to
 * change, never for a fixed time.
 */
test.describe("a replayed feed on an open dashboard", () => {
  test.describe.configure({ mode: "serial", timeout: 120_000 });
  const dataDir = specDataDir("measured");
  const port = E2E_PORT + 7;
  let server: RunningServer | undefined;
  let env: Record<string, string | undefined> = {};

  test.beforeAll(async () => {
    await mkdir(dataDir, { recursive: true, mode: 0o755 });
    env = {
      DATABASE_URL: undefined,
      PULSE_DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(await freePort()),
      HISTORY_BACKFILL_HOURS: "0",
      MEASURED_STALE_SECONDS: "5",
      MEASURED_EXPIRE_SECONDS: "10",
    };
    server = await startServer({ port, env });
  });
  test.afterAll(async () => {
    if (server && server.process.exitCode === null) await server.stop("SIGTERM");
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Runs one of the repo's CLIs as `npm run …` does (tsx, tsconfig.node.json), beside the server. */
  async function cli(script: string, args: string[], extraEnv: Record<string, string> = {}) {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...extraEnv, TSX_TSCONFIG_PATH: "tsconfig.node.json", NO_COLOR: "1" };
    for (const [key, value] of Object.entries(env)) {
      if (value === undefined) delete childEnv[key];
      else childEnv[key] = value;
    }
    const child = spawn(process.execPath, ["--import", "tsx", script, ...args], { env: childEnv });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(child, "exit");
    return { code: code as number, stdout, stderr };
  }

  test("turns the replayed series measured, then stale when it stops, then simulated again; the others stay simulated", async ({ page }) => {
    const created = await cli("server/tasks.ts", ["ingest-key", "create", "e2e replay"]);
    expect(created.code, created.stderr).toBe(0);
    const key = created.stdout.trim();
    // An ingest key is a secret: the e2e teardown checks no server log ever shows it.
    recordSecret(key);

    await page.goto(`${server!.url}/`);
    const replayed = ["china-mobile/energy", "china-mobile/transport", "china-unicom/smart-city", "china-telecom/automotive"];
    const cell = (series: string) => page.locator(`[data-series="${series}"]`).first();
    for (const series of replayed) await expect(cell(series)).toHaveAttribute("data-provenance", "simulated");

    // Ten recorded minutes in one second.
    const replay = await cli("cli/replay.ts", ["docs/sample-feed.csv", "--speed", "600", "--url", server!.url], { INGEST_KEY: key });
    expect(replay.code, replay.stderr).toBe(0);
    expect(JSON.parse(replay.stdout)).toMatchObject({ samples: 44, accepted: 44, refused: 0 });

    // The last sample was stamped about a second ago: measured, for 5 s.
    for (const series of replayed) await expect(cell(series)).toHaveAttribute("data-provenance", "measured");
    await expect(cell("china-telecom/energy")).toHaveAttribute("data-provenance", "simulated");
    // The feed has stopped: stale after 5 s, never refilled by the simulator meanwhile …
    for (const series of replayed) await expect(cell(series)).toHaveAttribute("data-provenance", "stale", { timeout: 15_000 });
    // … and simulated again after 10 s.
    for (const series of replayed) await expect(cell(series)).toHaveAttribute("data-provenance", "simulated", { timeout: 15_000 });
  });
});
