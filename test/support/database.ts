import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { dropDatabase, ensureDatabaseExists } from "@/lib/db/admin";
import { closeDatabase, createDatabase, installDatabase, type Database } from "@/lib/db/client";
import { migrateDatabase } from "@/lib/db/migrate";

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A new, empty database on the test PostgreSQL server, named so that leftovers are recognisable. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = inject("postgresServerUrl");
  const name = `pulse_test_${randomBytes(5).toString("hex")}`;
  const url = await ensureDatabaseExists(serverUrl, name);
  return { name, url, drop: () => dropDatabase(serverUrl, name) };
}

/**
 * A migrated throwaway database installed as the process-wide handle that query functions
 * and route handlers use. `close()` disconnects and drops it.
 */
export async function useMigratedDatabase(): Promise<{ database: Database; url: string; close(): Promise<void> }> {
  const testDatabase = await createTestDatabase();
  await migrateDatabase(testDatabase.url);
  const database = createDatabase(testDatabase.url, "external");
  installDatabase(database);
  return {
    database,
    url: testDatabase.url,
    close: async () => {
      await closeDatabase(database);
      await testDatabase.drop();
    },
  };
}
