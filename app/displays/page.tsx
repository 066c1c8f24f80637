import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { AdminShell } from "@/components/admin/admin-shell";
import { DisplaysTable } from "@/components/admin/displays-table";
import { getEnv } from "@/lib/env";
import { prefetchDisplays } from "@/server/prefetch";
import { getQueryClient } from "@/lib/queries/query-client";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "M2M Pulse · displays" };

/** The fleet of wall screens: what each shows, its health, and a remote reload. */
export default async function DisplaysPage() {
  const queryClient = getQueryClient();
  await prefetchDisplays(queryClient);
  return (
    <AdminShell title="Displays" signOut={getEnv().PULSE_AUTH === "on"}>
      <HydrationBoundary state={dehydrate(queryClient)}>
        <DisplaysTable />
      </HydrationBoundary>
    </AdminShell>
  );
}
