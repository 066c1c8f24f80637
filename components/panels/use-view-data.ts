"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useContext, useMemo, useSyncExternalStore } from "react";
import type { SeriesRef } from "@/lib/contracts/filters";
import type { HistoryResponse } from "@/lib/contracts/history";
import type { SeriesFilter } from "@/lib/contracts/filters";
import type { HistoryProvenance } from "@/lib/contracts/history";
import { historyFrames, type Frame } from "@/lib/domain/aggregate";
import { WINDOW_MS, ZOOM_MIN_MS, isLiveWindow, type ZoomRange } from "@/lib/contracts/view";
import { filterKey } from "@/lib/domain/series";
import { historyQueryOptions, historyRangeQueryOptions, type HistoryWindow } from "@/lib/queries/history";
import { liveQueryKey, type LiveWindow } from "@/lib/queries/live";
import { throwWhenEmpty } from "@/lib/queries/query-client";
import { CHART_MAX_POINTS } from "@/components/charts/chart-protocol";
import { useView } from "@/components/providers/view-context";
import { WallContext } from "@/components/providers/wall-context";

/** The current view's filter. */
export function useViewFilter(): SeriesFilter {
  const { view } = useView();
  return useMemo(() => ({ operators: view.operators, sectors: view.sectors }), [view.operators, view.sectors]);
}

const NO_SERIES: SeriesRef[] = [];

/**
 * The live window's series only: a tick keeps the same series array, so a component reading this
 * does not re-render for a tick (the chart panels, whose ticks go straight to the chart hub).
 * LiveProvider holds the live query itself.
 */
export function useLiveSeries(filter: SeriesFilter): readonly SeriesRef[] {
  const queryClient = useQueryClient();
  const key = useMemo(() => liveQueryKey(filter), [filter]);
  const subscribe = useCallback((onChange: () => void) => queryClient.getQueryCache().subscribe(onChange), [queryClient]);
  const read = useCallback(() => queryClient.getQueryData<LiveWindow>(key)?.series ?? NO_SERIES, [queryClient, key]);
  return useSyncExternalStore(subscribe, read, read);
}

/**
 * History frames for the view's window: the last hour under a 1-hour live view, the day or week
 * for history views, none for 5 and 15 minutes (the live window covers those).
 */
export function useViewHistory(filter: SeriesFilter): {
  history: HistoryResponse | null;
  resolutionSeconds: number | null;
  window: HistoryWindow | null;
  /** Per series, where its history in the window comes from (null under a live window). */
  provenance: HistoryProvenance[] | null;
} {
  const { view } = useView();
  const range = view.range;
  const window: HistoryWindow | null = range ? null : view.window === "1h" || !isLiveWindow(view.window) ? (view.window as HistoryWindow) : null;
  const windowHistory = useQuery({ ...historyQueryOptions(filter, window ?? "1h"), enabled: window !== null, throwOnError: throwWhenEmpty }).data;
  // A zoomed range is drawn from the history of exactly that range (and the live ticks in it).
  const rangeHistory = useQuery({ ...historyRangeQueryOptions(filter, range ?? { from: 0, to: 1 }), enabled: !!range, throwOnError: throwWhenEmpty }).data;
  const history = range ? rangeHistory : window ? windowHistory : undefined;
  const provenance = useMemo(() => (history ? history.series.map((series) => series.provenance) : null), [history]);
  // Handed to the chart hub as fetched: turning it into frames is the hub's work, off this thread.
  return { history: history ?? null, resolutionSeconds: history?.resolutionSeconds ?? null, window, provenance };
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
  const { view, setView } = useView();
  const wall = useContext(WallContext);
  // Dragging across a chart zooms every chart into that range (a new history entry: Back undoes
  // it). Too narrow a drag is widened around its middle to the narrowest range there is.
  const zoom = useCallback(
    ({ from, to }: ZoomRange) => {
      const middle = (from + to) / 2;
      const range = to - from >= ZOOM_MIN_MS ? { from, to } : { from: Math.round(middle - ZOOM_MIN_MS / 2), to: Math.round(middle + ZOOM_MIN_MS / 2) };
      setView({ range });
    },
    [setView],
  );
  const filter = useViewFilter();
  const series = useLiveSeries(filter);
  const history = useViewHistory(filter);
  const range = view.range ?? null;
  // Zoomed inside a live window, the ticks in the range are drawn too: the newest minutes are not in
  // the per-minute history yet.
  const showLive = isLiveWindow(view.window);
  const windowMs = range ? range.to - range.from : WINDOW_MS[view.window];
  const source = {
    series,
    history: history.history,
    stream: showLive ? filterKey(filter) : null,
    timeWindow: view.window,
    windowMs,
    theme: view.theme,
    lang: view.lang,
    range,
    onZoom: wall ? undefined : zoom,
  };
  // A history view is drawn at the coarser of the data's resolution and the chart's own bucketing.
  const drawnResolutionMs =
    (!showLive || range) && history.resolutionSeconds !== null ? Math.max(history.resolutionSeconds * 1000, windowMs / CHART_MAX_POINTS) : null;
  return { filter, series, source, drawnResolutionMs, historyProvenance: showLive && !range ? null : history.provenance };
}
