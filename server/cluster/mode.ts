import cluster from "node:cluster";
import type { Env } from "@/lib/env";

/**
 * "cluster": this process is one node of several sharing the database (REDIS_URL is set, or it is
 * a node:cluster worker started by PULSE_WORKERS); "standalone": it is the only server on its
 * database, as without either. The one place this is decided, so every part agrees on it.
 */
export type ServerMode = "standalone" | "cluster";

export function serverMode(env: Pick<Env, "REDIS_URL">, isWorker: boolean = cluster.isWorker): ServerMode {
  return env.REDIS_URL || isWorker ? "cluster" : "standalone";
}

export function isClusterMode(env: Pick<Env, "REDIS_URL">, isWorker: boolean = cluster.isWorker): boolean {
  return serverMode(env, isWorker) === "cluster";
}
