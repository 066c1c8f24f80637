import { existsSync, readFileSync, rmSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { E2E_PORT, freePort } from "./support/ports";
import { startServer } from "./support/server";

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test.describe("the server process", () => {
  const dataDir = path.resolve(`.data/e2e-process-${randomBytes(4).toString("hex")}`);
  test.afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  test("starts on an embedded PostgreSQL when DATABASE_URL is unset, keeps its data, and stops cleanly on SIGINT", async () => {
    // Starts (and restarts) a server of its own: generous on a loaded machine.
    test.setTimeout(120_000);
    await mkdir(dataDir, { recursive: true, mode: 0o755 });
    const port = E2E_PORT + 1;
    const pgPort = await freePort();
    // A short back-fill: a week of it takes long on a loaded machine, and stopping waits for it.
    const env = { DATABASE_URL: undefined, PULSE_DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort), HISTORY_BACKFILL_HOURS: "2" };

    const first = await startServer({ port, env });
    expect(first.output()).toContain("database: embedded PostgreSQL");
    const health = (await (await fetch(`${first.url}/api/health`)).json()) as { database: { kind: string } };
    expect(health.database.kind).toBe("embedded");
    const page = await (await fetch(first.url)).text();
    expect(page).toContain("toll lanes with electronic collection");

    // Leave a mark in the database to find after a restart.
    const client = new pg.Client({ connectionString: `postgresql://postgres:m2m-pulse@127.0.0.1:${pgPort}/m2m_pulse` });
    await client.connect();
    await client.query("INSERT INTO playlist (slug, name) VALUES ('survives-restart', 'Survives restart')");
    await client.end();

    const postmasterPid = Number(readFileSync(path.join(dataDir, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
    expect(isAlive(postmasterPid)).toBe(true);

    expect(await first.stop("SIGINT"), first.output()).toBe(0);
    expect(first.output()).toContain("stopped");
    // Nothing left behind: the embedded postgres is gone with the server.
    expect(isAlive(postmasterPid)).toBe(false);
    expect(existsSync(path.join(dataDir, "postgres", "postmaster.pid"))).toBe(false);

    const second = await startServer({ port, env });
    const again = new pg.Client({ connectionString: `postgresql://postgres:m2m-pulse@127.0.0.1:${pgPort}/m2m_pulse` });
    await again.connect();
    const marks = await again.query("SELECT name FROM playlist WHERE slug = 'survives-restart'");
    await again.end();
    expect(marks.rows).toEqual([{ name: "Survives restart" }]);
    expect(await second.stop("SIGTERM"), second.output()).toBe(0);
  });

  test("refuses to start with a bad setting and names the variable", async () => {
    await expect(startServer({ port: E2E_PORT + 2, env: { PORT: "eighty" } })).rejects.toThrow(/PORT: .*'eighty'/);
  });
});
