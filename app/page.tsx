import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import { ReportBaselinesPanel } from "@/components/panels/report-baselines-panel";
import { fetchBaselines } from "@/lib/db/baselines";
import { ALL_SERIES, baselinesQueryOptions } from "@/lib/queries/baselines";
import { getQueryClient } from "@/lib/queries/query-client";

// Reads the database on every request; never prerendered at build time.
export const dynamic = "force-dynamic";

export default async function HomePage() {
  const queryClient = getQueryClient();
  await queryClient.prefetchQuery({
    ...baselinesQueryOptions(ALL_SERIES),
    queryFn: async () => ({ baselines: await fetchBaselines(ALL_SERIES) }),
  });

  return (
    <main className="mx-auto max-w-7xl space-y-6 p-6">
      <header>
        <h1 className="text-2xl font-bold">M2M Pulse</h1>
        <p className="text-ink-muted">
          Machine-to-machine connections of China Mobile, China Unicom and China Telecom, against the GSMA report
          &ldquo;How China is Set for Global M2M Leadership&rdquo;.
        </p>
      </header>
      <HydrationBoundary state={dehydrate(queryClient)}>
        <ReportBaselinesPanel />
      </HydrationBoundary>
    </main>
  );
}
