import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { OPERATOR_SLUGS, SECTOR_SLUGS } from "@/lib/contracts/catalog";
import { createdIngestKeySchema, ingestAnswerSchema } from "@/lib/contracts/ingest";
import { dropDatabase, ensureDatabaseExists } from "@/lib/db/admin";
import { withClient } from "@/test/support/pg-client";
import { freePort } from "./support/ports";
import { startServer, type RunningServer } from "./support/server";
import { recordSecret } from "./support/secrets";
import { signIn } from "./support/sign-in";

/**
 * Ingest against the real server process: what is acknowledged survives a SIGKILL, and the
 * replay tool's feed arrives. A server of its own, on a database of its own.
 */
test.describe("ingest into a real server process", () => {
  test.describe.configure({ mode: "serial", timeout: 120_000 });
  const databaseName = `pulse_e2e_ingest_${randomBytes(4).toString("hex")}`;
  let databaseUrl = "";
  let port = 0;
  let server: RunningServer | undefined;
  let secret = "";
  const serverEnv = () => ({ DATABASE_URL: databaseUrl, HISTORY_BACKFILL_HOURS: "0", LOG_LEVEL: "warn" });

  test.beforeAll(async () => {
    databaseUrl = await ensureDatabaseExists(process.env.E2E_POSTGRES_SERVER_URL!, databaseName);
    port = await freePort();
    server = await startServer({ port, env: serverEnv() });
    const cookie = await signIn(server.url);
    const response = await fetch(`${server.url}/api/ingest-keys`, { method: "POST", headers: { "content-type": "application/json", cookie }, body: JSON.stringify({ label: "e2e feed" }) });
    expect(response.status).toBe(201);
    secret = createdIngestKeySchema.parse(await response.json()).secret;
    recordSecret(secret);
  });
  test.afterAll(async () => {
    if (server && server.process.exitCode === null) await server.stop("SIGTERM");
    await dropDatabase(process.env.E2E_POSTGRES_SERVER_URL!, databaseName);
  });

  const storedCount = () => withClient(databaseUrl, async (client) => Number((await client.query<{ count: string }>("SELECT count(*) FROM measured_sample")).rows[0]!.count));

  /** Every one of the 21 series at `minutes` whole minutes, the first `startMinutesAgo` back. */
  function batchOf(startMinutesAgo: number, minutes: number) {
    const first = Math.floor(Date.now() / 60_000) * 60_000 - startMinutesAgo * 60_000;
    return OPERATOR_SLUGS.flatMap((operator) =>
      SECTOR_SLUGS.flatMap((sector) =>
        Array.from({ length: minutes }, (_, minute) => ({ operator, sector, connections: 1_000_000 + minute, at: new Date(first + minute * 60_000).toISOString() })),
      ),
    );
  }

  async function send(samples: unknown[]) {
    const response = await fetch(`${server!.url}/api/ingest`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${secret}` }, body: JSON.stringify({ samples }) });
    expect(response.status).toBe(202);
    return ingestAnswerSchema.parse(await response.json());
  }

  test("a SIGKILL between two batches loses no acknowledged sample, and a batch sent again is stored once", async () => {
    const first = batchOf(30, 5);
    expect(await send(first)).toMatchObject({ accepted: 105, duplicate: 0, refused: 0 });
    // Killed at once after the 202: no shutdown, no flush. What was acknowledged is committed.
    expect(await server!.stop("SIGKILL")).toBeNull();
    expect(await storedCount()).toBe(105);

    server = await startServer({ port, env: serverEnv() });
    // The client retries the batch it is unsure of: nothing is stored twice.
    expect(await send(first)).toMatchObject({ accepted: 0, duplicate: 105 });
    expect(await send(batchOf(20, 5))).toMatchObject({ accepted: 105, duplicate: 0 });
    expect(await storedCount()).toBe(210);
  });

  test("npm run replay sends the sample feeds through the API, restamped to now", async () => {
    const before = await storedCount();
    for (const feed of ["docs/sample-feed.csv", "docs/sample-feed.lp"]) {
      // One process (tsx as a loader), so nothing is left behind if the test fails.
      const replay = spawn(process.execPath, ["--import", "tsx", "cli/replay.ts", feed, "--speed", "6000", "--url", server!.url], { env: { ...process.env, TSX_TSCONFIG_PATH: "tsconfig.node.json", INGEST_KEY: secret } });
      let stdout = "";
      let stderr = "";
      replay.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      replay.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const [code] = await once(replay, "exit");
      expect(code, stderr).toBe(0);
      expect(JSON.parse(stdout)).toEqual({ samples: 44, batches: 11, accepted: 44, duplicate: 0, refused: 0 });
    }
    expect(await storedCount()).toBe(before + 88);
    const sources = await withClient(databaseUrl, async (client) => (await client.query<{ source: string; count: string }>("SELECT source, count(*) FROM measured_sample GROUP BY source ORDER BY source")).rows);
    expect(sources).toEqual([
      { source: "http", count: String(before + 44) },
      { source: "influx", count: "44" },
    ]);
  });

  test("a replay with a revoked or missing key stops with the server's reason, and retries nothing", async () => {
    const replay = spawn(process.execPath, ["--import", "tsx", "cli/replay.ts", "docs/sample-feed.csv", "--speed", "6000", "--url", server!.url, "--key", "pulse_ik_wrong"], { env: { ...process.env, TSX_TSCONFIG_PATH: "tsconfig.node.json" } });
    let stderr = "";
    replay.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(replay, "exit");
    expect(code).toBe(1);
    expect(stderr).toContain("after 1 attempt(s): 401: this ingest key is not valid or has been revoked");
  });

  test("an operator makes a key at /admin/ingest-keys (in Chinese), sees it once, and revoking it refuses its next write", async ({ page, context }) => {
    const cookie = await signIn(server!.url);
    const [name, value] = cookie.split("=") as [string, string];
    await context.addCookies([{ name, value, url: server!.url }]);
    page.on("dialog", (dialog) => void dialog.accept());
    await page.goto(`${server!.url}/admin/ingest-keys?lang=zh`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("数据接入密钥");
    expect((await new AxeBuilder({ page }).analyze()).violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`)).toEqual([]);
    await page.getByLabel("密钥名称").fill("浏览器里建的");
    await page.getByLabel("中国移动").check();
    await page.getByRole("button", { name: "新建密钥" }).click();
    const shown = page.locator("[data-new-ingest-key]");
    await expect(shown).toContainText("只显示一次");
    const key = /pulse_ik_[A-Za-z0-9_-]+/.exec((await shown.textContent()) ?? "")?.[0];
    expect(key).toBeDefined();
    recordSecret(key);
    const row = page.locator("tr", { hasText: "浏览器里建的" });
    await expect(row).toContainText("中国移动");
    await expect(row).toContainText("有效");

    const write = () =>
      fetch(`${server!.url}/api/ingest`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify({ samples: [{ operator: "china-mobile", sector: "retail", connections: 1, at: Date.now() - 5_000 }] }),
      });
    expect((await write()).status).toBe(202);
    await row.getByRole("button", { name: "吊销" }).click();
    await expect(row).toContainText("吊销");
    await expect(row.getByRole("button", { name: "吊销" })).toHaveCount(0);
    expect((await write()).status).toBe(401);

    // Shown once: a fresh load lists the key, never its secret.
    await page.reload();
    await expect(page.locator("tr", { hasText: "浏览器里建的" })).toBeVisible();
    await expect(page.locator("body")).not.toContainText(key!);
  });
});
