import { z } from "zod";
import { alertSchema } from "./alerts";
import { operatorSlugSchema, sectorSlugSchema } from "./catalog";
import { heartbeatSchema } from "./displays";
import { incidentKindSchema } from "./incidents";
import { MAX_SAMPLE_CONNECTIONS, SAMPLE_SOURCES } from "./ingest";
import { playlistSchema } from "./playlists";

/**
 * What one node of a cluster tells the others (server/cluster/bus.ts): the things decided on one
 * node that every node's sockets must see. Each arrives as one envelope over socket.io's
 * server-side emit (through the Redis streams adapter, or node:cluster's IPC between workers) and
 * is validated here before any handler runs: a peer on another version, or anything else writing
 * to the cluster's Redis channels, cannot crash a node.
 */

const instantMs = z.number().int().nonnegative();

/** A simulated incident triggered on demand (lib/domain/simulator/incidents.ts `Incident`). */
export const triggeredIncidentSchema = z.object({
  kind: incidentKindSchema,
  operator: operatorSlugSchema.nullable(),
  sector: sectorSlugSchema.nullable(),
  startMs: instantMs,
  magnitude: z.number().gt(0).max(0.95),
  rampMs: z.number().int().nonnegative(),
  holdMs: z.number().int().nonnegative(),
  recoverMs: z.number().int().nonnegative(),
});

/** A measured sample just stored, with the receipt stamped on it: every node shows it from the same tick. */
export const storedSampleSchema = z.object({
  operator: operatorSlugSchema,
  sector: sectorSlugSchema,
  connections: z.number().int().nonnegative().max(MAX_SAMPLE_CONNECTIONS),
  atMs: z.number().int(),
  receivedAtMs: instantMs,
  source: z.enum(SAMPLE_SOURCES),
});

export const clusterNodeIdSchema = z.string().min(1).max(200);

/** Every event of the bus and its payload. */
export const clusterEventSchemas = {
  /** An incident triggered on one node: every node's simulator shows it. */
  "incident:triggered": triggeredIncidentSchema,
  /** Samples just committed by one node's ingest: every node's stream shows them. */
  "samples:stored": z.object({ samples: z.array(storedSampleSchema).max(10_000) }),
  /** A display token was revoked: every node closes the screens using it. */
  "display-token:revoked": z.object({ tokenId: z.number().int().positive() }),
  /** A remote reload of one wall screen, wherever its socket is. */
  "display:reload": z.object({ displayId: heartbeatSchema.shape.displayId }),
  /** Sessions that ended (sign-out, password change, account removed): their sockets close. */
  "sessions:ended": z.object({ sessionKeys: z.array(z.string().min(1).max(200)).max(10_000) }),
  /** A playlist was deleted: its screens' sockets close. */
  "playlist:deleted": z.object({ slug: z.string().min(1).max(48) }),
  /** A playlist was edited: subscriptions it no longer allows end. */
  "playlist:changed": z.object({ playlist: playlistSchema }),
  /** An alert raised, updated or resolved by the node that detected it: every node tells its own clients once. */
  "alert:changed": z.object({ change: z.enum(["raised", "updated", "resolved"]), alert: alertSchema }),
  /** A node saying it is alive, every few seconds (presence in /api/health). */
  "node:heartbeat": z.object({ nodeId: clusterNodeIdSchema, startedAtMs: instantMs }),
} as const;

export type ClusterEventName = keyof typeof clusterEventSchemas;
export type ClusterEventPayload<E extends ClusterEventName> = z.output<(typeof clusterEventSchemas)[E]>;

/** What travels between nodes: the event, its payload and who sent it. */
export const clusterEnvelopeSchema = z.object({
  event: z.enum(Object.keys(clusterEventSchemas) as [ClusterEventName, ...ClusterEventName[]]),
  from: clusterNodeIdSchema,
  payload: z.unknown(),
});
export type ClusterEnvelope = z.infer<typeof clusterEnvelopeSchema>;

/** The one server-side event name the bus uses on socket.io (its payload is an envelope). */
export const CLUSTER_BUS_EVENT = "pulse:cluster";

/** Server-to-server events, for socket.io's fourth type parameter. */
export interface ClusterServerEvents {
  [CLUSTER_BUS_EVENT]: (envelope: unknown, ack?: (reached: number) => void) => void;
}

/** The cluster as /api/health reports it (lib/contracts/health.ts). */
export const clusterHealthSchema = z.object({
  /** "standalone": one process on its own (no REDIS_URL, not a worker); "cluster": one node of several. */
  mode: z.enum(["standalone", "cluster"]),
  /** How the nodes talk: Redis (REDIS_URL), node:cluster's IPC (workers of one `npm start`), or nobody. */
  transport: z.enum(["redis", "node-cluster", "none"]),
  /** This node: host name and process id. */
  nodeId: clusterNodeIdSchema,
  /** Other nodes heard from recently (their heartbeats), newest first. */
  peers: z.array(z.object({ nodeId: clusterNodeIdSchema, lastSeenAt: z.iso.datetime() })),
  /** The Redis connection; null without REDIS_URL. */
  redis: z.object({ status: z.enum(["up", "down"]) }).nullable(),
  /** The node holding the singletons' lease (rollups, alerts, retention); null while no lease is taken. */
  leaseHolder: z.string().nullable(),
});
export type ClusterHealth = z.infer<typeof clusterHealthSchema>;
