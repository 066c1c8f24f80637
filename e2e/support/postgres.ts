import path from "node:path";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "@/lib/db/embedded";
import { E2E_EMBEDDED_PG_PORT } from "./ports";

/**
 * The PostgreSQL server e2e databases live on: DATABASE_URL's when set, else an embedded one.
 * Returns its URL and how to stop it (a no-op for an external server).
 */
export async function providePostgresServer(): Promise<{ url: string; stop(): Promise<void> }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => {} };
  const embedded: EmbeddedDatabase = await startEmbeddedPostgres({
    dataDir: path.resolve(".data/e2e-postgres"),
    port: E2E_EMBEDDED_PG_PORT,
  });
  return { url: embedded.url, stop: () => embedded.stop() };
}
