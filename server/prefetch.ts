import "server-only";
import type { QueryClient } from "@tanstack/react-query";
import { fetchAlerts } from "@/lib/db/alerts";
import { fetchBaselines } from "@/lib/db/baselines";
import { listDisplays } from "@/lib/db/displays";
import { fetchHistory } from "@/lib/db/rollups";
import { isLiveWindow, WINDOW_MS, type DashboardView } from "@/lib/contracts/view";
import { ALERTS_SHOWN, alertsQueryOptions } from "@/lib/queries/alerts";
import { ALL_SERIES, baselinesQueryOptions } from "@/lib/queries/baselines";
import { HISTORY_POINTS, historyQueryOptions, type HistoryWindow } from "@/lib/queries/history";
import { liveQueryOptions } from "@/lib/queries/live";
import { displaysQueryOptions } from "@/lib/queries/playlists";
import { getRealtime } from "./realtime/registry";

const FIRST_PAINT_TICKS = 65;

/**
 * Fills the query cache on the server with everything a view shows, from the same query
 * functions the API uses, so the first paint has real numbers and not spinners.
 */
export async function prefetchView(queryClient: QueryClient, view: DashboardView): Promise<void> {
  const filter = { operators: view.operators, sectors: view.sectors };
  const realtime = getRealtime();
  const now = realtime?.currentInstant() ?? Date.now();
  const history = (window: HistoryWindow) =>
    queryClient.prefetchQuery({
      ...historyQueryOptions(filter, window),
      queryFn: () => fetchHistory({ fromMs: now - WINDOW_MS[window], toMs: now, filter, maxPoints: HISTORY_POINTS[window] }),
    });

  await Promise.all([
    queryClient.prefetchQuery({ ...baselinesQueryOptions(ALL_SERIES), queryFn: async () => ({ baselines: await fetchBaselines(ALL_SERIES) }) }),
    queryClient.prefetchQuery({ ...alertsQueryOptions(filter), queryFn: async () => ({ alerts: await fetchAlerts({ filter, limit: ALERTS_SHOWN }) }) }),
    history("1h"),
    isLiveWindow(view.window) ? undefined : history(view.window as HistoryWindow),
    // A minute and a bit is enough for the first paint (values and their change over a minute);
    // the socket's snapshot then fills the rest of the window without a second page weight.
    realtime ? queryClient.prefetchQuery({ ...liveQueryOptions(filter), queryFn: async () => realtime.snapshot(filter, FIRST_PAINT_TICKS) }) : undefined,
  ]);
}

/** The fleet view's first paint. */
export async function prefetchDisplays(queryClient: QueryClient): Promise<void> {
  const realtime = getRealtime();
  const buildId = realtime?.info.buildId ?? "unknown";
  await queryClient.prefetchQuery({
    ...displaysQueryOptions(),
    queryFn: async () => ({ displays: await listDisplays({ nowMs: Date.now(), buildId, connected: realtime?.connectedDisplays() ?? new Set() }), buildId }),
  });
}
