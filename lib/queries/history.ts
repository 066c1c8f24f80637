import { queryOptions } from "@tanstack/react-query";
import type { SeriesFilter } from "@/lib/contracts/filters";
import { historyResponseSchema } from "@/lib/contracts/history";
import { WINDOW_MS, type TimeWindow, type ZoomRange } from "@/lib/contracts/view";
import { canonicalFilter } from "@/lib/domain/series";
import { filterSearchParams } from "@/lib/contracts/filters";
import { fetchJson } from "./fetch-json";

/** History windows: the last hour (for the live 1-hour view and the KPI's hourly change), a day, a week. */
export type HistoryWindow = Extract<TimeWindow, "1h" | "24h" | "7d">;

/** Points per series: a day is drawn at one-minute resolution; a week at the API's default. */
export const HISTORY_POINTS: Record<HistoryWindow, number> = { "1h": 60, "24h": 1440, "7d": 1000 };


export function historyQueryOptions(filter: SeriesFilter, window: HistoryWindow) {
  const canonical = canonicalFilter(filter);
  return queryOptions({
    queryKey: ["history", canonical.operators, canonical.sectors, window] as const,
    queryFn: ({ signal }) => {
      // "The last hour" by the server's clock, which is the simulator's when it runs sped up.
      const params = filterSearchParams(canonical);
      params.set("span", String(WINDOW_MS[window] / 1000));
      params.set("points", String(HISTORY_POINTS[window]));
      return fetchJson(`/api/history?${params}`, historyResponseSchema, signal);
    },
    // New minutes land in the rollups once a minute.
    staleTime: 60_000,
    refetchInterval: 60_000,
    // A refetch moves every series on by a minute, so nothing could be shared with the answer
    // before, and React Query's deep comparison would walk all 90,720 values of a day on the
    // page's thread every minute to find that out.
    structuralSharing: false,
  });
}

/** Points per series for a zoomed range: as many as a chart draws (it averages down to 300). */
export const ZOOM_POINTS = 300;

/** A zoomed range's history: fixed instants, so it does not go stale. */
export function historyRangeQueryOptions(filter: SeriesFilter, range: ZoomRange) {
  const canonical = canonicalFilter(filter);
  return queryOptions({
    queryKey: ["history", canonical.operators, canonical.sectors, "range", range.from, range.to] as const,
    queryFn: ({ signal }) => {
      const params = filterSearchParams(canonical);
      params.set("from", String(range.from));
      params.set("to", String(range.to));
      params.set("points", String(ZOOM_POINTS));
      return fetchJson(`/api/history?${params}`, historyResponseSchema, signal);
    },
    staleTime: Infinity,
  });
}
