import cluster, { type Worker } from "node:cluster";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { setupPrimary as setupClusterAdapterPrimary } from "@socket.io/cluster-adapter";
import { setupMaster as setupStickyPrimary } from "@socket.io/sticky";
import type { DatabaseKind } from "@/lib/db/client";
import type { Env } from "@/lib/env";
import { createLogger } from "@/lib/logger";
import { APP_VERSION } from "@/lib/version";
import type { Lifecycle } from "../lifecycle";
import { holdUnknownSessions, SessionDirectory } from "./session-gate";
import type { PrimaryMessage, WorkerMessage } from "./worker";

const log = createLogger("primary");

/** Within the process's 20 s shutdown deadline: what is left after it goes to stopping PostgreSQL. */
const WORKER_STOP_DEADLINE_MS = 15_000;
/** A worker that dies is replaced after this long, doubled for each death in a row, up to the maximum. */
const RESTART_BACKOFF_MS = 1_000;
const RESTART_BACKOFF_MAX_MS = 30_000;
/** A worker that served this long before it died starts the backoff afresh. */
const RESTART_STABLE_MS = 60_000;

export interface PrimaryOptions {
  env: Env;
  lifecycle: Lifecycle;
  workers: number;
  /** Provides, claims, migrates and seeds the database, once for all workers; undefined when a shutdown began meanwhile. */
  prepare(): Promise<DatabaseKind | undefined>;
  /** Stops the whole process (see server/main.ts). */
  stop(reason: string, exitCode: number): void;
}

/** The number of workers PULSE_WORKERS asks for: "auto" is one per core. */
export function workerCount(setting: Env["PULSE_WORKERS"], cores: number): number {
  return setting === "auto" ? Math.max(1, cores) : setting;
}

const isWorkerMessage = (message: unknown, type: WorkerMessage["type"]): boolean =>
  typeof message === "object" && message !== null && (message as { type?: unknown }).type === type;

/**
 * The primary of `PULSE_WORKERS=n`: it runs no application itself. It provides the database (the
 * embedded PostgreSQL is started here only), migrates and seeds it once, forks n workers that each
 * run the whole application, and owns the one listening port: @socket.io/sticky hands each new
 * connection to a worker in turn and keeps socket.io's long-polling requests on the worker that
 * holds their session. A worker that dies is replaced; a shutdown stops the workers (each flushes
 * as a single server does), then the database.
 */
export async function runPrimary(options: PrimaryOptions): Promise<void> {
  const { env, lifecycle } = options;
  const databaseKind = await options.prepare();
  if (databaseKind === undefined || lifecycle.isStopping) return;

  // "advanced": the first chunk of each connection travels with its handle as a Buffer, intact.
  cluster.setupPrimary({ serialization: "advanced" });
  // Without Redis, socket.io's broadcasts between workers go through the primary (the workers'
  // side, createAdapter(), is attached by the realtime server).
  if (!env.REDIS_URL) setupClusterAdapterPrimary();

  const httpServer = createServer();
  // A request of a session that sticky has not heard of yet waits for it (see ./session-gate).
  const sessions = new SessionDirectory();
  cluster.on("message", (worker, message) => sessions.hear(worker.id, message));
  // "least-connection" (by engine.io sessions) also lets a worker that is still starting be left out, below.
  setupStickyPrimary(holdUnknownSessions(httpServer, sessions), { loadBalancingMethod: "least-connection" });

  const failures = new Map<number, number>(); // slot → deaths in a row
  const forkedAt = new Map<Worker, number>();
  const slots = new Map<Worker, number>();

  const fork = (slot: number): { worker: Worker; ready: Promise<void> } => {
    const worker = cluster.fork();
    // Until it is ready, a replacement counts as full, so the primary hands it no connection: one
    // handed over while it still loads would be lost with nobody in the worker to take it.
    const counted = worker as Worker & { clientsCount?: number };
    counted.clientsCount = Number.POSITIVE_INFINITY;
    slots.set(worker, slot);
    forkedAt.set(worker, Date.now());
    const start: PrimaryMessage = { type: "pulse:start", databaseKind };
    const ready = new Promise<void>((resolve, reject) => {
      worker.on("message", (message: unknown) => {
        if (isWorkerMessage(message, "pulse:join")) worker.send(start);
        else if (isWorkerMessage(message, "pulse:ready")) {
          counted.clientsCount = 0;
          resolve();
        }
      });
      worker.once("exit", (code, signal) => reject(new Error(`worker ${slot} (pid ${worker.process.pid}) exited with ${signal ?? code} before it was ready`)));
    });
    ready.catch(() => {}); // a replacement's failure is handled by the exit listener below
    return { worker, ready };
  };

  cluster.on("exit", (worker, code, signal) => {
    sessions.forgetWorker(worker.id);
    const slot = slots.get(worker);
    slots.delete(worker);
    if (slot === undefined || lifecycle.isStopping) return;
    const lived = Date.now() - (forkedAt.get(worker) ?? 0);
    forkedAt.delete(worker);
    const inARow = lived >= RESTART_STABLE_MS ? 1 : (failures.get(slot) ?? 0) + 1;
    failures.set(slot, inARow);
    const delayMs = Math.min(RESTART_BACKOFF_MAX_MS, RESTART_BACKOFF_MS * 2 ** (inARow - 1));
    log.error(`worker ${slot} (pid ${worker.process.pid}) died; starting a new one`, { exit: signal ?? code, inARow, delayMs });
    setTimeout(() => {
      if (lifecycle.isStopping) return;
      const replacement = fork(slot);
      void replacement.ready.then(() => log.info(`worker ${slot} replaced`, { pid: replacement.worker.process.pid }));
    }, delayMs).unref();
  });

  // Registered before the port is open, so that a shutdown during the start still stops them.
  lifecycle.onShutdown("workers (each stops its sockets and flushes rollups and alerts)", () => stopWorkers());
  const first = Array.from({ length: options.workers }, (_, slot) => fork(slot + 1));
  try {
    await Promise.all(first.map((each) => each.ready));
  } catch (error) {
    if (lifecycle.isStopping) return;
    // A worker that cannot start once will not start twice (a missing build, a bad setting): stop.
    log.error("a worker failed to start; stopping", { error: error instanceof Error ? error.message : String(error) });
    options.stop("worker failed to start", 1);
    return;
  }
  if (lifecycle.isStopping) return;

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(env.PORT, env.HOST, () => {
      httpServer.off("error", reject);
      resolve();
    });
  });
  lifecycle.onShutdown("stop accepting connections", () => {
    httpServer.close();
  });
  const port = (httpServer.address() as AddressInfo).port;
  const shownHost = env.HOST === "0.0.0.0" || env.HOST === "::" ? "localhost" : env.HOST;
  log.info(`M2M Pulse ${APP_VERSION} ready at http://${shownHost}:${port}`, { mode: env.NODE_ENV, workers: options.workers });
}

/**
 * Sends every worker SIGTERM (each runs its own ordered shutdown: sockets, flush, database pool) and
 * waits for them to exit; one still running at the deadline is killed, so that PostgreSQL, stopped
 * after this, is never stopped under a worker.
 */
async function stopWorkers(): Promise<void> {
  const running = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined && !worker.isDead());
  await Promise.all(
    running.map(async (worker) => {
      const exited = once(worker, "exit");
      // Its SIGTERM handler runs the ordered shutdown (a terminal's Ctrl-C may have started it already).
      worker.process.kill("SIGTERM");
      const timer = setTimeout(() => {
        log.error("a worker did not stop in time; killing it", { pid: worker.process.pid, deadlineMs: WORKER_STOP_DEADLINE_MS });
        worker.process.kill("SIGKILL");
      }, WORKER_STOP_DEADLINE_MS);
      await exited;
      clearTimeout(timer);
    }),
  );
  log.info("workers stopped", { workers: running.length });
}
