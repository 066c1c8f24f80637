import "server-only";
import path from "node:path";
import { runner } from "node-pg-migrate";
import { createLogger } from "@/lib/logger";

const log = createLogger("migrate");

export const MIGRATIONS_DIR = path.resolve(process.cwd(), "prisma/migrations");
export const MIGRATIONS_TABLE = "pgmigrations";

/**
 * Applies every pending migration in one transaction. node-pg-migrate holds a Postgres
 * advisory lock meanwhile; in "wait" mode a second process starting at the same moment
 * waits for the first and then finds nothing left to do.
 */
export async function migrateDatabase(databaseUrl: string): Promise<string[]> {
  const applied = await runner({
    databaseUrl,
    dir: MIGRATIONS_DIR,
    migrationsTable: MIGRATIONS_TABLE,
    direction: "up",
    count: Infinity,
    singleTransaction: true,
    advisoryLockMode: "wait",
    checkOrder: true,
    logger: { debug: () => {}, info: () => {}, warn: (m: string) => log.warn(m), error: (m: string) => log.error(m) },
  });
  const names = applied.map((migration) => migration.name);
  if (names.length > 0) log.info("applied migrations", { migrations: names });
  return names;
}
