import path from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "@/lib/db/embedded";

declare module "vitest" {
  export interface ProvidedContext {
    /** A PostgreSQL server on which tests may create and drop their own databases. */
    postgresServerUrl: string;
  }
}

let embedded: EmbeddedDatabase | undefined;

/**
 * Integration tests run against a real PostgreSQL: DATABASE_URL's server when set, otherwise
 * an embedded one kept under .data/test-postgres (a port apart from the dev server's).
 * Each test file then creates its own database there and drops it at the end.
 */
export async function setup(project: TestProject): Promise<void> {
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    embedded = await startEmbeddedPostgres({
      dataDir: path.resolve(".data/test-postgres"),
      port: Number(process.env.TEST_EMBEDDED_PG_PORT ?? 54339),
    });
    serverUrl = embedded.url;
  }
  project.provide("postgresServerUrl", serverUrl);
}

export async function teardown(): Promise<void> {
  await embedded?.stop();
}
