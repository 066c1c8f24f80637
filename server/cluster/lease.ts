import { findLeaseHolder, openLeaseConnection, type LeaseConnection, type LeaseName } from "@/lib/db/leases";
import { createLogger } from "@/lib/logger";
import { metrics } from "@/lib/observability/metrics";

const log = createLogger("lease");

/** What runs while this node holds the lease: started on `acquired`, stopped on `lost`. */
export interface LeaseHolderDuties {
  acquired(): void;
  lost(reason: string): void;
}

/**
 * One node of a cluster at a time holds a lease; the singletons (rollups, alerts, retention,
 * back-fill, MQTT ingest) run on that node only. docs/SCALING.md "Singletons and the lease".
 */
export interface Lease {
  /** "standalone": the only server on its database, holding it from start to end. */
  readonly kind: "standalone" | "cluster";
  /** True while this node holds it. */
  readonly isHeld: boolean;
  /** The node holding it now (possibly this one), or null while nobody does. */
  holder(): Promise<string | null>;
  /** Adds duties; `acquired` runs at once when the lease is already held. Returns the removal. */
  onChange(duties: LeaseHolderDuties): () => void;
  /** Starts trying for the lease (a standalone server holds it from the start). */
  start(): void;
  /** Gives the lease up (calling `lost`) and stops trying. */
  stop(): Promise<void>;
}

/** Calls every subscriber; one that throws does not keep the others from hearing. */
class Duties {
  private readonly subscribers = new Set<LeaseHolderDuties>();
  add(duties: LeaseHolderDuties, held: boolean): () => void {
    this.subscribers.add(duties);
    if (held) this.call(duties, "acquired");
    return () => this.subscribers.delete(duties);
  }
  acquired(): void {
    for (const duties of this.subscribers) this.call(duties, "acquired");
  }
  lost(reason: string): void {
    for (const duties of this.subscribers) this.call(duties, "lost", reason);
  }
  private call(duties: LeaseHolderDuties, change: "acquired" | "lost", reason = ""): void {
    try {
      if (change === "acquired") duties.acquired();
      else duties.lost(reason);
    } catch (error) {
      log.error(`a lease duty failed when the lease was ${change}`, { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  }
}

/** A standalone server is the only one on its database: it holds the lease from start to end. */
export function standaloneLease(nodeName: string): Lease {
  const duties = new Duties();
  let held = true;
  metrics.leaseHeld.set(1);
  return {
    kind: "standalone",
    get isHeld() {
      return held;
    },
    holder: async () => (held ? nodeName : null),
    onChange: (subscriber) => duties.add(subscriber, held),
    start: () => {},
    stop: async () => {
      if (!held) return;
      held = false;
      metrics.leaseHeld.set(0);
      duties.lost("shutdown");
    },
  };
}

export interface PostgresLeaseOptions {
  databaseUrl: string;
  lease: LeaseName;
  nodeName: string;
  /** How often a node without the lease tries for it. Default 2 s. */
  retryMs?: number;
  /** How often the holder proves its connection alive, and how long an answer may take. Default 2 s and 4 s. */
  heartbeatMs?: number;
  heartbeatTimeoutMs?: number;
}

/**
 * A lease held as a PostgreSQL session advisory lock on a connection of its own. Every node tries
 * for it every `retryMs`; PostgreSQL grants it to one. The lock lives exactly as long as the holder's
 * session: a killed process's connection closes at once, a dead machine's is dropped by the
 * server-side TCP keepalive (lib/db/leases.ts), and the holder that cannot reach the database gives
 * the lease up after a missed heartbeat — before PostgreSQL frees it for another node.
 */
export function postgresLease(options: PostgresLeaseOptions): Lease {
  const retryMs = options.retryMs ?? 2_000;
  const heartbeatMs = options.heartbeatMs ?? 2_000;
  const heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? 4_000;
  const duties = new Duties();
  let connection: LeaseConnection | undefined;
  let held = false;
  let stopped = true;
  let timer: NodeJS.Timeout | undefined;
  let turn: Promise<void> = Promise.resolve();

  const setHeld = (now: boolean, reason = "") => {
    if (held === now) return;
    held = now;
    metrics.leaseHeld.set(now ? 1 : 0);
    if (now) {
      log.info("this node holds the lease: singletons run here", { lease: options.lease, node: options.nodeName });
      duties.acquired();
    } else {
      // Given back on shutdown is the plan; lost otherwise is worth a look.
      if (reason === "shutdown") log.info("gave the lease back: singletons stop here", { lease: options.lease });
      else log.warn("this node no longer holds the lease: singletons stop here", { lease: options.lease, reason });
      duties.lost(reason);
    }
  };

  const drop = (reason: string) => {
    connection?.destroy();
    connection = undefined;
    setHeld(false, reason);
  };

  const step = async () => {
    try {
      connection ??= await openLeaseConnection(options.databaseUrl, options.lease, options.nodeName, (error) => {
        // The connection broke between steps: the lock (if held) went with it.
        connection = undefined;
        setHeld(false, error.message);
      });
      if (stopped) return;
      if (held) await connection.ping(heartbeatTimeoutMs);
      else if (await connection.tryAcquire()) {
        if (stopped) return;
        setHeld(true);
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (held) drop(reason);
      else {
        connection?.destroy();
        connection = undefined;
        log.debug("could not try for the lease; will try again", { error: reason });
      }
    }
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(
      () => {
        turn = step().finally(schedule);
      },
      held ? heartbeatMs : retryMs,
    );
  };

  return {
    kind: "cluster",
    get isHeld() {
      return held;
    },
    holder: () => findLeaseHolder(options.lease),
    onChange: (subscriber) => duties.add(subscriber, held),
    start: () => {
      if (!stopped) return;
      stopped = false;
      turn = step().finally(schedule);
    },
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await turn;
      // Duties stop (flush what they hold) while the lock is still held, then it is given back.
      setHeld(false, "shutdown");
      await connection?.close();
      connection = undefined;
    },
  };
}
