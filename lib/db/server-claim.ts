import "server-only";
import { hostname } from "node:os";
import pg from "pg";
import { createLogger } from "@/lib/logger";

const log = createLogger("db");

/**
 * The session-level advisory lock a running server holds on its database ("M2MP"). Advisory
 * locks are per database, so servers on other databases of the same PostgreSQL do not meet.
 */
export const SERVER_LOCK_KEY = 0x4d324d50;

/**
 * How a server claims its database: "standalone" alone (an exclusive lock), "cluster" as one of
 * several nodes that share it (the same lock, shared; server/cluster/mode.ts decides which).
 */
export type ClaimMode = "standalone" | "cluster";

function refusal(mode: ClaimMode, holder: string | null): string {
  const named = holder ? ` (${holder})` : "";
  if (mode === "cluster") {
    return (
      `a standalone M2M Pulse server is using this database${named}; a cluster node (REDIS_URL set, or a PULSE_WORKERS worker) ` +
      "will not start beside it, as the standalone server would write its alerts and history as if it were alone. " +
      "Stop it, or start it with the cluster's REDIS_URL so that it joins the cluster"
    );
  }
  if (holder?.includes("cluster node")) {
    return (
      `M2M Pulse cluster nodes are using this database${named}; a standalone server (no REDIS_URL) will not start beside them, ` +
      "as it would write alerts and history the cluster's lease holder writes too. Set REDIS_URL to join the cluster, or give this server a database of its own"
    );
  }
  return (
    `another M2M Pulse server is using this database${named}; ` +
    "two servers on one database resolve each other's alerts and blend their history, so this one will not start. " +
    "Stop the other server, or give this one a database of its own"
  );
}

export class DatabaseInUseError extends Error {
  override name = "DatabaseInUseError";
  constructor(
    readonly holder: string | null,
    readonly mode: ClaimMode = "standalone",
  ) {
    super(refusal(mode, holder));
  }
}

export interface DatabaseClaim {
  release(): Promise<void>;
}

/** How this process shows up in pg_stat_activity, so a refused server can name the holder. */
function applicationName(mode: ClaimMode): string {
  return `m2m-pulse pid ${process.pid} on ${hostname()}${mode === "cluster" ? " (cluster node)" : ""}`.slice(0, 63);
}

async function describeHolder(client: pg.Client): Promise<string | null> {
  const { rows } = await client.query<{ application_name: string; backend_start: Date | null; client_addr: string | null }>(
    `SELECT a.application_name, a.backend_start, host(a.client_addr) AS client_addr
       FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND l.classid = 0 AND l.objid = $1 AND l.objsubid = 1
      ORDER BY a.backend_start
      LIMIT 1`,
    [SERVER_LOCK_KEY],
  );
  const holder = rows[0];
  if (!holder) return null;
  const parts = [holder.application_name || "an unnamed client"];
  if (holder.client_addr) parts.push(`from ${holder.client_addr}`);
  if (holder.backend_start) parts.push(`connected since ${holder.backend_start.toISOString()}`);
  return parts.join(", ");
}

/**
 * Claims the database for this server for as long as the process lives: an advisory lock held
 * by a connection of its own, which PostgreSQL releases the moment that connection ends, so a
 * server that dies (even by SIGKILL) never blocks the next one. A standalone server takes the
 * lock exclusively; cluster nodes take the same lock shared, so they coexist with each other but
 * never with a standalone server (in either order). Throws DatabaseInUseError, naming the holder,
 * when the database is taken. `onLost` is called if the connection breaks (the lock went with it).
 */
export async function claimDatabase(url: string, onLost: (error: Error) => void, mode: ClaimMode = "standalone"): Promise<DatabaseClaim> {
  const client = new pg.Client({ connectionString: url, application_name: applicationName(mode), keepAlive: true });
  await client.connect();
  let releasing = false;
  try {
    const lock = mode === "cluster" ? "pg_try_advisory_lock_shared" : "pg_try_advisory_lock";
    const { rows } = await client.query<{ locked: boolean }>(`SELECT ${lock}($1) AS locked`, [SERVER_LOCK_KEY]);
    if (!rows[0]?.locked) throw new DatabaseInUseError(await describeHolder(client), mode);
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
  const lost = (error: Error) => {
    if (releasing) return;
    releasing = true; // report once ('error' and 'end' both come)
    log.error("lost the connection that holds this server's claim on the database", { error: error.message });
    onLost(error);
  };
  client.on("error", lost);
  client.on("end", () => lost(new Error("the connection ended")));
  return {
    release: async () => {
      releasing = true;
      await client.end().catch(() => {});
    },
  };
}
