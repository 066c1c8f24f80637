import { randomBytes } from "node:crypto";
import { dropDatabase, ensureDatabaseExists } from "@/lib/db/admin";
import { startServer, type RunningServer } from "./server";

/**
 * A server of a spec's own, on its own database, for specs that stop and restart it without
 * disturbing the shared one. `restart()` starts a new process on the same port and database.
 */
export async function startOwnServer(port: number, env: Record<string, string | undefined> = {}) {
  const postgresServer = process.env.E2E_POSTGRES_SERVER_URL;
  if (!postgresServer) throw new Error("E2E_POSTGRES_SERVER_URL is set by e2e/support/global-setup.ts");
  const name = `pulse_e2e_${randomBytes(5).toString("hex")}`;
  const databaseUrl = await ensureDatabaseExists(postgresServer, name);
  const options = { port, env: { DATABASE_URL: databaseUrl, LOG_LEVEL: "info", HISTORY_BACKFILL_HOURS: "2", ...env } };
  let current: RunningServer = await startServer(options);
  return {
    url: current.url,
    get server() {
      return current;
    },
    async restart() {
      current = await startServer(options);
      return current;
    },
    async dispose() {
      if (current.process.exitCode === null) await current.stop();
      await dropDatabase(postgresServer, name);
    },
  };
}
