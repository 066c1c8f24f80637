import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { dropDatabase, ensureDatabaseExists } from "@/lib/db/admin";
import { providePostgresServer } from "@/test/support/postgres-server";
import { E2E_EMBEDDED_PG_PORT, E2E_PORT } from "./ports";
import { findLeaks, recordSecret } from "./secrets";
import { startServer } from "./server";

/**
 * Starts the real server on a throwaway database for the whole e2e suite and returns the
 * teardown that stops it and drops the database, then reads the logs of every server the run
 * started for every secret it used (issue 13: no secret in a log line).
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  // Workers inherit the environment set here: they record secrets and keep server logs in it.
  const logDir = mkdtempSync(path.join(tmpdir(), "pulse-e2e-logs-"));
  process.env.E2E_LOG_DIR = logDir;
  const metricsToken = `e2e-metrics-${randomBytes(12).toString("base64url")}`;
  process.env.E2E_METRICS_TOKEN = metricsToken;
  recordSecret(metricsToken);

  const postgres = await providePostgresServer("e2e-postgres", E2E_EMBEDDED_PG_PORT);
  const databaseName = `pulse_e2e_${randomBytes(5).toString("hex")}`;
  const databaseUrl = await ensureDatabaseExists(postgres.url, databaseName);
  process.env.E2E_DATABASE_URL = databaseUrl;
  process.env.E2E_POSTGRES_SERVER_URL = postgres.url;
  // Debug: every line the server can write is written, so the secrets check sees them all.
  const server = await startServer({ port: E2E_PORT, env: { DATABASE_URL: databaseUrl, LOG_LEVEL: "debug", METRICS_TOKEN: metricsToken } });

  return async () => {
    const code = await server.stop("SIGTERM");
    if (code !== 0) console.error(`e2e server exited with ${code}:\n${server.output()}`);
    await dropDatabase(postgres.url, databaseName);
    await postgres.stop();

    const report = findLeaks(logDir);
    // The check must have had something to check: the shared server's log and the run's secrets.
    const problems = [...report.leaks];
    if (report.logs === 0 || report.logBytes === 0) problems.push("no server log was kept");
    if (report.secrets < 3) problems.push(`only ${report.secrets} secrets were recorded`);
    if (problems.length > 0) {
      throw new Error(`secrets check of the e2e servers' logs (kept in ${logDir}):\n${problems.join("\n")}`);
    }
    console.log(`secrets check: ${report.secrets} secrets, none in ${report.logs} server logs (${report.logBytes} bytes)`);
    rmSync(logDir, { recursive: true, force: true });
  };
}
