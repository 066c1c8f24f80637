import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { WallScreen } from "@/components/wall/wall-screen";
import { parseDashboardView } from "@/lib/domain/dashboard-url";
import { prefetchView } from "@/server/prefetch";
import { getQueryClient } from "@/lib/queries/query-client";
import { getRealtime } from "@/server/realtime/registry";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "M2M Pulse · wall" };

/** One view on a wall screen, from the same URL parameters as the dashboard: /wall?operator=china-mobile&lang=zh. */
export default async function WallPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { view } = parseDashboardView(await searchParams);
  const queryClient = getQueryClient();
  await prefetchView(queryClient, view);
  return (
    <div data-wall data-theme={view.theme} lang={view.lang === "zh" ? "zh-CN" : "en"} className="wall-root">
      <HydrationBoundary state={dehydrate(queryClient)}>
        <WallScreen baseView={view} playlist={null} buildId={getRealtime()?.info.buildId ?? "unknown"} />
      </HydrationBoundary>
    </div>
  );
}
