"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useMemo, useSyncExternalStore } from "react";
import type { SeriesRef } from "@/lib/contracts/filters";
import type { HistoryResponse } from "@/lib/contracts/history";
import type { SeriesFilter } from "@/lib/contracts/filters";
import { historyFrames, type Frame } from "@/lib/domain/aggregate";
import { WINDOW_MS, isLiveWindow } from "@/lib/contracts/view";
import { filterKey } from "@/lib/domain/series";
import { historyQueryOptions, type HistoryWindow } from "@/lib/queries/history";
import { liveQueryKey, liveQueryOptions, type LiveWindow } from "@/lib/queries/live";
import { throwWhenEmpty } from "@/lib/queries/query-client";
import { CHART_MAX_POINTS } from "@/components/charts/chart-protocol";
import { useView } from "@/components/providers/view-context";

/** The current view's filter. */
export function useViewFilter(): SeriesFilter {
  const { view } = useView();
  return useMemo(() => ({ operators: view.operators, sectors: view.sectors }), [view.operators, view.sectors]);
}

/** The current view's filter and live window, read from the query cache the stream writes into (re-renders on every tick). */
export function useViewLive() {
  const filter = useViewFilter();
  const live = useQuery(liveQueryOptions(filter)).data;
  return { filter, live };
}

const NO_SERIES: SeriesRef[] = [];

/**
 * The live window's series only: a tick keeps the same series array, so a component reading this
 * does not re-render for a tick (the chart panels, whose ticks go straight to the chart hub).
 * Someone else on the page (TickPaintProbe) holds the live query itself.
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
export function useViewHistory(filter: SeriesFilter): { history: HistoryResponse | null; resolutionSeconds: number | null; window: HistoryWindow | null } {
  const { view } = useView();
  const window: HistoryWindow | null = view.window === "1h" || !isLiveWindow(view.window) ? (view.window as HistoryWindow) : null;
  const history = useQuery({ ...historyQueryOptions(filter, window ?? "1h"), enabled: window !== null, throwOnError: throwWhenEmpty }).data;
  // Handed to the chart hub as fetched: turning it into frames is the hub's work, off this thread.
  return { history: window ? (history ?? null) : null, resolutionSeconds: window ? (history?.resolutionSeconds ?? null) : null, window };
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
  const filter = useViewFilter();
  const series = useLiveSeries(filter);
  const history = useViewHistory(filter);
  const showLive = isLiveWindow(view.window);
  const windowMs = WINDOW_MS[view.window];
  const source = {
    series,
    history: history.history,
    stream: showLive ? filterKey(filter) : null,
    timeWindow: view.window,
    windowMs,
    theme: view.theme,
    lang: view.lang,
  };
  // A history view is drawn at the coarser of the data's resolution and the chart's own bucketing.
  const drawnResolutionMs =
    !showLive && history.resolutionSeconds !== null ? Math.max(history.resolutionSeconds * 1000, windowMs / CHART_MAX_POINTS) : null;
  return { filter, series, source, drawnResolutionMs };
}
