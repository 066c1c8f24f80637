import "server-only";
import pg from "pg";
import { getDatabase } from "./client";
import { SERVER_LOCK_KEY } from "./server-claim";

/**
 * Leases are session advisory locks in the two-key form (the server's key, then the lease's
 * number), so they never collide with the server's own claim on the database (one bigint key).
 */
export const LEASES = {
  /** Rollup writing, alert detection, retention, history back-fill and MQTT ingest: one node at a time. */
  singletons: 1,
} as const;
export type LeaseName = keyof typeof LEASES;

/** Transaction lock (same two-key space) that serialises the reference-data seed of nodes starting together. */
export const STARTUP_WRITES_LOCK = 2;

/** What a lease connection's application_name starts with; the rest is the holding node's name. */
const LEASE_APPLICATION_PREFIX = "m2m-pulse lease ";

/**
 * How fast PostgreSQL itself notices a holder whose machine died (no FIN, no RST): TCP keepalive
 * probes on the idle connection after 4 s, every 2 s, 3 unanswered = gone (~10 s), and unacknowledged
 * data given up after 9 s. Set per session, so the server's own defaults (2 hours) stay for others.
 * The lock dies with the backend's connection; another node takes it within the 15 s budget.
 */
const SERVER_SIDE_KEEPALIVE = "-c tcp_keepalives_idle=4 -c tcp_keepalives_interval=2 -c tcp_keepalives_count=3 -c tcp_user_timeout=9000";

/** A dedicated connection that holds (or tries for) one lease; nothing else runs on it. */
export interface LeaseConnection {
  /** Tries for the lease; true when this connection holds it now. Never waits for the holder. */
  tryAcquire(): Promise<boolean>;
  /** A round trip that proves the connection (and so the lock) is still alive; rejects after `timeoutMs`. */
  ping(timeoutMs: number): Promise<void>;
  /** Gives the lease back (if held) and closes the connection. */
  close(): Promise<void>;
  /** Closes the connection at once, without a goodbye: the lock, if held, goes with it. */
  destroy(): void;
}

export async function openLeaseConnection(
  url: string,
  lease: LeaseName,
  nodeName: string,
  onBroken: (error: Error) => void,
): Promise<LeaseConnection> {
  const client = new pg.Client({
    connectionString: url,
    application_name: `${LEASE_APPLICATION_PREFIX}${nodeName}`.slice(0, 63),
    // Client-side keepalive: this node notices a dead database machine too (the ping below is the sure way).
    keepAlive: true,
    keepAliveInitialDelayMillis: 4_000,
    connectionTimeoutMillis: 5_000,
    options: SERVER_SIDE_KEEPALIVE,
  });
  let broken = false;
  const breaks = (error: Error) => {
    if (broken) return;
    broken = true; // 'error' and 'end' both come
    onBroken(error);
  };
  client.on("error", breaks);
  client.on("end", () => breaks(new Error("the lease connection ended")));
  try {
    await client.connect();
  } catch (error) {
    broken = true;
    await client.end().catch(() => {});
    throw error;
  }
  return {
    tryAcquire: async () => {
      const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1, $2) AS locked", [SERVER_LOCK_KEY, LEASES[lease]]);
      return rows[0]?.locked === true;
    },
    ping: async (timeoutMs) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          client.query("SELECT 1"),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`the lease connection did not answer within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
      } finally {
        clearTimeout(timer);
      }
    },
    close: async () => {
      broken = true;
      // Ending the session releases its advisory locks; no unlock call needed.
      await client.end().catch(() => {});
    },
    destroy: () => {
      broken = true;
      // The socket is cut rather than ended politely: a connection that stopped answering would never reply to a Terminate.
      (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
      void client.end().catch(() => {});
    },
  };
}

const HOLDER_TIMEOUT_MS = 2_000;

/** The node holding a lease (from its connection's application_name), or null when none does; gives up after two seconds. */
export async function findLeaseHolder(lease: LeaseName): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const query = getDatabase().pool.query<{ application_name: string }>(
    `SELECT a.application_name
       FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND l.classid = $1 AND l.objid = $2 AND l.objsubid = 2
      LIMIT 1`,
    [SERVER_LOCK_KEY, LEASES[lease]],
  );
  const { rows } = await Promise.race([
    query,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${HOLDER_TIMEOUT_MS} ms`)), HOLDER_TIMEOUT_MS);
    }),
  ]).finally(() => clearTimeout(timer));
  const name = rows[0]?.application_name;
  if (name === undefined) return null;
  return name.startsWith(LEASE_APPLICATION_PREFIX) ? name.slice(LEASE_APPLICATION_PREFIX.length) : name;
}
