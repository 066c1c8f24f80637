import cluster from "node:cluster";
import { setupWorker } from "@socket.io/sticky";
import type { DatabaseKind } from "@/lib/db/client";
import type { StreamIo } from "../realtime/stream-server";

/**
 * What the primary tells a worker it forked (server/cluster/primary.ts). It stops one with SIGTERM,
 * which no worker can miss: before its handlers are installed the signal simply ends it.
 */
export type PrimaryMessage =
  /** The answer to "pulse:join": the database is provided, migrated and seeded; start the application on it. */
  { type: "pulse:start"; databaseKind: DatabaseKind };

/** What a worker tells its primary. */
export type WorkerMessage =
  /** Sent once it listens for the primary's messages (one sent before would be lost): asks for "pulse:start". */
  | { type: "pulse:join" }
  /** It takes connections now. */
  | { type: "pulse:ready" };

const isPrimaryMessage = (message: unknown, type: PrimaryMessage["type"]): boolean =>
  typeof message === "object" && message !== null && (message as { type?: unknown }).type === type;

/** Whether this process is a worker forked by the primary of `PULSE_WORKERS`. */
export const isClusterWorker = (): boolean => cluster.isWorker;

/**
 * Starts the worker side of the cluster protocol: the returned promise says which kind of database
 * the primary provided (its URL is in DATABASE_URL, inherited with the environment).
 */
export function joinPrimary(): Promise<DatabaseKind> {
  return new Promise((resolve) => {
    const onStart = (message: unknown) => {
      if (!isPrimaryMessage(message, "pulse:start")) return;
      process.off("message", onStart);
      resolve((message as Extract<PrimaryMessage, { type: "pulse:start" }>).databaseKind);
    };
    process.on("message", onStart);
    const join: WorkerMessage = { type: "pulse:join" };
    process.send?.(join);
  });
}

/**
 * Takes connections from the primary (@socket.io/sticky, which keeps each engine.io session on the
 * worker that opened it) and tells the primary this worker is ready: it hands none over before.
 */
export function acceptConnectionsFromPrimary(io: StreamIo): void {
  setupWorker(io);
  const ready: WorkerMessage = { type: "pulse:ready" };
  process.send?.(ready);
}
