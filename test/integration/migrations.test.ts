import { readdirSync } from "node:fs";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { MIGRATIONS_DIR, MIGRATIONS_TABLE, migrateDatabase } from "@/lib/db/migrate";
import { createTestDatabase, type TestDatabase } from "../support/database";

const migrationFiles = readdirSync(MIGRATIONS_DIR)
  .filter((file) => file.endsWith(".sql"))
  .map((file) => file.replace(/\.sql$/, ""))
  .sort();

describe("migrations", () => {
  let testDatabase: TestDatabase | undefined;
  afterEach(async () => {
    await testDatabase?.drop();
  });

  it("apply once when two processes migrate the same empty database at the same moment", async () => {
    testDatabase = await createTestDatabase();
    const [first, second] = await Promise.all([migrateDatabase(testDatabase.url), migrateDatabase(testDatabase.url)]);

    // One migrator did all the work; the other waited on the lock and found nothing to do.
    expect([...first, ...second].sort()).toEqual(migrationFiles);

    const client = new pg.Client({ connectionString: testDatabase.url });
    await client.connect();
    try {
      const recorded = await client.query<{ name: string }>(`SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY name`);
      expect(recorded.rows.map((row) => row.name)).toEqual(migrationFiles);
      const tables = await client.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'baseline'");
      expect(tables.rowCount).toBe(1);
    } finally {
      await client.end();
    }

    expect(await migrateDatabase(testDatabase.url)).toEqual([]);
  });
});
