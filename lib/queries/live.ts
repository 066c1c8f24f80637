import { queryOptions } from "@tanstack/react-query";
import type { SeriesFilter } from "@/lib/contracts/filters";
import { MAX_SNAPSHOT_TICKS, streamSubscribedSchema, withProvenance, type StreamSubscribed, type Tick } from "@/lib/contracts/realtime";
import { canonicalFilter } from "@/lib/domain/series";
import { filterSearchParams } from "@/lib/contracts/filters";
import { fetchJson } from "./fetch-json";

/** What the browser holds of the live stream for one filter: the newest ticks, oldest first, each with its `p` in full. */
export type LiveWindow = StreamSubscribed;

/** Ticks kept per filter: 15 minutes at the default one-second tick. Memory stays flat. */
export const LIVE_CAPACITY = MAX_SNAPSHOT_TICKS;

export function liveQueryKey(filter: SeriesFilter) {
  const canonical = canonicalFilter(filter);
  return ["live", canonical.operators, canonical.sectors] as const;
}

/**
 * The recent live window. The first load comes over HTTP (prefetched on the server for the
 * first paint); from then on the socket stream writes into this same cache entry.
 */
export function liveQueryOptions(filter: SeriesFilter) {
  return queryOptions({
    queryKey: liveQueryKey(filter),
    queryFn: async ({ signal }) => {
      const window = await fetchJson(`/api/live?${filterSearchParams(canonicalFilter(filter))}&ticks=${LIVE_CAPACITY}`, streamSubscribedSchema, signal);
      return { ...window, ticks: withProvenance(window.ticks) };
    },
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    // The HTTP answer and the socket both write here, in either order: merge, never lose ticks.
    structuralSharing: (previous: unknown, next: unknown) => mergeLiveWindows(previous as LiveWindow | undefined, next as LiveWindow),
  });
}

/**
 * Combines what the cache holds with a newer window for the same filter: every tick of both,
 * once each, in order, the newest LIVE_CAPACITY kept.
 */
export function mergeLiveWindows(previous: LiveWindow | undefined, next: LiveWindow): LiveWindow {
  if (!previous || previous.series.length !== next.series.length || previous.ticks.length === 0) return next;
  const [prevFirst, prevLast] = [previous.ticks[0]!.s, previous.ticks.at(-1)!.s];
  const [nextFirst, nextLast] = [next.ticks[0]?.s ?? Infinity, next.ticks.at(-1)?.s ?? -Infinity];
  if (nextFirst <= prevFirst && nextLast >= prevLast) return next; // next already holds previous
  // A tick appended to a full window (every tick, once the window is full): next is whole and newer,
  // so nothing of previous could stay. Not merged through a map and a sort on every tick.
  if (next.ticks.length >= LIVE_CAPACITY && nextFirst >= prevFirst && nextLast >= prevLast && nextLast - nextFirst + 1 === next.ticks.length) return next;
  if (nextFirst > prevLast) return { ...next, ticks: previous.ticks.concat(next.ticks).slice(-LIVE_CAPACITY) };
  const bySeq = new Map(previous.ticks.map((tick) => [tick.s, tick]));
  for (const tick of next.ticks) bySeq.set(tick.s, tick);
  const ticks = [...bySeq.values()].sort((a, b) => a.s - b.s).slice(-LIVE_CAPACITY);
  return { ...next, ticks };
}

/**
 * Appends ticks newer than what the window holds, puts a tick with the newest one's `s` (a
 * revision) in its place, and keeps only the newest LIVE_CAPACITY.
 */
export function appendTicks(window: LiveWindow, ticks: readonly Tick[]): LiveWindow {
  let combined: Tick[] | undefined;
  for (const tick of ticks) {
    const held = combined ?? window.ticks;
    const last = held.at(-1)?.s ?? -Infinity;
    if (tick.s < last) continue;
    combined ??= window.ticks.slice();
    if (tick.s === last) combined[combined.length - 1] = tick;
    else combined.push(tick);
  }
  if (!combined) return window;
  return { ...window, mode: "resume", ticks: combined.length > LIVE_CAPACITY ? combined.slice(-LIVE_CAPACITY) : combined };
}
