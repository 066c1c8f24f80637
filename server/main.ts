import { closeDatabase, createDatabase, installDatabase } from "@/lib/db/client";
import { migrateDatabase } from "@/lib/db/migrate";
import { ensureDefaultPlaylist } from "@/lib/db/playlists";
import { seedReferenceData } from "@/lib/db/seed";
import { EnvError, getEnv, type Env } from "@/lib/env";
import { createLogger, setLogLevel } from "@/lib/logger";
import { APP_VERSION } from "@/lib/version";
import { createAccessGate } from "./access-gate";
import { createApplication } from "./application";
import { provideDatabase } from "./database";
import { Lifecycle } from "./lifecycle";
import { readBuildId, startRealtime } from "./realtime";

const log = createLogger("server");
// A shutdown that hangs (a stuck socket, an unresponsive database) must not keep the process alive.
const SHUTDOWN_DEADLINE_MS = 20_000;

async function start(env: Env, lifecycle: Lifecycle): Promise<void> {
  const { url: databaseUrl, kind } = await provideDatabase(env, lifecycle);
  if (lifecycle.isStopping) return;

  await migrateDatabase(databaseUrl);
  const database = createDatabase(databaseUrl, kind);
  installDatabase(database);
  lifecycle.onShutdown("database", () => closeDatabase(database));
  await seedReferenceData(database.prisma);
  if (await ensureDefaultPlaylist()) log.info("created the default wall-screen playlist at /wall/overview");
  if (env.PULSE_AUTH === "on" && !env.PULSE_SESSION_SECRET) log.warn("PULSE_SESSION_SECRET is unset: sign-ins end when the server restarts");
  if (lifecycle.isStopping) return;

  const application = await createApplication({
    dev: env.NODE_ENV === "development",
    dir: process.cwd(),
    hostname: env.HOST,
    port: env.PORT,
    gate: createAccessGate({ authRequired: env.PULSE_AUTH === "on" }),
    allowedHosts: env.PULSE_ALLOWED_HOSTS,
    frameAncestors: env.PULSE_FRAME_ANCESTORS,
  });
  const realtime = startRealtime(application.io, env, readBuildId(process.cwd(), env.NODE_ENV === "development"));
  // Registered in this order so that shutdown closes the sockets first, then flushes.
  lifecycle.onShutdown("live stream (flush rollups and alerts)", () => realtime.stop());
  lifecycle.onShutdown("http and sockets", () => application.close());
  if (lifecycle.isStopping) return;

  const port = await application.listen();
  const shownHost = env.HOST === "0.0.0.0" || env.HOST === "::" ? "localhost" : env.HOST;
  log.info(`M2M Pulse ${APP_VERSION} ready at http://${shownHost}:${port}`, { mode: env.NODE_ENV });
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
  setLogLevel(env.LOG_LEVEL);

  const lifecycle = new Lifecycle();
  const stop = (reason: string, exitCode: number) => {
    if (lifecycle.isStopping) {
      log.warn("already shutting down", { signal: reason });
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
    await start(env, lifecycle);
  } catch (error) {
    log.error("start failed", { error: error instanceof Error ? error.message : String(error) });
    stop("start failed", 1);
  }
}

void main();
