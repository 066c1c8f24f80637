"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import type { SeriesFilter } from "@/lib/contracts/filters";
import { historyFrames, type Frame } from "@/lib/domain/aggregate";
import { isLiveWindow } from "@/lib/domain/dashboard-url";
import { historyQueryOptions, type HistoryWindow } from "@/lib/queries/history";
import { liveQueryOptions } from "@/lib/queries/live";
import { useView } from "@/components/dashboard/view-context";

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
export function useViewHistory(filter: SeriesFilter): { frames: Frame[]; resolutionSeconds: number | null; window: HistoryWindow | null } {
  const { view } = useView();
  const window: HistoryWindow | null = view.window === "1h" || !isLiveWindow(view.window) ? (view.window as HistoryWindow) : null;
  const history = useQuery({ ...historyQueryOptions(filter, window ?? "1h"), enabled: window !== null }).data;
  const frames = useMemo(() => (history && window ? historyFrames(history) : []), [history, window]);
  return { frames, resolutionSeconds: window ? (history?.resolutionSeconds ?? null) : null, window };
}

/** The last hour of history, which the KPI tiles compare against. */
export function useHourHistory(filter: SeriesFilter): Frame[] {
  const history = useQuery(historyQueryOptions(filter, "1h")).data;
  return useMemo(() => (history ? historyFrames(history) : []), [history]);
}
