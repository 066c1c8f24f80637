import { nodeName } from "./mode";
import {
  CLUSTER_BUS_EVENT,
  clusterEnvelopeSchema,
  clusterEventSchemas,
  type ClusterEnvelope,
  type ClusterEventName,
  type ClusterEventPayload,
  type ClusterHealth,
} from "@/lib/contracts/cluster";
import { describeZodError } from "@/lib/contracts/api";
import { createLogger } from "@/lib/logger";
import type { StreamIo } from "../realtime/stream-server";
import type { ClusterTransport } from "./transport";

const log = createLogger("cluster");

/** How often a node says it is alive, and how long a silent peer is still listed. */
export const HEARTBEAT_INTERVAL_MS = 5_000;
export const PEER_TIMEOUT_MS = 3 * HEARTBEAT_INTERVAL_MS;
/** How long a publish waits for the other nodes' counts before answering with those it has. */
const ANSWER_TIMEOUT_MS = 2_000;

/**
 * The events whose callers report how many sockets were reached (a reload answers 404 when no node
 * has the screen): for these a publish waits for every node's count. The others are sent and not waited for.
 */
const COUNTED: ReadonlySet<ClusterEventName> = new Set(["display-token:revoked", "display:reload", "sessions:ended", "playlist:deleted", "playlist:changed"]);

/** This process among the cluster's nodes: host name and process id, as logs and /api/health show it. */
export const NODE_ID = nodeName();

/** A handler runs once per node for each event; it answers how many of this node's sockets it reached. */
export type ClusterHandler<E extends ClusterEventName> = (payload: ClusterEventPayload<E>) => number | void;

export interface ClusterBus {
  readonly nodeId: string;
  /** Sets this node's handler of `event` (one per event). */
  on<E extends ClusterEventName>(event: E, handler: ClusterHandler<E>): void;
  /**
   * Runs the handler here at once, then on every other node. Resolves with the sockets reached:
   * for the counted events over every node that answered within two seconds (a node that did not
   * still gets the event), for the others on this node.
   */
  publish<E extends ClusterEventName>(event: E, payload: ClusterEventPayload<E>): Promise<number>;
  /** For /api/health: mode, this node, its peers and Redis's state (the lease holder is filled by the caller). */
  health(): Omit<ClusterHealth, "leaseHolder">;
  close(): void;
}

/**
 * The cluster's typed bus on socket.io's server-side emit, which goes through whichever adapter
 * the transport attached (Redis streams or node:cluster). Without a transport it is local only:
 * publish runs this node's handler, as the product did before clustering.
 */
export function createClusterBus(io: StreamIo, transport: ClusterTransport, options: { now?: () => number } = {}): ClusterBus {
  const now = options.now ?? Date.now;
  const handlers = new Map<ClusterEventName, (payload: never) => number | void>();
  const peers = new Map<string, number>();
  const startedAtMs = now();
  const clustered = transport.kind !== "none";

  const runLocal = (event: ClusterEventName, payload: unknown): number => {
    const handler = handlers.get(event);
    if (!handler) return 0;
    try {
      return (handler as (payload: unknown) => number | void)(payload) ?? 0;
    } catch (error) {
      log.error("a cluster event's handler failed", { event, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      return 0;
    }
  };

  const receive = (raw: unknown, ack?: (reached: number) => void) => {
    const answer = typeof ack === "function" ? ack : () => {};
    const envelope = clusterEnvelopeSchema.safeParse(raw);
    if (!envelope.success) {
      log.warn("dropped a malformed cluster message", { problem: describeZodError(envelope.error) });
      return answer(0);
    }
    const { event, from } = envelope.data;
    peers.set(from, now());
    const payload = clusterEventSchemas[event].safeParse(envelope.data.payload);
    if (!payload.success) {
      log.warn("dropped a malformed cluster message", { event, from, problem: describeZodError(payload.error) });
      return answer(0);
    }
    answer(runLocal(event, payload.data));
  };

  const sendRemote = (envelope: ClusterEnvelope, waitForAnswers: boolean): Promise<number> => {
    // While Redis is away nobody would answer: the message waits in the client's queue for its return.
    if (!waitForAnswers || transport.redisStatus() === "down") {
      io.serverSideEmit(CLUSTER_BUS_EVENT, envelope);
      return Promise.resolve(0);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(0), ANSWER_TIMEOUT_MS);
      io.serverSideEmit(CLUSTER_BUS_EVENT, envelope, ((error: Error | null, answers: unknown[]) => {
        clearTimeout(timer);
        if (error) log.warn("not every node answered a cluster event in time", { event: envelope.event, error: error.message });
        resolve((answers ?? []).reduce<number>((sum, reached) => sum + (typeof reached === "number" ? reached : 0), 0));
      }) as never);
    });
  };

  let heartbeat: NodeJS.Timeout | undefined;
  if (clustered) {
    io.on(CLUSTER_BUS_EVENT, receive);
    const beat = () => {
      if (transport.redisStatus() === "down") return; // not queued for later: it would be stale by then
      void sendRemote({ event: "node:heartbeat", from: NODE_ID, payload: { nodeId: NODE_ID, startedAtMs } }, false);
    };
    beat();
    heartbeat = setInterval(beat, HEARTBEAT_INTERVAL_MS);
    heartbeat.unref();
    log.info("joined the cluster", { node: NODE_ID, transport: transport.kind });
  }

  return {
    nodeId: NODE_ID,
    on(event, handler) {
      handlers.set(event, handler as (payload: never) => number | void);
    },
    async publish(event, payload) {
      const local = runLocal(event, payload);
      if (!clustered) return local;
      try {
        return local + (await sendRemote({ event, from: NODE_ID, payload }, COUNTED.has(event)));
      } catch (error) {
        // This node has acted; the others will not hear of it (a closing adapter, say). Nothing to throw at a caller.
        log.warn("a cluster event could not be sent to the other nodes", { event, error: error instanceof Error ? error.message : String(error) });
        return local;
      }
    },
    health() {
      const cutoff = now() - PEER_TIMEOUT_MS;
      // A restarted node comes back under a new id: forget the silent ones rather than keep them all.
      for (const [nodeId, seenMs] of peers) if (seenMs < cutoff) peers.delete(nodeId);
      const recent = [...peers].sort(([, a], [, b]) => b - a);
      const redis = transport.redisStatus();
      return {
        mode: clustered ? "cluster" : "standalone",
        transport: transport.kind,
        nodeId: NODE_ID,
        peers: recent.map(([nodeId, seenMs]) => ({ nodeId, lastSeenAt: new Date(seenMs).toISOString() })),
        redis: redis === null ? null : { status: redis },
      };
    },
    close() {
      clearInterval(heartbeat);
      io.off(CLUSTER_BUS_EVENT, receive);
    },
  };
}

/** /api/health's cluster part where no live stream runs in the process (a task, a test). */
export function standaloneClusterHealth(): ClusterHealth {
  return { mode: "standalone", transport: "none", nodeId: NODE_ID, peers: [], redis: null, leaseHolder: null };
}
