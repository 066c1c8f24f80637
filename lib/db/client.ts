import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { getEnv } from "@/lib/env";
import { createLogger } from "@/lib/logger";
import { metrics } from "@/lib/observability/metrics";
import { PrismaClient } from "./generated/prisma/client";

const log = createLogger("db");

export type DatabaseKind = "external" | "embedded";

export interface Database {
  prisma: PrismaClient;
  pool: pg.Pool;
  kind: DatabaseKind;
}

// The custom server and Next's route handlers run in one process but load separate copies
// of this module (Next bundles its own); keeping the handle on globalThis gives them one
// pool between them.
const registry = globalThis as typeof globalThis & { __pulseDatabase?: Database };

export function createDatabase(connectionString: string, kind: DatabaseKind): Database {
  const pool = new pg.Pool({
    connectionString,
    max: 10,
    // Fail fast when the database is unreachable, so /api/health can answer 503 promptly.
    connectionTimeoutMillis: 3_000,
    idleTimeoutMillis: 30_000,
    query_timeout: 15_000,
  });
  // An idle connection dropped by the server must not take the process down.
  pool.on("error", (error) => log.warn("idle database connection failed", { error: error.message }));
  const adapter = new PrismaPg(pool, {
    onConnectionError: (error) => log.warn("database connection error", { error: error.message }),
  });
  return { prisma: timed(new PrismaClient({ adapter })), pool, kind };
}

/**
 * Every Prisma operation, timed into pulse_db_query_duration_seconds by model and operation
 * (bounded by the schema, unlike SQL text). A query-only extension changes no type, so the
 * extended client is still a PrismaClient to every query function.
 */
function timed(prisma: PrismaClient): PrismaClient {
  return prisma.$extends({
    query: {
      async $allOperations({ model, operation, args, query }) {
        const stop = metrics.dbQueryDuration.startTimer({ model: model ?? "raw", operation });
        try {
          const result = await query(args);
          stop({ outcome: "ok" });
          return result;
        } catch (error) {
          stop({ outcome: "error" });
          throw error;
        }
      },
    },
  }) as unknown as PrismaClient;
}

/** Makes `database` the process-wide handle that every query function uses. */
export function installDatabase(database: Database): void {
  registry.__pulseDatabase = database;
}

/** The process-wide database, opened from DATABASE_URL on first use if the server has not. */
export function getDatabase(): Database {
  if (!registry.__pulseDatabase) {
    const url = getEnv().DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set and no database was opened at start");
    registry.__pulseDatabase = createDatabase(url, "external");
  }
  return registry.__pulseDatabase;
}

export function db(): PrismaClient {
  return getDatabase().prisma;
}

export async function closeDatabase(database: Database): Promise<void> {
  await database.prisma.$disconnect();
  await database.pool.end();
  if (registry.__pulseDatabase === database) delete registry.__pulseDatabase;
}
