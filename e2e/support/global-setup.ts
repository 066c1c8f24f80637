import { randomBytes } from "node:crypto";
import { dropDatabase, ensureDatabaseExists } from "@/lib/db/admin";
import { providePostgresServer } from "@/test/support/postgres-server";
import { E2E_EMBEDDED_PG_PORT, E2E_PORT } from "./ports";
import { startServer } from "./server";

/**
 * Starts the real server on a throwaway database for the whole e2e suite and returns the
 * teardown that stops it and drops the database.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const postgres = await providePostgresServer("e2e-postgres", E2E_EMBEDDED_PG_PORT);
  const databaseName = `pulse_e2e_${randomBytes(5).toString("hex")}`;
  const databaseUrl = await ensureDatabaseExists(postgres.url, databaseName);
  process.env.E2E_DATABASE_URL = databaseUrl;
  process.env.E2E_POSTGRES_SERVER_URL = postgres.url;
  const server = await startServer({ port: E2E_PORT, env: { DATABASE_URL: databaseUrl, LOG_LEVEL: "warn" } });

  return async () => {
    const code = await server.stop("SIGTERM");
    if (code !== 0) console.error(`e2e server exited with ${code}:\n${server.output()}`);
    await dropDatabase(postgres.url, databaseName);
    await postgres.stop();
  };
}
