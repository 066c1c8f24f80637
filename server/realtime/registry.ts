import type { Incident } from "@/lib/domain/simulator/incidents";
import type { ServerInfo, StreamFilter, StreamSubscribed } from "@/lib/contracts/realtime";

/** What route handlers may ask of the running live stream. */
export interface RealtimeHandle {
  info: ServerInfo;
  /** The simulated instant of the newest tick. */
  currentInstant(): number;
  /** Adds an incident on demand (demos, tests); it appears from the next tick. */
  trigger(incident: Incident): void;
  /** The recent window of a filter, as a subscription would answer it. */
  snapshot(filter: StreamFilter, ticks: number): StreamSubscribed;
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
