import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { AdminShell } from "@/components/admin/admin-shell";
import { DisplaysTable } from "@/components/admin/displays-table";
import { parseDashboardView } from "@/lib/domain/dashboard-url";
import { MESSAGES } from "@/lib/i18n/messages";
import { prefetchDisplays } from "@/server/prefetch";
import { getQueryClient } from "@/lib/queries/query-client";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "M2M Pulse · displays" };

/** The fleet of wall screens: what each shows, its health, and a remote reload. */
export default async function DisplaysPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // The same ?lang= as the dashboard; anything else in the address is ignored here.
  const { lang } = parseDashboardView(await searchParams).view;
  const queryClient = getQueryClient();
  await prefetchDisplays(queryClient);
  return (
    <AdminShell title={MESSAGES[lang].admin.displays.title} lang={lang} path="/displays">
      <HydrationBoundary state={dehydrate(queryClient)}>
        <DisplaysTable lang={lang} />
      </HydrationBoundary>
    </AdminShell>
  );
}
