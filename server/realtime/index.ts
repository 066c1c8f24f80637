import { readFileSync } from "node:fs";
import type { IncomingMessage, Server as HttpServer, ServerResponse } from "node:http";
import path from "node:path";
import type { SeriesFilter } from "@/lib/contracts/filters";
import type { StoredSample } from "@/lib/contracts/ingest";
import { MAX_SNAPSHOT_TICKS, type ServerInfo } from "@/lib/contracts/realtime";
import { findOpenAlerts, insertAlert, pruneAlerts, resolveOrphanedAlerts, updateAlert } from "@/lib/db/alerts";
import { insertIncident, listActiveIncidents, pruneIncidents } from "@/lib/db/incidents";
import { listDisplays, pruneDisplays, recordHeartbeat } from "@/lib/db/displays";
import { pruneRollups, upsertRollups } from "@/lib/db/rollups";
import { pruneSamples } from "@/lib/db/samples";
import { findSamplesForRefill } from "@/lib/db/measured-refill";
import { pruneSessions } from "@/lib/db/sessions";
import { minuteOf } from "@/lib/domain/rollups";
import { ConnectionModel } from "@/lib/domain/simulator/model";
import type { Incident } from "@/lib/domain/simulator/incidents";
import type { Env } from "@/lib/env";
import { createLogger } from "@/lib/logger";
import { registerRealtimeProbe, metrics, ROOM_KINDS, type RoomKind, type ScreenState, type SocketClient } from "@/lib/observability/metrics";
import { APP_VERSION } from "@/lib/version";
import { standaloneLease, type Lease } from "../cluster/lease";
import { nodeName } from "../cluster/mode";
import { AlertService } from "./alert-service";
import { backfilledRows, backfillHistory } from "./backfill";
import { getRealtime, registerRealtime, type RealtimeHandle } from "./registry";
import { RollupWriter } from "./rollup-writer";
import { attachDisplayFleet } from "./display-fleet";
import { authorizeDisplayFilter } from "../display-scope";
import { createSocketSessions } from "./socket-sessions";
import {
  attachStreamServer,
  createSocketServer,
  roomKindOf,
  snapshotFor,
  type SocketLimits,
  type StreamIo,
  type StreamServer,
  type StreamSocket,
} from "./stream-server";
import type { AccessGate } from "../access-gate";
import { TickSource } from "./tick-source";
import { createClusterBus, type ClusterBus } from "../cluster/bus";
import { STANDALONE_TRANSPORT, type ClusterTransport } from "../cluster/transport";

const log = createLogger("realtime");
const DAY_MS = 86_400_000;

export interface Realtime {
  source: TickSource;
  stream: StreamServer;
  info: ServerInfo;
  /** Adds an incident on demand (demos, tests); it appears from the next tick. */
  trigger(incident: Incident): void;
  /**
   * Resolves once the first back-fill of history has been written (on the lease holder; on
   * another node of a cluster, once it takes the lease over, or at stop).
   */
  backfilled: Promise<void>;
  /** Stops ticking and writes everything still held: rollups, alerts. */
  stop(): Promise<void>;
}

export function readBuildId(dir: string, dev: boolean): string {
  if (dev) return "development";
  try {
    return readFileSync(path.join(dir, ".next", "BUILD_ID"), "utf8").trim();
  } catch {
    return "unknown";
  }
}

export type RealtimeConfig = Pick<
  Env,
  | "SIM_SEED"
  | "SIM_TICK_MS"
  | "SIM_SPEED"
  | "HISTORY_BACKFILL_HOURS"
  | "HISTORY_RETENTION_DAYS"
  | "ROLLUP_FLUSH_MS"
  | "PULSE_AUTH"
  | "SIMULATOR"
  | "MEASURED_STALE_SECONDS"
  | "MEASURED_EXPIRE_SECONDS"
  | "INGEST_MAX_SKEW_SECONDS"
>;

/**
 * With sign-in on, a wall screen's token lets it watch only the filters of its playlist's views
 * (read again on each subscription, so an edited playlist applies at once).
 */
async function authorizeFilter(socket: StreamSocket, filter: SeriesFilter): Promise<string | null> {
  const token = socket.data.displayToken;
  return token ? authorizeDisplayFilter(token.playlistSlug, filter) : null;
}

/** The database functions the live stream writes and prunes with (lib/db's, unless a caller passes its own). */
export interface RealtimeDatabase {
  insertAlert: typeof insertAlert;
  updateAlert: typeof updateAlert;
  findOpenAlerts: typeof findOpenAlerts;
  resolveOrphanedAlerts: typeof resolveOrphanedAlerts;
  pruneAlerts: typeof pruneAlerts;
  upsertRollups: typeof upsertRollups;
  pruneRollups: typeof pruneRollups;
  recordHeartbeat: typeof recordHeartbeat;
  pruneDisplays: typeof pruneDisplays;
  pruneSessions: typeof pruneSessions;
  findSamplesForRefill: typeof findSamplesForRefill;
  pruneSamples: typeof pruneSamples;
  listDisplays: typeof listDisplays;
  insertIncident: typeof insertIncident;
  listActiveIncidents: typeof listActiveIncidents;
  pruneIncidents: typeof pruneIncidents;
}

const POSTGRES: RealtimeDatabase = {
  insertAlert,
  updateAlert,
  findOpenAlerts,
  resolveOrphanedAlerts,
  pruneAlerts,
  upsertRollups,
  pruneRollups,
  recordHeartbeat,
  pruneDisplays,
  pruneSessions,
  findSamplesForRefill,
  pruneSamples,
  listDisplays,
  insertIncident,
  listActiveIncidents,
  pruneIncidents,
};

/** What createRealtimeServer needs; the product, the integration tests and the benchmarks each pass theirs. */
export interface RealtimeDeps {
  /** The simulator's seed, tick and speed, history and retention, and whether sign-in is on. */
  config: RealtimeConfig;
  /** Shown to clients so that an open page notices a new deployment. */
  buildId: string;
  /** Who a socket is, or its refusal: run at the handshake, after the per-address guards. */
  gate: Pick<AccessGate, "authenticateSocket">;
  /** The Host allow-list (server/http-edge.ts): a handshake addressed to another host is answered 421. */
  isAllowedHost: (request: IncomingMessage) => boolean;
  /** Override the environment's socket limits (tests and benchmarks open hundreds of sockets from 127.0.0.1). */
  limits?: Partial<SocketLimits>;
  /** Defaults to lib/db's functions on the installed database. */
  database?: RealtimeDatabase;
  /** Wall-clock milliseconds: the simulator's anchor and the displays' retention. Defaults to Date.now. */
  now?: () => number;
  /**
   * Who runs the singletons (rollup writing, alerts, back-fill, retention): in a cluster the holder
   * of the lease (server/cluster/lease.ts). Defaults to a standalone server's, held from the start.
   */
  lease?: Lease;
  /** How this node reaches the cluster's other nodes (server/cluster/transport.ts); none by default. */
  transport?: ClusterTransport;
}

export interface RealtimeServer extends Realtime {
  io: StreamIo;
  /** What this node tells the others, and hears from them. */
  bus: ClusterBus;
  /**
   * Closes every socket and the HTTP server (stops accepting, cuts open connections), then stops
   * ticking and writes what is still held: sockets first, so nothing is sent from a half-stopped stream.
   */
  close(): Promise<void>;
}

/**
 * The one place that builds the realtime server on `httpServer`: socket.io with its per-address
 * guards, the Host allow-list and the access gate at the handshake, then the live stream (ticks,
 * rollups, alerts, display fleet). Needs the database installed (lib/db/client) first, unless
 * `deps.database` stands in for it. The caller listens on `httpServer`.
 */
export function createRealtimeServer(httpServer: HttpServer, deps: RealtimeDeps): RealtimeServer {
  const io = createSocketServer(httpServer, deps.limits);
  const transport = deps.transport ?? STANDALONE_TRANSPORT;
  transport.attach(io);
  const bus = createClusterBus(io, transport);
  // engine.io answers /socket.io/ itself (polling and the WebSocket upgrade), ahead of any HTTP
  // "request" listener: the Host allow-list is applied to it here, before the handshake.
  io.engine.use((request: IncomingMessage, response: ServerResponse, next: (error?: Error) => void) => {
    if (deps.isAllowedHost(request)) return next();
    response.writeHead(421, { "content-type": "text/plain" }).end("misdirected request: see PULSE_ALLOWED_HOSTS");
  });
  io.use((socket, next) => void deps.gate.authenticateSocket(socket, next));
  const realtime = startRealtime(io, bus, transport, deps.config, deps.buildId, deps.database ?? POSTGRES, deps.now ?? Date.now, deps.lease ?? standaloneLease(nodeName()));
  return {
    ...realtime,
    io,
    bus,
    close: async () => {
      bus.close();
      // io.close() disconnects every socket and closes the HTTP server (stops accepting).
      await new Promise<void>((resolve) => {
        void io.close(() => resolve());
        httpServer.closeAllConnections();
      });
      await realtime.stop();
      await transport.close();
    },
  };
}

/**
 * Starts the live stream on `io`: the simulator's ticks, the socket protocol, and — while this
 * node holds the lease — per-minute rollups into Postgres, alerts, back-filled history and retention.
 */
function startRealtime(
  io: StreamIo,
  bus: ClusterBus,
  transport: ClusterTransport,
  config: RealtimeConfig,
  buildId: string,
  db: RealtimeDatabase,
  now: () => number,
  lease: Lease,
): Realtime {
  const measured = {
    staleMs: config.MEASURED_STALE_SECONDS * 1000,
    expireMs: config.MEASURED_EXPIRE_SECONDS * 1000,
    simulator: config.SIMULATOR === "on",
  };
  const source = new TickSource({
    model: new ConnectionModel(config.SIM_SEED),
    clock: { tickMs: config.SIM_TICK_MS, speed: config.SIM_SPEED, anchorMs: now() },
    bufferTicks: MAX_SNAPSHOT_TICKS,
    measured,
    now,
  });
  const info: ServerInfo = {
    version: APP_VERSION,
    buildId,
    tickMs: config.SIM_TICK_MS,
    speed: config.SIM_SPEED,
    simulator: config.SIMULATOR,
    measuredStaleSeconds: config.MEASURED_STALE_SECONDS,
    measuredExpireSeconds: config.MEASURED_EXPIRE_SECONDS,
  };
  // A shutdown stops the back-fill between chunks rather than wait for days of history.
  const stopping = new AbortController();
  const stream = attachStreamServer(io, source, info, config.PULSE_AUTH === "on" ? { authorizeFilter } : {});
  const fleet = attachDisplayFleet(io, db.recordHeartbeat);
  const writer = new RollupWriter({
    source,
    write: db.upsertRollups,
    flushMs: config.ROLLUP_FLUSH_MS,
    closeWritesMinuteInProgress: lease.kind === "standalone",
    completeMinute: lease.kind === "cluster" ? (minuteMs) => backfilledRows(source, minuteMs) : undefined,
  });
  const sessions = createSocketSessions(io, { scopeDisplays: config.PULSE_AUTH === "on" });
  // What is decided on one node and must reach every node's sockets: each node's handler acts on
  // its own sockets and answers how many it reached (server/cluster/bus.ts).
  bus.on("incident:triggered", (incident) => source.trigger(incident));
  bus.on("samples:stored", ({ samples }) => source.acceptMeasured(samples));
  bus.on("display-token:revoked", ({ tokenId }) => fleet.revokeToken(tokenId));
  bus.on("display:reload", ({ displayId }) => fleet.reload(displayId));
  bus.on("sessions:ended", ({ sessionKeys }) => sessions.closeSessions(sessionKeys));
  bus.on("playlist:deleted", ({ slug }) => sessions.closePlaylist(slug));
  bus.on("playlist:changed", ({ playlist }) => sessions.recheckPlaylist(playlist));
  bus.on("alert:changed", ({ change, alert }) => stream.publishAlert(change, alert));
  // The lease holder detects alerts and tells every node, each of which sends it to its own clients once.
  const alerts = new AlertService(source, { insert: db.insertAlert, update: db.updateAlert, findOpen: db.findOpenAlerts, resolveOrphaned: db.resolveOrphanedAlerts }, (change, alert) => {
    metrics.alertChanges.inc({ change, severity: alert.severity });
    void bus.publish("alert:changed", { change, alert });
  });
  const unregisterProbe = registerRealtimeProbe({
    sockets: () => {
      const counts: Record<SocketClient, number> = { account: 0, display: 0, anonymous: 0 };
      for (const socket of io.sockets.sockets.values()) counts[socket.data.displayToken ? "display" : socket.data.sessionKey ? "account" : "anonymous"]++;
      return counts;
    },
    subscriptions: () => {
      const counts = Object.fromEntries(ROOM_KINDS.map((kind) => [kind, 0])) as Record<RoomKind, number>;
      for (const socket of io.sockets.sockets.values()) if (socket.data.room) counts[roomKindOf(socket.data.room)]++;
      return counts;
    },
    rollupBacklog: () => writer.pendingRows,
    screens: async () => {
      const counts: Record<ScreenState, number> = { live: 0, stale: 0, silent: 0 };
      for (const display of await db.listDisplays({ nowMs: now(), buildId, connected: fleet.connected() })) {
        counts[display.health === "silent" ? "silent" : display.connected && display.currentBuild ? "live" : "stale"]++;
      }
      return counts;
    },
  });

  writer.start();
  alerts.start();
  // Incidents triggered earlier (on any node) show in the refilled buffer and from the first tick.
  const loadIncidents = async (what: string) => {
    try {
      const fromMs = source.currentInstant() - MAX_SNAPSHOT_TICKS * config.SIM_TICK_MS * config.SIM_SPEED;
      for (const incident of await db.listActiveIncidents(fromMs)) source.trigger(incident);
    } catch (error) {
      log.warn(`reading triggered incidents failed ${what}`, { error: error instanceof Error ? error.message : String(error) });
    }
  };
  // A message sent while Redis was away may be lost (the client's queue is bounded): what is stored is read again on its return.
  const unsubscribeReconnect = transport.onReconnected(() => void loadIncidents("after Redis returned"));
  // The resume buffer is refilled with the measured samples the previous process showed: those
  // received since the buffer's start, and of the earlier ones what may still show — reaching back
  // by the expiry (an older sample may still be held stale) and the allowed clock skew (a sample may
  // be received before its instant).
  const started = (async () => {
    await loadIncidents("at start");
    let stored: StoredSample[] = [];
    try {
      const refill = await db.findSamplesForRefill(source.refillFromMs(), measured.expireMs + config.INGEST_MAX_SKEW_SECONDS * 1000);
      stored = refill.samples;
      if (refill.truncated) log.warn("too many measured samples to refill the resume buffer; its oldest ticks may miss some", { samples: stored.length });
    } catch (error) {
      log.warn("reading measured samples failed; the resume buffer shows only simulated values", {
        error: error instanceof Error ? error.message : String(error),
      });
    }
    if (!stopping.signal.aborted) source.start(stored);
    if (stored.length > 0) log.info("resume buffer refilled with measured samples", { samples: stored.length });
  })();


  const prune = async () => {
    const before = source.currentInstant() - config.HISTORY_RETENTION_DAYS * DAY_MS;
    try {
      const rollups = await db.pruneRollups(before);
      const pruned = await db.pruneAlerts(before);
      const displays = await db.pruneDisplays(now() - config.HISTORY_RETENTION_DAYS * DAY_MS);
      const ended = await db.pruneSessions();
      // Samples by their own (real) instant, like the displays.
      const samples = await db.pruneSamples(now() - config.HISTORY_RETENTION_DAYS * DAY_MS);
      const incidents = await db.pruneIncidents(before);
      if (rollups + pruned + displays + ended + samples + incidents > 0) {
        log.info("pruned old history", { rollups, alerts: pruned, displays, sessions: ended, samples, incidents });
      }
    } catch (error) {
      log.warn("pruning history failed", { error: error instanceof Error ? error.message : String(error) });
    }
  };

  // The singletons run for as long as this node holds the lease (a standalone server: always).
  // Each holding is a term; losing the lease ends it between steps.
  let term: AbortController | undefined;
  let termWork: Promise<void> = Promise.resolve();
  let pruneTimer: NodeJS.Timeout | undefined;
  let markBackfilled!: () => void;
  const backfilled = new Promise<void>((resolve) => (markBackfilled = resolve));
  const lead = () => {
    const current = new AbortController();
    term = current;
    // Minutes from the one in progress are this node's to write live; those before, the back-fill's
    // (the previous holder's unwritten or half-written ones included): no minute is written twice.
    const fromMinuteMs = minuteOf(source.currentInstant());
    writer.lead(fromMinuteMs);
    pruneTimer = setInterval(() => void prune(), 3_600_000);
    termWork = (async () => {
      try {
        await started;
        if (current.signal.aborted) return;
        // Alerts left open in the database: carried on when the detector has them open too, else resolved.
        await alerts.lead();
        // History older than the retention would only be pruned again; without the simulator, nothing is made up.
        const hours = config.SIMULATOR === "on" ? Math.min(config.HISTORY_BACKFILL_HOURS, config.HISTORY_RETENTION_DAYS * 24) : 0;
        const minutes = await backfillHistory(source, hours, current.signal, fromMinuteMs);
        if (minutes > 0) log.info("back-filled simulated history", { minutes });
      } catch (error) {
        log.warn("back-filling history failed", { error: error instanceof Error ? error.message : String(error) });
      }
      markBackfilled();
      // Awaited by stop(), so that the first prune never runs on a database already closed.
      if (!current.signal.aborted) await prune();
    })();
  };
  const follow = () => {
    term?.abort();
    term = undefined;
    clearInterval(pruneTimer);
    writer.follow();
    alerts.follow();
  };
  const stopLeading = lease.onChange({ acquired: lead, lost: follow });

  const realtime: Realtime = {
    source,
    stream,
    info,
    trigger: (incident) => source.trigger(incident),
    backfilled,
    stop: async () => {
      stopLeading();
      clearInterval(pruneTimer);
      unsubscribeReconnect();
      unregisterProbe();
      stopping.abort();
      term?.abort();
      source.stop();
      stream.close();
      await started;
      await termWork;
      markBackfilled();
      await alerts.close();
      // Written while the lease is still held: the lease is given back after this (server/main.ts).
      await writer.close();
      if (getRealtime() === handle) registerRealtime(undefined);
    },
  };
  // Route handlers act through the bus: on this node at once, and on every other node.
  const handle: RealtimeHandle = {
    info,
    currentInstant: () => source.currentInstant(),
    trigger: async (incident) => {
      // Stored first: a node that starts (or reconnects) later reads it from there.
      await db.insertIncident(incident);
      await bus.publish("incident:triggered", incident);
    },
    snapshot: (filter, ticks) => snapshotFor(source, filter, ticks),
    reloadDisplay: (displayId) => bus.publish("display:reload", { displayId }),
    revokeDisplayToken: (tokenId) => bus.publish("display-token:revoked", { tokenId }),
    connectedDisplays: fleet.connected,
    sockets: {
      closeSessions: (sessionKeys) => (sessionKeys.length === 0 ? Promise.resolve(0) : bus.publish("sessions:ended", { sessionKeys: [...sessionKeys] })),
      closePlaylist: (slug) => bus.publish("playlist:deleted", { slug }),
      recheckPlaylist: (playlist) => bus.publish("playlist:changed", { playlist }),
    },
    acceptMeasured: (samples) => void bus.publish("samples:stored", { samples: [...samples] }),
    openReceipt: () => source.openReceipt(),
    leaseHolder: () => lease.holder(),
    isLeader: () => lease.isHeld,
    cluster: () => bus.health(),
  };
  registerRealtime(handle);
  log.info("live stream started", { tickMs: config.SIM_TICK_MS, speed: config.SIM_SPEED });
  return realtime;
}
