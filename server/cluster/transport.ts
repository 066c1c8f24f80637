import cluster from "node:cluster";
import { createAdapter as createClusterAdapter } from "@socket.io/cluster-adapter";
import { createAdapter as createRedisStreamsAdapter } from "@socket.io/redis-streams-adapter";
import { createClient } from "redis";
import type { Server } from "socket.io";
import { createLogger } from "@/lib/logger";

const log = createLogger("cluster");

/** How this node reaches the others. */
export type TransportKind = "redis" | "node-cluster" | "none";

export interface ClusterTransportOptions {
  /** REDIS_URL: a secret (it may hold a password), so it is never logged. */
  redisUrl?: string;
  /** PULSE_CLUSTER: the prefix of every stream, channel and key this cluster uses in Redis. */
  clusterName: string;
  /** Running as a node:cluster worker (PULSE_WORKERS > 1); defaults to node:cluster's own answer. */
  isWorker?: boolean;
}

export interface ClusterTransport {
  kind: TransportKind;
  /** Sets the socket.io adapter that carries server-side emits (and any broadcast) between nodes. */
  attach(io: Server): void;
  /** Redis's state; null without Redis. */
  redisStatus(): "up" | "down" | null;
  /** Called each time Redis comes back after being lost (not at the first connection). */
  onReconnected(listener: () => void): () => void;
  /** Closes the Redis connection; call after io.close() (which closes the adapter). */
  close(): Promise<void>;
}

// node-redis retries with a growing delay by itself; capped so a returning Redis is found quickly.
const reconnectDelay = (retries: number) => Math.min(100 * 2 ** retries, 2_000) + Math.floor(Math.random() * 100);

/** Messages held for Redis's return, at most (each is one command: a cluster message or a broadcast). */
const COMMANDS_QUEUED_WHILE_AWAY = 10_000;

/** The default in-memory adapter: one process on its own. */
export const STANDALONE_TRANSPORT: ClusterTransport = {
  kind: "none",
  attach: () => {},
  redisStatus: () => null,
  onReconnected: () => () => {},
  close: async () => {},
};

/**
 * Picks how nodes talk: with REDIS_URL, Redis streams (@socket.io/redis-streams-adapter, which
 * replays its stream after a blip rather than lose packets); as a node:cluster worker without
 * Redis, the primary's IPC (@socket.io/cluster-adapter, whose primary side `npm start` sets up);
 * otherwise nobody, and socket.io's default in-memory adapter. With Redis, this resolves once
 * Redis has answered: a node that started without its bus would show other state than its peers,
 * so it waits (logging that it does) rather than serve alone.
 */
export async function connectClusterTransport(options: ClusterTransportOptions): Promise<ClusterTransport> {
  if (options.redisUrl) return connectRedis(options.redisUrl, options.clusterName);
  if (options.isWorker ?? cluster.isWorker) {
    return { ...STANDALONE_TRANSPORT, kind: "node-cluster", attach: (io) => void io.adapter(createClusterAdapter()) };
  }
  return STANDALONE_TRANSPORT;
}

async function connectRedis(url: string, clusterName: string): Promise<ClusterTransport> {
  const client = createClient({
    url,
    socket: { reconnectStrategy: reconnectDelay, connectTimeout: 5_000 },
    // While Redis is away, messages wait in the client for its return; a long outage under heavy
    // ingest must not grow that without end: past this many, new ones are dropped.
    commandsQueueMaxLength: COMMANDS_QUEUED_WHILE_AWAY,
  });
  const reconnected = new Set<() => void>();
  let everReady = false;
  let lost = false;
  // The client reports every failed attempt; one line when Redis goes and one when it is back.
  client.on("error", (error: Error) => {
    if (lost || !everReady) return;
    lost = true;
    log.error("lost Redis: cluster features are degraded until it returns (local screens keep their ticks)", { error: error.message });
  });
  client.on("end", () => (lost = true));
  client.on("ready", () => {
    if (!everReady) {
      everReady = true;
      return;
    }
    if (!lost) return;
    lost = false;
    log.info("Redis is back: cluster features resume");
    for (const listener of reconnected) listener();
  });

  log.info("connecting to Redis", { cluster: clusterName });
  const waiting = setInterval(() => log.warn("still waiting for Redis (REDIS_URL) before serving", { cluster: clusterName }), 10_000);
  try {
    await client.connect();
  } finally {
    clearInterval(waiting);
  }
  everReady = true;
  log.info("connected to Redis", { cluster: clusterName });

  return {
    kind: "redis",
    attach: (io) =>
      void io.adapter(
        createRedisStreamsAdapter(client, {
          streamName: `${clusterName}:socket.io`,
          channelPrefix: `${clusterName}:socket.io`,
          sessionKeyPrefix: `${clusterName}:sio:session:`,
        }),
      ),
    redisStatus: () => (client.isReady ? "up" : "down"),
    onReconnected: (listener) => {
      reconnected.add(listener);
      return () => reconnected.delete(listener);
    },
    close: async () => {
      reconnected.clear();
      // close() waits for commands in flight; during an outage there may be no end to that.
      if (client.isReady) await client.close().catch(() => client.destroy());
      else client.destroy();
    },
  };
}
