"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import type { SeriesFilter } from "@/lib/contracts/filters";
import type { HistoryProvenance } from "@/lib/contracts/history";
import { historyFrames, type Frame } from "@/lib/domain/aggregate";
import { WINDOW_MS, isLiveWindow } from "@/lib/contracts/view";
import { filterKey } from "@/lib/domain/series";
import { historyQueryOptions, type HistoryWindow } from "@/lib/queries/history";
import { liveQueryOptions } from "@/lib/queries/live";
import { throwWhenEmpty } from "@/lib/queries/query-client";
import { CHART_MAX_POINTS } from "@/components/charts/streaming-chart";
import { useView } from "@/components/providers/view-context";

/** The current view's filter and live window, read from the query cache the stream writes into. */
export function useViewLive() {
  const { view } = useView();
  const filter: SeriesFilter = useMemo(() => ({ operators: view.operators, sectors: view.sectors }), [view.operators, view.sectors]);
  const live = useQuery(liveQueryOptions(filter)).data;
  return { filter, live };
}

/**
 * History frames for the view's window: the last hour under a 1-hour live view, the day or week
 * for history views, none for 5 and 15 minutes (the live window covers those).
 */
export function useViewHistory(filter: SeriesFilter): {
  frames: Frame[];
  resolutionSeconds: number | null;
  window: HistoryWindow | null;
  /** Per series, where its history in the window comes from (null under a live window). */
  provenance: HistoryProvenance[] | null;
} {
  const { view } = useView();
  const window: HistoryWindow | null = view.window === "1h" || !isLiveWindow(view.window) ? (view.window as HistoryWindow) : null;
  const history = useQuery({ ...historyQueryOptions(filter, window ?? "1h"), enabled: window !== null, throwOnError: throwWhenEmpty }).data;
  const frames = useMemo(() => (history && window ? historyFrames(history) : []), [history, window]);
  const provenance = useMemo(() => (history && window ? history.series.map((series) => series.provenance) : null), [history, window]);
  return { frames, resolutionSeconds: window ? (history?.resolutionSeconds ?? null) : null, window, provenance };
}

/** The last hour of history, which the KPI tiles compare against. */
export function useHourHistory(filter: SeriesFilter): Frame[] {
  const history = useQuery({ ...historyQueryOptions(filter, "1h"), throwOnError: throwWhenEmpty }).data;
  return useMemo(() => (history ? historyFrames(history) : []), [history]);
}

/**
 * What every time-series chart of a view draws from: history frames, live ticks (null in a
 * history window), the key that says when all must be redrawn, the window, the theme. Also the
 * view's series and the resolution the history is drawn at, for the note under history views.
 */
export function useChartSource() {
  const { view } = useView();
  const { filter, live } = useViewLive();
  const history = useViewHistory(filter);
  const series = useMemo(() => live?.series ?? [], [live?.series]);
  const showLive = isLiveWindow(view.window);
  const windowMs = WINDOW_MS[view.window];
  const source = {
    history: history.frames,
    live: showLive ? (live?.ticks ?? []) : null,
    liveKey: `${filterKey(filter)}:${showLive ? "live" : "history"}:${series.length}`,
    windowMs,
    theme: view.theme,
  };
  // A history view is drawn at the coarser of the data's resolution and the chart's own bucketing.
  const drawnResolutionMs =
    !showLive && history.resolutionSeconds !== null ? Math.max(history.resolutionSeconds * 1000, windowMs / CHART_MAX_POINTS) : null;
  return { filter, live, series, source, drawnResolutionMs, historyProvenance: showLive ? null : history.provenance };
}
