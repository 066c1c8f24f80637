import "server-only";
import type { HealthResponse } from "@/lib/contracts/health";
import { getDatabase } from "./client";

const PING_TIMEOUT_MS = 2_000;

/** Round-trips `SELECT 1` through the pool, giving up after two seconds. */
export async function pingDatabase(): Promise<HealthResponse["database"]> {
  const { pool, kind } = getDatabase();
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      pool.query("SELECT 1"),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS);
      }),
    ]);
    return { status: "up", latencyMs: Math.round((performance.now() - started) * 10) / 10, kind };
  } catch (error) {
    return {
      status: "down",
      latencyMs: Math.round(performance.now() - started),
      kind,
      error: error instanceof Error ? error.message : String(error),
    };
  } finally {
    clearTimeout(timer);
  }
}
