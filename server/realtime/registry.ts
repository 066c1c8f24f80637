import "server-only";
import type { Incident } from "@/lib/domain/simulator/incidents";
import type { ClusterHealth } from "@/lib/contracts/cluster";
import type { SeriesFilter } from "@/lib/contracts/filters";
import type { StoredSample } from "@/lib/contracts/ingest";
import type { ServerInfo, StreamSubscribed } from "@/lib/contracts/realtime";
import { HttpError } from "@/lib/http/respond";
import type { SocketSessions } from "./socket-sessions";
import type { Receipt } from "./tick-source";

/** What route handlers may ask of the running live stream. */
export interface RealtimeHandle {
  info: ServerInfo;
  /** The simulated instant of the newest tick. */
  currentInstant(): number;
  /** Stores an incident triggered on demand and adds it on every node; it appears from the next tick. */
  trigger(incident: Incident): Promise<void>;
  /** The recent window of a filter, as a subscription would answer it. */
  snapshot(filter: SeriesFilter, ticks: number): StreamSubscribed;
  /** Asks a wall screen to reload, on whichever node its sockets are; how many were reached. */
  reloadDisplay(displayId: string): Promise<number>;
  /** Cuts off the screens using a display token that was just revoked, on every node; how many. */
  revokeDisplayToken(tokenId: number): Promise<number>;
  /** Screens with a socket open now on this node. */
  connectedDisplays(): Set<string>;
  /** Ends open sockets, on every node, that a session's end or a playlist's change no longer allows; each answers how many. */
  sockets: { [Method in keyof SocketSessions]: (...args: Parameters<SocketSessions[Method]>) => Promise<number> };
  /**
   * Hands the live stream samples that were just stored (durably, lib/db/samples.ts): their
   * series show in a revision of the newest tick within milliseconds, on every node. Called by every ingest path after the commit.
   */
  acceptMeasured(samples: readonly StoredSample[]): void;
  /**
   * The receipt time (real ms) to store with samples about to be stored; close the receipt once they
   * are accepted or have failed (the next tick waits briefly for it): see TickSource.openReceipt.
   */
  openReceipt(): Receipt;
  /** The node holding the singletons' lease (server/cluster/lease.ts), or null while none does. */
  leaseHolder(): Promise<string | null>;
  /** Whether this node holds it: rollups, alerts, back-fill and retention run here. */
  isLeader(): boolean;
  /** This node among the cluster's, for /api/health (the lease holder is asked apart: leaseHolder). */
  cluster(): Omit<ClusterHealth, "leaseHolder">;
}

// Route handlers are loaded by Next in the same process as the custom server but from their
// own bundle, so the running stream is shared through globalThis rather than a module variable.
const registry = globalThis as typeof globalThis & { __pulseRealtime?: RealtimeHandle };

export function registerRealtime(handle: RealtimeHandle | undefined): void {
  registry.__pulseRealtime = handle;
}

export function getRealtime(): RealtimeHandle | undefined {
  return registry.__pulseRealtime;
}

/**
 * For the route handlers that cannot answer without the live stream (a snapshot, an incident,
 * a display reload): the running stream, or a 503 "unavailable" naming what is missing. Handlers
 * for which the stream is optional keep using getRealtime().
 */
export function requireRealtime(): RealtimeHandle {
  const realtime = getRealtime();
  if (!realtime) throw new HttpError("unavailable", "the live stream is not running in this process");
  return realtime;
}
