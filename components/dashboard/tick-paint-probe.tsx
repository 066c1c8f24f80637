"use client";

import { useEffect, useRef } from "react";
import { filterKey } from "@/lib/domain/series";
import { afterPaint, benchHooks } from "@/lib/realtime/bench-probe";
import { chartClient } from "@/components/charts/chart-client";
import { useLiveWindowWatcher, useLiveWriter } from "@/components/providers/live-context";
import { useViewFilter } from "@/components/panels/use-view-data";

/**
 * Placed after every panel. It hands the view's live ticks to the chart hub as they come (the
 * charts draw them in the chart worker; their panels do not re-render for a tick), and reports to
 * the browser benchmark when present: a tick counts as painted once both the page (tiles, matrix,
 * written in place when the page shows a window: on a wall about once a second) and the chart
 * worker have shown it. Nothing here renders per tick.
 */
export function TickPaintProbe() {
  const stream = filterKey(useViewFilter());
  useLiveWindowWatcher((window) => chartClient().feed(stream, window.ticks), [stream]);

  // seq → the tick's instant and when the page and the charts painted it.
  const pending = useRef<Pending>(new Map());
  // The charts' newest paint: on a wall they may show a tick before the page's cells do.
  const chartsPainted = useRef<{ seq: number; at: number } | null>(null);
  useEffect(() => {
    const bench = benchHooks();
    if (!bench?.tickPainted) return;
    chartsPainted.current = null;
    return chartClient().onPainted((painted) => {
      if (painted.stream !== stream) return;
      chartsPainted.current = { seq: painted.seq, at: painted.at };
      for (const [seq, entry] of pending.current) if (seq <= painted.seq && entry.chartsAt === undefined) entry.chartsAt = painted.at;
      settle(pending.current);
    });
  }, [stream]);

  useLiveWriter((window) => {
    const bench = benchHooks();
    const latest = window.ticks.at(-1);
    if (!bench?.tickPainted || !latest) return;
    const charts = chartsPainted.current;
    const entry = pending.current.get(latest.s);
    // A revision of the tick (same s, new values) starts its entry again: the charts must paint it anew.
    if (!entry || entry.values !== latest.v) {
      pending.current.set(latest.s, { t: latest.t, values: latest.v, chartsAt: !entry && charts && charts.seq >= latest.s ? charts.at : undefined });
    }
    afterPaint(() => {
      // Every tick up to this one is on the page now (a wall may show several ticks at once).
      const at = Date.now();
      for (const [seq, entry] of pending.current) if (seq <= latest.s && entry.pageAt === undefined) entry.pageAt = at;
      settle(pending.current);
    });
  });

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
