import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { dropDatabase, ensureDatabaseExists } from "@/lib/db/admin";
import { closeDatabase, createDatabase, installDatabase, type Database } from "@/lib/db/client";
import { migrateDatabase } from "@/lib/db/migrate";
import { seedReferenceData } from "@/lib/db/seed";

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
export async function openMigratedDatabase(): Promise<{ database: Database; url: string; close(): Promise<void> }> {
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

/** A migrated throwaway database with the operators, sectors and baselines seeded (rollups and alerts need them). */
export async function openSeededDatabase(): ReturnType<typeof openMigratedDatabase> {
  const migrated = await openMigratedDatabase();
  await seedReferenceData(migrated.database.prisma);
  return migrated;
}
