"use client";

import { createContext, useContext, useSyncExternalStore, type ReactNode } from "react";
import type { SeriesFilter } from "@/lib/contracts/filters";
import { useLiveStream, type StreamState } from "@/lib/realtime/use-live-stream";

export interface LiveState extends StreamState {
  /** No tick for more than two tick intervals: the values on screen are the last good ones. */
  stale: boolean;
  /** The browser clock, refreshed every second, for "updated 4 s ago". */
  nowMs: number;
}

const LiveContext = createContext<LiveState | null>(null);
// Panels only need to know whether they are stale; this context changes only when that flips, so
// the one-second clock and each tick's timestamp do not re-render (and redraw) every chart.
const StaleContext = createContext(false);

const DEFAULT_TICK_MS = 1000;

// One shared one-second clock; 0 during server rendering, so nothing time-dependent mismatches on hydration.
let clockNow = 0;
function subscribeClock(onChange: () => void): () => void {
  clockNow = Date.now();
  const timer = setInterval(() => {
    clockNow = Date.now();
    onChange();
  }, 1000);
  return () => clearInterval(timer);
}
const useClock = () => useSyncExternalStore(subscribeClock, () => clockNow, () => 0);

/** Streams `filter` for everything below and says how fresh the data is. */
export function LiveProvider({ filter, children }: { filter: SeriesFilter; children: ReactNode }) {
  const stream = useLiveStream(filter);
  const nowMs = useClock();
  const tickMs = stream.info?.tickMs ?? DEFAULT_TICK_MS;
  const stale = stream.status !== "live" || (stream.lastTickAt > 0 && nowMs - stream.lastTickAt > 2.5 * Math.max(tickMs, 400));
  const isStale = nowMs > 0 && stale;
  return (
    <LiveContext.Provider value={{ ...stream, stale: isStale, nowMs }}>
      <StaleContext.Provider value={isStale}>{children}</StaleContext.Provider>
    </LiveContext.Provider>
  );
}

/** Whether the data on screen is stale (see LiveState.stale), for panels. */
export function useStale(): boolean {
  return useContext(StaleContext);
}

export function useLive(): LiveState {
  const value = useContext(LiveContext);
  if (!value) throw new Error("useLive outside LiveProvider");
  return value;
}
