"use client";

import { useEffect, useRef } from "react";
import { filterKey } from "@/lib/domain/series";
import { afterPaint, benchHooks } from "@/lib/realtime/bench-probe";
import { chartClient } from "@/components/charts/chart-client";
import { useViewLive } from "@/components/panels/use-view-data";

/**
 * Placed after every panel. It hands the view's live ticks to the chart hub (the charts draw
 * them in the chart worker; their panels do not re-render for a tick), and reports to the
 * browser benchmark when present: a tick counts as painted once both the page (tiles, matrix)
 * and the chart worker have shown it.
 */
export function TickPaintProbe() {
  const { filter, live } = useViewLive();
  const stream = filterKey(filter);
  const ticks = live?.ticks;
  useEffect(() => {
    if (ticks) chartClient().feed(stream, ticks);
  }, [stream, ticks]);

  // seq → the tick's instant and when the page and the charts painted it.
  const pending = useRef<Pending>(new Map());
  useEffect(() => {
    const bench = benchHooks();
    if (!bench?.tickPainted) return;
    return chartClient().onPainted((painted) => {
      if (painted.stream !== stream) return;
      for (const [seq, entry] of pending.current) if (seq <= painted.seq && entry.chartsAt === undefined) entry.chartsAt = painted.at;
      settle(pending.current);
    });
  }, [stream]);

  const latest = ticks?.at(-1);
  useEffect(() => {
    const bench = benchHooks();
    if (!bench?.tickPainted || !latest) return;
    // A revision of the tick (same s, a new object) starts its entry again.
    pending.current.set(latest.s, { t: latest.t, values: latest.v });
    afterPaint(() => {
      const entry = pending.current.get(latest.s);
      if (entry) entry.pageAt = Date.now();
      settle(pending.current);
    });
  }, [latest]);

  return null;
}

type Pending = Map<number, { t: number; values: readonly (number | null)[]; pageAt?: number; chartsAt?: number }>;

/** Reports every tick both sides have painted. */
function settle(pending: Pending) {
  const bench = benchHooks();
  for (const [seq, entry] of pending) {
    if (entry.pageAt === undefined || entry.chartsAt === undefined) continue;
    pending.delete(seq);
    bench?.tickPainted?.(seq, entry.t, Math.max(entry.pageAt, entry.chartsAt), entry.values);
  }
  // Bounded: ticks never confirmed (a filter change in between) do not pile up.
  if (pending.size > 100) pending.clear();
}
