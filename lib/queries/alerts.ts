import { queryOptions } from "@tanstack/react-query";
import { alertsResponseSchema, type Alert, type AlertsResponse } from "@/lib/contracts/alerts";
import type { SeriesFilter } from "@/lib/contracts/filters";
import { canonicalFilter } from "@/lib/domain/series";
import { filterSearchParams } from "@/lib/contracts/filters";
import { fetchJson } from "./fetch-json";

/** Alerts shown per view; older ones drop off the feed (they stay in the database). */
export const ALERTS_SHOWN = 50;

export function alertsQueryOptions(filter: SeriesFilter) {
  const canonical = canonicalFilter(filter);
  return queryOptions({
    queryKey: ["alerts", canonical.operators, canonical.sectors] as const,
    queryFn: ({ signal }) => fetchJson(`/api/alerts?${filterSearchParams(canonical)}&limit=${ALERTS_SHOWN}`, alertsResponseSchema, signal),
    // Kept current by the socket's alert events; refetched after a reconnect.
    staleTime: Infinity,
  });
}

/** Puts a new or changed alert into a feed, newest first, at most ALERTS_SHOWN long. */
export function upsertAlert(feed: AlertsResponse, alert: Alert): AlertsResponse {
  const others = feed.alerts.filter((existing) => existing.id !== alert.id);
  const alerts = [alert, ...others].sort((a, b) => b.raisedAt.localeCompare(a.raisedAt) || b.id - a.id).slice(0, ALERTS_SHOWN);
  return { alerts };
}
