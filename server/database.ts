import path from "node:path";
import type { DatabaseKind } from "@/lib/db/client";
import { DataDirBusyError } from "@/lib/db/data-dir-lock";
import { runningEmbeddedDatabaseUrl, startEmbeddedPostgres } from "@/lib/db/embedded";
import { resetEnvCache, type Env } from "@/lib/env";
import { createLogger } from "@/lib/logger";
import type { Lifecycle } from "./lifecycle";

const log = createLogger("server");
const EMBEDDED_DATABASE_NAME = "m2m_pulse";

function describe(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
}

/**
 * The database this process uses: DATABASE_URL when set, otherwise an embedded PostgreSQL
 * started here (and stopped by `lifecycle`). Logs which one it is.
 */
export async function provideDatabase(env: Env, lifecycle: Lifecycle): Promise<{ url: string; kind: DatabaseKind }> {
  if (env.DATABASE_URL) {
    log.info("database: PostgreSQL from DATABASE_URL", { at: describe(env.DATABASE_URL) });
    return { url: env.DATABASE_URL, kind: "external" };
  }
  const embedded = await startEmbeddedPostgres({
    dataDir: path.join(env.PULSE_DATA_DIR, "postgres"),
    port: env.EMBEDDED_PG_PORT,
    database: EMBEDDED_DATABASE_NAME,
  });
  // Registered first, so it runs last: everything else still needs the database while it stops.
  lifecycle.onShutdown("embedded postgres", () => embedded.stop());
  const url = embedded.url;
  // Route handlers read DATABASE_URL through the env module; they must see this database too.
  process.env.DATABASE_URL = url;
  resetEnvCache();
  log.info("database: embedded PostgreSQL (DATABASE_URL is unset)", { at: describe(url), dataDir: embedded.dataDir });
  return { url, kind: "embedded" };
}

/**
 * For one-off tasks that may run beside a server: like provideDatabase, but when a running server
 * holds the embedded database, its cluster is used as it is (nothing is started or stopped).
 */
export async function provideOrShareDatabase(env: Env, lifecycle: Lifecycle): Promise<{ url: string; kind: DatabaseKind }> {
  try {
    return await provideDatabase(env, lifecycle);
  } catch (error) {
    if (!(error instanceof DataDirBusyError)) throw error;
    const url = runningEmbeddedDatabaseUrl({ dataDir: path.join(env.PULSE_DATA_DIR, "postgres"), port: env.EMBEDDED_PG_PORT, database: EMBEDDED_DATABASE_NAME });
    log.info("database: the embedded PostgreSQL of the running server", { at: describe(url) });
    return { url, kind: "external" };
  }
}
