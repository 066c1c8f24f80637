import cluster from "node:cluster";
import { setupWorker } from "@socket.io/sticky";
import type { DatabaseKind } from "@/lib/db/client";
import type { StreamIo } from "../realtime/stream-server";

/** What the primary tells a worker it forked (server/cluster/primary.ts). */
export type PrimaryMessage =
  /** Sent right after the fork: the database is provided, migrated and seeded; start the application on it. */
  | { type: "pulse:start"; databaseKind: DatabaseKind }
  /** Stop in order (as on SIGTERM), then exit. */
  | { type: "pulse:shutdown" };

/** What a worker tells its primary. */
export type WorkerMessage = { type: "pulse:ready" };

const isPrimaryMessage = (message: unknown, type: PrimaryMessage["type"]): boolean =>
  typeof message === "object" && message !== null && (message as { type?: unknown }).type === type;

const isStickyMessage = (message: unknown): boolean =>
  typeof message === "object" && message !== null && String((message as { type?: unknown }).type).startsWith("sticky:");

/** Whether this process is a worker forked by the primary of `PULSE_WORKERS`. */
export const isClusterWorker = (): boolean => cluster.isWorker;

// Connections the primary hands over before the application can take them (a replacement worker
// is picked by the round-robin as soon as it is forked, while Next.js still prepares): held here and
// replayed once it can, instead of being dropped with nobody listening.
const held: [unknown, unknown][] = [];
const hold = (message: unknown, handle: unknown) => {
  if (isStickyMessage(message)) held.push([message, handle]);
};

/**
 * Starts the worker side of the cluster protocol: connections from the primary are held from now on,
 * and the returned promise says which kind of database the primary provided (its URL is in
 * DATABASE_URL, inherited with the environment).
 */
export function joinPrimary(): Promise<DatabaseKind> {
  process.on("message", hold);
  return new Promise((resolve) => {
    const onStart = (message: unknown) => {
      if (!isPrimaryMessage(message, "pulse:start")) return;
      process.off("message", onStart);
      resolve((message as Extract<PrimaryMessage, { type: "pulse:start" }>).databaseKind);
    };
    process.on("message", onStart);
  });
}

/** Calls `stop` when the primary asks this worker to shut down. */
export function onShutdownRequest(stop: () => void): void {
  process.on("message", (message: unknown) => {
    if (isPrimaryMessage(message, "pulse:shutdown")) stop();
  });
}

/**
 * Takes connections from the primary (@socket.io/sticky, which keeps each engine.io session on the
 * worker that opened it), those held since the start first, and tells the primary this worker is ready.
 */
export function acceptConnectionsFromPrimary(io: StreamIo): void {
  setupWorker(io);
  process.off("message", hold);
  for (const [message, handle] of held.splice(0)) process.emit("message", message, handle as never);
  const ready: WorkerMessage = { type: "pulse:ready" };
  process.send?.(ready);
}
