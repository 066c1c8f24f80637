import { readFileSync } from "node:fs";
import path from "node:path";
import type { SeriesFilter } from "@/lib/contracts/filters";
import { MAX_SNAPSHOT_TICKS, type ServerInfo } from "@/lib/contracts/realtime";
import { insertAlert, pruneAlerts, resolveOrphanedAlerts, updateAlert } from "@/lib/db/alerts";
import { pruneDisplays, recordHeartbeat } from "@/lib/db/displays";
import { pruneRollups, upsertRollups } from "@/lib/db/rollups";
import { pruneSessions } from "@/lib/db/sessions";
import { ConnectionModel } from "@/lib/domain/simulator/model";
import type { Incident } from "@/lib/domain/simulator/incidents";
import type { Env } from "@/lib/env";
import { createLogger } from "@/lib/logger";
import { APP_VERSION } from "@/lib/version";
import { AlertService } from "./alert-service";
import { backfillHistory } from "./backfill";
import { getRealtime, registerRealtime, type RealtimeHandle } from "./registry";
import { RollupWriter } from "./rollup-writer";
import { attachDisplayFleet } from "./display-fleet";
import { authorizeDisplayFilter } from "../display-scope";
import { createSocketSessions } from "./socket-sessions";
import { attachStreamServer, snapshotFor, type StreamIo, type StreamServer, type StreamSocket } from "./stream-server";
import { TickSource } from "./tick-source";

const log = createLogger("realtime");
const DAY_MS = 86_400_000;

export interface Realtime {
  source: TickSource;
  stream: StreamServer;
  info: ServerInfo;
  /** Adds an incident on demand (demos, tests); it appears from the next tick. */
  trigger(incident: Incident): void;
  /** Resolves once the first back-fill of history has been written. */
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
  "SIM_SEED" | "SIM_TICK_MS" | "SIM_SPEED" | "HISTORY_BACKFILL_HOURS" | "HISTORY_RETENTION_DAYS" | "ROLLUP_FLUSH_MS" | "PULSE_AUTH"
>;

/**
 * With sign-in on, a wall screen's token lets it watch only the filters of its playlist's views
 * (read again on each subscription, so an edited playlist applies at once).
 */
async function authorizeFilter(socket: StreamSocket, filter: SeriesFilter): Promise<string | null> {
  const token = socket.data.displayToken;
  return token ? authorizeDisplayFilter(token.playlistSlug, filter) : null;
}

/**
 * Starts the live stream on `io`: the simulator's ticks, the socket protocol, per-minute
 * rollups into Postgres, alerts, back-filled history and retention. Needs the database
 * installed (lib/db/client) first.
 */
export function startRealtime(io: StreamIo, config: RealtimeConfig, buildId: string): Realtime {
  const source = new TickSource({
    model: new ConnectionModel(config.SIM_SEED),
    clock: { tickMs: config.SIM_TICK_MS, speed: config.SIM_SPEED, anchorMs: Date.now() },
    bufferTicks: MAX_SNAPSHOT_TICKS,
  });
  const info: ServerInfo = {
    version: APP_VERSION,
    buildId,
    tickMs: config.SIM_TICK_MS,
    speed: config.SIM_SPEED,
    provenance: "simulated",
  };
  const stream = attachStreamServer(io, source, info, config.PULSE_AUTH === "on" ? { authorizeFilter } : {});
  const fleet = attachDisplayFleet(io, recordHeartbeat);
  const writer = new RollupWriter({ source, write: upsertRollups, flushMs: config.ROLLUP_FLUSH_MS });
  const alerts = new AlertService(source, { insert: insertAlert, update: updateAlert }, stream.publishAlert);

  source.start();
  writer.start();
  alerts.start();

  // A shutdown stops the back-fill between chunks rather than wait for days of history.
  const stopping = new AbortController();
  const backfilled = (async () => {
    try {
      // Alerts a previous process left open can no longer be followed to their end.
      await resolveOrphanedAlerts(source.currentInstant());
      // History older than the retention would only be pruned again.
      const hours = Math.min(config.HISTORY_BACKFILL_HOURS, config.HISTORY_RETENTION_DAYS * 24);
      const minutes = await backfillHistory(source, hours, stopping.signal);
      if (minutes > 0) log.info("back-filled simulated history", { minutes });
    } catch (error) {
      log.warn("back-filling history failed", { error: error instanceof Error ? error.message : String(error) });
    }
  })();

  const prune = async () => {
    const before = source.currentInstant() - config.HISTORY_RETENTION_DAYS * DAY_MS;
    try {
      const rollups = await pruneRollups(before);
      const pruned = await pruneAlerts(before);
      const displays = await pruneDisplays(Date.now() - config.HISTORY_RETENTION_DAYS * DAY_MS);
      const sessions = await pruneSessions();
      if (rollups + pruned + displays + sessions > 0) log.info("pruned old history", { rollups, alerts: pruned, displays, sessions });
    } catch (error) {
      log.warn("pruning history failed", { error: error instanceof Error ? error.message : String(error) });
    }
  };
  const pruneTimer = setInterval(() => void prune(), 3_600_000);
  void backfilled.then(() => (stopping.signal.aborted ? undefined : prune()));

  const realtime: Realtime = {
    source,
    stream,
    info,
    trigger: (incident) => source.trigger(incident),
    backfilled,
    stop: async () => {
      clearInterval(pruneTimer);
      stopping.abort();
      source.stop();
      stream.close();
      await backfilled;
      await alerts.close();
      await writer.close();
      if (getRealtime() === handle) registerRealtime(undefined);
    },
  };
  const handle: RealtimeHandle = {
    info,
    currentInstant: () => source.currentInstant(),
    trigger: realtime.trigger,
    snapshot: (filter, ticks) => snapshotFor(source, filter, ticks, info.provenance),
    reloadDisplay: fleet.reload,
    revokeDisplayToken: fleet.revokeToken,
    connectedDisplays: fleet.connected,
    sockets: createSocketSessions(io, { scopeDisplays: config.PULSE_AUTH === "on" }),
  };
  registerRealtime(handle);
  log.info("live stream started", { tickMs: config.SIM_TICK_MS, speed: config.SIM_SPEED });
  return realtime;
}
