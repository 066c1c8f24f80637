import path from "node:path";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "@/lib/db/embedded";

/**
 * The PostgreSQL server that e2e tests and benchmarks make their throwaway databases on:
 * DATABASE_URL's when set, else an embedded one in `.data/<name>` on `port`.
 * Returns its URL and how to stop it (a no-op for an external server).
 */
export async function providePostgresServer(name: string, port: number): Promise<{ url: string; stop(): Promise<void> }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => {} };
  const embedded: EmbeddedDatabase = await startEmbeddedPostgres({ dataDir: path.resolve(".data", name), port });
  // Tests create and drop databases: they need the superuser, which the application never gets.
  return { url: embedded.superuserUrl, stop: () => embedded.stop() };
}
