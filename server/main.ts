import cluster from "node:cluster";
import { availableParallelism } from "node:os";
import { ensureFirstAdmin } from "@/lib/auth/first-admin";
import { closeDatabase, createDatabase, getDatabase, installDatabase, type DatabaseKind } from "@/lib/db/client";
import { claimDatabase, DatabaseInUseError, type ClaimMode, type DatabaseClaim } from "@/lib/db/server-claim";
import { migrateDatabase } from "@/lib/db/migrate";
import { ensureDefaultPlaylist } from "@/lib/db/playlists";
import { seedReferenceData } from "@/lib/db/seed";
import { EnvError, getEnv, type Env } from "@/lib/env";
import { configureLogger, createLogger } from "@/lib/logger";
import { APP_VERSION } from "@/lib/version";
import { createAccessGate } from "./access-gate";
import { createApplication } from "./application";
import { postgresLease, standaloneLease } from "./cluster/lease";
import { nodeName, serverMode } from "./cluster/mode";
import { runPrimary, workerCount } from "./cluster/primary";
import { isClusterWorker, joinPrimary } from "./cluster/worker";
import { provideDatabase } from "./database";
import { defaultMqttClientId } from "./ingest/mqtt";
import { Lifecycle } from "./lifecycle";
import { readBuildId } from "./realtime";

const log = createLogger("server");
// A shutdown that hangs (a stuck socket, an unresponsive database) must not keep the process alive.
const SHUTDOWN_DEADLINE_MS = 20_000;

// How often a server that lost its claim on the database (the connection broke) tries to take it back.
const RECLAIM_INTERVAL_MS = 5_000;

/**
 * Holds this server's claim on its database for the process's life. Should the connection
 * holding it break, the claim is taken back once the database answers again; if another server
 * took it meanwhile, this one stops rather than write over that one's alerts and history.
 */
async function holdDatabaseClaim(
  url: string,
  mode: ClaimMode,
  lifecycle: Lifecycle,
  stop: (reason: string, exitCode: number) => void,
): Promise<void> {
  let claim: DatabaseClaim | undefined;
  let retry: NodeJS.Timeout | undefined;
  const take = async (): Promise<void> => {
    claim = await claimDatabase(
      url,
      () => {
        claim = undefined;
        retry = setTimeout(reclaim, RECLAIM_INTERVAL_MS);
      },
      mode,
    );
  };
  const reclaim = () => {
    if (lifecycle.isStopping) return;
    take().then(
      () => log.info("took back this server's claim on the database"),
      (error: unknown) => {
        if (error instanceof DatabaseInUseError) {
          log.error("stopping: the database was claimed by another server while the connection was down", { error: error.message });
          stop("database claimed by another server", 1);
          return;
        }
        retry = setTimeout(reclaim, RECLAIM_INTERVAL_MS);
      },
    );
  };
  await take();
  lifecycle.onShutdown("claim on the database", async () => {
    clearTimeout(retry);
    await claim?.release();
  });
}

/**
 * Provides the database (starting the embedded PostgreSQL when DATABASE_URL is unset), claims,
 * migrates and seeds it: once per machine, by the single server or by the primary of PULSE_WORKERS.
 * Undefined when a shutdown began meanwhile.
 */
async function prepareDatabase(env: Env, lifecycle: Lifecycle, stop: (reason: string, exitCode: number) => void): Promise<{ url: string; kind: DatabaseKind } | undefined> {
  const { url: databaseUrl, kind } = await provideDatabase(env, lifecycle);
  if (lifecycle.isStopping) return undefined;
  // Before anything is written: a second server on this database refuses here, naming the first
  // (cluster nodes share it with each other, never with a standalone server). Under PULSE_WORKERS
  // the primary claims it for its workers.
  await holdDatabaseClaim(databaseUrl, serverMode(env), lifecycle, stop);
  if (lifecycle.isStopping) return undefined;

  await migrateDatabase(databaseUrl);
  openDatabase(databaseUrl, kind, lifecycle);
  await seedReferenceData(getDatabase().prisma);
  if (await ensureDefaultPlaylist()) log.info("created the default wall-screen playlist at /wall/overview");
  // Sessions are stored server-side now; an old deployment's secret is harmless but no longer read.
  if (env.PULSE_SESSION_SECRET) log.warn("PULSE_SESSION_SECRET is no longer used (sessions are kept in the database); remove it");
  const firstAdmin = await ensureFirstAdmin({ dataDir: env.PULSE_DATA_DIR, presetPassword: env.PULSE_ADMIN_PASSWORD });
  if (firstAdmin.created && firstAdmin.generated) {
    // Where the password is, never the password: log lines are shipped and kept where others read them.
    log.warn(
      `created the first admin account '${firstAdmin.username}' with a one-time password, written to ${firstAdmin.passwordFile} ` +
        `(readable only by this user); sign in at /signin with it and change it there`,
    );
  } else if (firstAdmin.created) {
    log.info(`created the first admin account '${firstAdmin.username}' with PULSE_ADMIN_PASSWORD`);
  }
  return lifecycle.isStopping ? undefined : { url: databaseUrl, kind };
}

function openDatabase(url: string, kind: DatabaseKind, lifecycle: Lifecycle): void {
  const database = createDatabase(url, kind);
  installDatabase(database);
  lifecycle.onShutdown("database", () => closeDatabase(database));
}

/**
 * Runs the application (pages, API, sockets, live stream) on the prepared database: listening on
 * PORT as the single server, or, as a worker of PULSE_WORKERS, on the connections its primary hands over.
 */
async function serve(env: Env, lifecycle: Lifecycle, role: "single" | "worker", databaseUrl: string): Promise<void> {
  const mode = serverMode(env);
  if (mode === "cluster" && env.SIM_SPEED !== 1) {
    // simulatedInstant anchors a speed other than 1 at this process's start: nodes would disagree.
    log.warn("SIM_SPEED is not 1 on a cluster node: each node counts simulated time from its own start, so nodes show different values (docs/SCALING.md)");
  }
  // The singletons (rollups, alerts, back-fill, retention, MQTT ingest) run on the lease holder.
  const lease = mode === "cluster" ? postgresLease({ databaseUrl, lease: "singletons", nodeName: nodeName() }) : standaloneLease(nodeName());
  // Registered before the application, so given back after it has written what it holds.
  lifecycle.onShutdown("singletons' lease", () => lease.stop());
  const application = await createApplication({
    dev: env.NODE_ENV === "development",
    dir: process.cwd(),
    hostname: env.HOST,
    port: env.PORT,
    gate: createAccessGate({ authRequired: env.PULSE_AUTH === "on", trustProxy: env.PULSE_TRUST_PROXY, metricsToken: env.METRICS_TOKEN }),
    allowedHosts: env.PULSE_ALLOWED_HOSTS,
    frameAncestors: env.PULSE_FRAME_ANCESTORS,
    realtime: { config: env, buildId: readBuildId(process.cwd(), env.NODE_ENV === "development") },
    notifications: {
      maxAttempts: env.NOTIFY_MAX_ATTEMPTS,
      backoffBaseMs: env.NOTIFY_BACKOFF_BASE_MS,
      timeoutMs: env.NOTIFY_TIMEOUT_MS,
      concurrency: env.NOTIFY_CONCURRENCY,
      retentionMs: env.HISTORY_RETENTION_DAYS * 86_400_000,
    },
    mqtt: env.MQTT_URL
      ? {
          url: env.MQTT_URL,
          username: env.MQTT_USERNAME,
          password: env.MQTT_PASSWORD,
          clientId: env.MQTT_CLIENT_ID ?? defaultMqttClientId(env.PORT, mode),
          topicPrefix: env.MQTT_TOPIC_PREFIX,
        }
      : undefined,
    lease,
    cluster: { redisUrl: env.REDIS_URL, clusterName: env.PULSE_CLUSTER },
  });
  // Stops MQTT ingest first, then closes the sockets, flushes rollups and alerts, then the notifications in flight, then Next.js.
  lifecycle.onShutdown("mqtt, http, sockets, live stream (flush rollups and alerts) and notifications in flight", () => application.close());
  if (lifecycle.isStopping) return;

  if (role === "worker") {
    application.listenThroughPrimary();
    lease.start();
    log.info(`worker ${cluster.worker?.id} ready`);
    return;
  }
  const port = await application.listen();
  // Tried once listening: a node that takes the lease has a running stream for its duties.
  lease.start();
  const shownHost = env.HOST === "0.0.0.0" || env.HOST === "::" ? "localhost" : env.HOST;
  log.info(`M2M Pulse ${APP_VERSION} ready at http://${shownHost}:${port}`, { mode: env.NODE_ENV });
}

/** Which part this process plays: the single server, the primary of PULSE_WORKERS, or one of its workers. */
async function start(env: Env, lifecycle: Lifecycle, stop: (reason: string, exitCode: number) => void): Promise<void> {
  if (isClusterWorker()) {
    // The primary provided, migrated and seeded the database; DATABASE_URL (inherited) says where it is.
    const kind = await joinPrimary();
    const url = getEnv().DATABASE_URL!;
    openDatabase(url, kind, lifecycle);
    return serve(env, lifecycle, "worker", url);
  }
  const workers = workerCount(env.PULSE_WORKERS, availableParallelism());
  if (workers > 1 && env.NODE_ENV === "development") {
    // Next's dev server (Turbopack) compiles into .next/ and cannot be shared by several processes.
    log.warn("PULSE_WORKERS is ignored under `npm run dev`: the development server runs as one process", { PULSE_WORKERS: env.PULSE_WORKERS });
  } else if (workers > 1) {
    return runPrimary({ env, lifecycle, workers, prepare: async () => (await prepareDatabase(env, lifecycle, stop))?.kind, stop });
  }
  const database = await prepareDatabase(env, lifecycle, stop);
  if (database === undefined) return;
  return serve(env, lifecycle, "single", database.url);
}

async function main(): Promise<void> {
  let env: Env;
  try {
    env = getEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`m2m-pulse: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  configureLogger({ level: env.LOG_LEVEL, format: env.LOG_FORMAT, development: env.NODE_ENV === "development" });

  const lifecycle = new Lifecycle();
  const stop = (reason: string, exitCode: number) => {
    if (lifecycle.isStopping) {
      // npm forwards the terminal's Ctrl-C that already reached this process: not news.
      log.info("already shutting down", { signal: reason });
      return;
    }
    setTimeout(() => {
      log.error("shutdown did not finish in time; exiting", { deadlineMs: SHUTDOWN_DEADLINE_MS });
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    void lifecycle.shutdown(reason).then(() => process.exit(exitCode));
  };
  process.on("SIGINT", () => stop("SIGINT", 0));
  process.on("SIGTERM", () => stop("SIGTERM", 0));
  process.on("unhandledRejection", (reason) => {
    log.error("unhandled promise rejection", { error: reason instanceof Error ? (reason.stack ?? reason.message) : String(reason) });
  });
  process.on("uncaughtException", (error) => {
    log.error("uncaught exception; shutting down", { error: error.stack ?? error.message });
    stop("uncaughtException", 1);
  });

  try {
    await start(env, lifecycle, stop);
  } catch (error) {
    log.error("start failed", { error: error instanceof Error ? error.message : String(error) });
    stop("start failed", 1);
  }
}

void main();
