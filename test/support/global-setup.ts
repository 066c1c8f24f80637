import type { TestProject } from "vitest/node";
import { providePostgresServer } from "./postgres-server";

declare module "vitest" {
  export interface ProvidedContext {
    /** A PostgreSQL server on which tests may create and drop their own databases. */
    postgresServerUrl: string;
  }
}

let stopServer: (() => Promise<void>) | undefined;

/**
 * Integration tests run against a real PostgreSQL: DATABASE_URL's server when set, otherwise
 * an embedded one kept under .data/test-postgres (a port apart from the dev server's).
 * Each test file then creates its own database there and drops it at the end.
 */
export async function setup(project: TestProject): Promise<void> {
  const server = await providePostgresServer("test-postgres", Number(process.env.TEST_EMBEDDED_PG_PORT ?? 54339));
  stopServer = server.stop;
  project.provide("postgresServerUrl", server.url);
}

export async function teardown(): Promise<void> {
  await stopServer?.();
}
