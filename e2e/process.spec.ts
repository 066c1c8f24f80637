import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { dropDatabase, ensureDatabaseExists } from "@/lib/db/admin";
import type { EmbeddedCredentials } from "@/lib/db/embedded";
import { MINUTE_MS, minuteOf } from "@/lib/domain/rollups";
import { BACKFILL_SAMPLES_PER_MINUTE } from "@/lib/domain/simulator/backfill";
import { E2E_PORT, freePort } from "./support/ports";
import { specDataDir } from "./support/data-dir";
import { startServer } from "./support/server";
import { withClient } from "@/test/support/pg-client";

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};


test.describe("the server process on its embedded PostgreSQL", () => {
  // These start and restart servers of their own: generous on a loaded machine.
  test.describe.configure({ mode: "serial", timeout: 120_000 });
  const dataDir = specDataDir("process");
  const port = E2E_PORT + 1;
  // A port the kernel says is free now: a fixed one in the ephemeral range (32768–60999) can be
  // held by any outgoing connection on the machine, a database pool's for instance.
  let pgPort = 0;
  const env: Record<string, string | undefined> = { DATABASE_URL: undefined, PULSE_DATA_DIR: dataDir, HISTORY_BACKFILL_HOURS: "0" };
  const credentialsFile = path.join(dataDir, "postgres-credentials.json");
  const credentials = () => JSON.parse(readFileSync(credentialsFile, "utf8")) as EmbeddedCredentials;
  // The tests' own way in: the generated superuser password, readable by this user only.
  const superuserUrl = (database: string) =>
    `postgresql://postgres:${encodeURIComponent(credentials().superuser.password)}@127.0.0.1:${pgPort}/${database}`;
  const postmasterPid = () => Number(readFileSync(path.join(dataDir, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);

  test.beforeAll(async () => {
    await mkdir(dataDir, { recursive: true, mode: 0o755 });
    pgPort = await freePort();
    env.EMBEDDED_PG_PORT = String(pgPort);
  });
  test.afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  // First, on a fresh data directory: the stop then lands while the first history back-fill runs.
  test("a terminal's Ctrl-C (SIGINT to the whole process group) stops in order, keeps the last minute's rollups, and the back-fill carries on next time", async () => {
    // Nothing is flushed before the stop, so the stop alone must write every minute held.
    const server = await startServer({ port, env: { ...env, HISTORY_BACKFILL_HOURS: "48", ROLLUP_FLUSH_MS: "600000" }, processGroup: true });
    const postgresPid = postmasterPid();
    const signalledAt = Date.now();
    expect(await server.stop("SIGINT")).toBe(0);
    // No error, and none of the failures a database stopping under the server causes (warnings such as a stalled tick may come on a busy machine).
    expect(server.output()).toContain('"level":"info"');
    expect(server.output()).not.toMatch(/"level":"error"|failed/);
    expect(isAlive(postgresPid)).toBe(false);

    // Without back-fill, every live row is what the stopping server wrote.
    const quiet = await startServer({ port, env: { ...env, ROLLUP_FLUSH_MS: "600000" } });
    try {
      const live = await withClient(superuserUrl("m2m_pulse"), (client) =>
        client.query<{ minute_ms: number; series: number }>(
          `SELECT (extract(epoch FROM minute) * 1000)::float8 AS minute_ms, count(*)::int AS series
             FROM connection_rollup WHERE NOT backfilled GROUP BY minute ORDER BY minute DESC LIMIT 1`,
        ),
      );
      // The minute of the last tick before the signal (that tick may be a second behind it).
      expect([minuteOf(signalledAt - 1500), minuteOf(signalledAt + 1000)]).toContain(live.rows[0]?.minute_ms);
      expect(live.rows[0]?.series).toBe(21);
    } finally {
      expect(await quiet.stop("SIGTERM")).toBe(0);
    }

    // The back-fill the stop interrupted is finished by the next start: no minute of the window is missing.
    const resumed = await startServer({ port, env: { ...env, HISTORY_BACKFILL_HOURS: "48" } });
    try {
      const to = minuteOf(Date.now()) - MINUTE_MS;
      const from = to - 47 * 60 * MINUTE_MS;
      await expect
        .poll(
          () =>
            withClient(superuserUrl("m2m_pulse"), async (client) => {
              const { rows } = await client.query<{ n: number }>(
                "SELECT count(*)::int AS n FROM connection_rollup WHERE minute >= to_timestamp($1::float8 / 1000) AND minute < to_timestamp($2::float8 / 1000)",
                [from, to],
              );
              return rows[0]!.n;
            }),
          { timeout: 60_000 },
        )
        .toBe(((to - from) / MINUTE_MS) * 21);
    } finally {
      expect(await resumed.stop("SIGTERM")).toBe(0);
    }
  });

  test("starts when DATABASE_URL is unset, keeps its data, and stops cleanly on SIGINT", async () => {
    const first = await startServer({ port, env });
    expect(first.output()).toContain("database: embedded PostgreSQL");
    const health = (await (await fetch(`${first.url}/api/health`)).json()) as { database: { kind: string } };
    expect(health.database.kind).toBe("embedded");
    const page = await (await fetch(first.url)).text();
    expect(page).toContain("toll lanes with electronic collection");

    // Leave a mark in the database to find after a restart.
    await withClient(superuserUrl("m2m_pulse"), (client) =>
      client.query("INSERT INTO playlist (slug, name) VALUES ('survives-restart', 'Survives restart')"),
    );
    const postgresPid = postmasterPid();
    expect(isAlive(postgresPid)).toBe(true);

    expect(await first.stop("SIGINT")).toBe(0);
    expect(first.output()).toContain("stopped");
    // Nothing left behind: the embedded postgres is gone with the server.
    expect(isAlive(postgresPid)).toBe(false);
    expect(existsSync(path.join(dataDir, "postgres", "postmaster.pid"))).toBe(false);

    const second = await startServer({ port, env });
    const marks = await withClient(superuserUrl("m2m_pulse"), (client) => client.query("SELECT name FROM playlist WHERE slug = 'survives-restart'"));
    expect(marks.rows).toEqual([{ name: "Survives restart" }]);
    expect(await second.stop("SIGTERM")).toBe(0);
  });

  test("generates its database passwords, keeps them private, and gives the application no superuser rights", async () => {
    const server = await startServer({ port, env });
    try {
      expect(statSync(credentialsFile).mode & 0o777).toBe(0o600);
      const { superuser, application } = credentials();
      expect(superuser.password).not.toBe("m2m-pulse");
      expect(superuser.password.length).toBeGreaterThanOrEqual(24);

      // The old built-in password opens nothing.
      await expect(withClient(`postgresql://postgres:m2m-pulse@127.0.0.1:${pgPort}/postgres`, async () => {})).rejects.toMatchObject({ code: "28P01" });

      // The application's role owns its data but cannot run programs on the host.
      const appUrl = `postgresql://${application.user}:${encodeURIComponent(application.password)}@127.0.0.1:${pgPort}/m2m_pulse`;
      await withClient(appUrl, async (client) => {
        const role = await client.query("SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user");
        expect(role.rows).toEqual([{ rolsuper: false, rolcreaterole: false, rolcreatedb: false }]);
        expect((await client.query("SELECT count(*)::int AS n FROM playlist")).rows[0].n).toBeGreaterThan(0);
        await expect(client.query("COPY (SELECT 1) TO PROGRAM 'id'")).rejects.toMatchObject({ code: "42501" });
      });
    } finally {
      expect(await server.stop("SIGTERM")).toBe(0);
    }
  });

  test("leaves nothing running when the server is killed outright", async () => {
    const server = await startServer({ port, env });
    const postgresPid = postmasterPid();
    server.process.kill("SIGKILL");
    await expect.poll(() => isAlive(postgresPid), { timeout: 20_000 }).toBe(false);

    const again = await startServer({ port, env });
    expect(again.output()).not.toContain("leftover");
    expect(await again.stop("SIGTERM")).toBe(0);
  });

  test("a second server on the same data directory refuses to start, names the first, and leaves its database alone", async () => {
    const first = await startServer({ port, env });
    try {
      const refused = startServer({ port: port + 10, env });
      await expect(refused).rejects.toThrow(new RegExp(`server exited with [1-9]\\d* before it was ready[\\s\\S]*pid ${first.process.pid}\\b`));
      const health = await fetch(`${first.url}/api/health`);
      expect(health.status).toBe(200);
      expect(((await health.json()) as { database: { status: string } }).database.status).toBe("up");
    } finally {
      expect(await first.stop("SIGTERM")).toBe(0);
    }
  });
});

test.describe("servers sharing one database", () => {
  // These start and restart servers of their own: generous on a loaded machine.
  test.describe.configure({ mode: "serial", timeout: 120_000 });
  const port = E2E_PORT + 3;
  let serverUrl: string;
  let databaseName: string;
  let databaseUrl: string;

  test.beforeEach(async () => {
    serverUrl = process.env.E2E_POSTGRES_SERVER_URL!;
    databaseName = `pulse_e2e_${randomBytes(5).toString("hex")}`;
    databaseUrl = await ensureDatabaseExists(serverUrl, databaseName);
  });
  test.afterEach(() => dropDatabase(serverUrl, databaseName));

  test("a second server on the same DATABASE_URL refuses to start and names the first", async () => {
    const env = { DATABASE_URL: databaseUrl, HISTORY_BACKFILL_HOURS: "0" };
    const first = await startServer({ port, env });
    try {
      const refused = startServer({ port: port + 1, env });
      await expect(refused).rejects.toThrow(new RegExp(`another M2M Pulse server is using this database \\(m2m-pulse pid ${first.process.pid} `));
      expect((await fetch(`${first.url}/api/health`)).status).toBe(200);
    } finally {
      expect(await first.stop("SIGTERM")).toBe(0);
    }
    // Once the first is gone, the database is free again.
    const next = await startServer({ port: port + 1, env });
    expect(await next.stop("SIGTERM")).toBe(0);
  });

  test("a minute that was written only in part is completed by back-fill at the next start", async () => {
    const env = { DATABASE_URL: databaseUrl, HISTORY_BACKFILL_HOURS: "1", LOG_LEVEL: "warn" };
    const first = await startServer({ port, env });
    const target = minuteOf(Date.now()) - 10 * MINUTE_MS;
    const rowsOf = () =>
      withClient(databaseUrl, (client) =>
        client.query<{ samples: number; backfilled: boolean; mean: number }>(
          "SELECT samples, backfilled, mean FROM connection_rollup WHERE minute = to_timestamp($1::float8 / 1000)",
          [target],
        ),
      );
    // The first start back-fills the last hour, this minute included.
    await expect.poll(async () => (await rowsOf()).rowCount, { timeout: 30_000 }).toBe(21);
    expect(await first.stop("SIGTERM")).toBe(0);

    // As a server killed 9 seconds into that minute would have left it.
    await withClient(databaseUrl, (client) =>
      client.query("UPDATE connection_rollup SET samples = 9, backfilled = false, mean = 1 WHERE minute = to_timestamp($1::float8 / 1000)", [target]),
    );

    const second = await startServer({ port, env });
    try {
      await expect
        .poll(async () => (await rowsOf()).rows.every((row) => row.samples === BACKFILL_SAMPLES_PER_MINUTE && row.backfilled && row.mean > 1), {
          timeout: 30_000,
        })
        .toBe(true);
      expect((await rowsOf()).rowCount).toBe(21);
    } finally {
      expect(await second.stop("SIGTERM")).toBe(0);
    }
  });
});

test("refuses to start with a bad setting and names the variable", async () => {
  await expect(startServer({ port: E2E_PORT + 2, env: { PORT: "eighty" } })).rejects.toThrow(/PORT: .*'eighty'/);
});
