import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import { Dashboard } from "@/components/dashboard/dashboard";
import { prefetchView } from "@/server/prefetch";
import { getQueryClient } from "@/lib/queries/query-client";
import { parseDashboardView } from "@/lib/domain/dashboard-url";

// Reads the database and the live stream on every request; never prerendered at build time.
export const dynamic = "force-dynamic";

export default async function DashboardPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { view, notices } = parseDashboardView(await searchParams);
  const queryClient = getQueryClient();
  await prefetchView(queryClient, view);
  return (
    <div data-theme={view.theme} lang={view.lang === "zh" ? "zh-CN" : "en"} className="min-h-screen bg-canvas text-ink">
      <HydrationBoundary state={dehydrate(queryClient)}>
        <Dashboard notices={notices} />
      </HydrationBoundary>
    </div>
  );
}
