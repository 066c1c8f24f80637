import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { AdminShell } from "@/components/admin/admin-shell";
import { PlaylistsEditor } from "@/components/admin/playlists-editor";
import { listPlaylists } from "@/lib/db/playlists";
import { parseDashboardView } from "@/lib/domain/dashboard-url";
import { MESSAGES } from "@/lib/i18n/messages";
import { playlistsQueryOptions } from "@/lib/queries/playlists";
import { getQueryClient } from "@/lib/queries/query-client";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "M2M Pulse · playlists" };

/** Wall-screen playlists: create and edit the rotations, and the display tokens that open them. */
export default async function PlaylistsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // The same ?lang= as the dashboard; anything else in the address is ignored here.
  const { lang } = parseDashboardView(await searchParams).view;
  const queryClient = getQueryClient();
  await queryClient.prefetchQuery({ ...playlistsQueryOptions(), queryFn: async () => ({ playlists: await listPlaylists() }) });
  return (
    <AdminShell title={MESSAGES[lang].admin.playlists.title} lang={lang} path="/playlists">
      <HydrationBoundary state={dehydrate(queryClient)}>
        <PlaylistsEditor lang={lang} />
      </HydrationBoundary>
    </AdminShell>
  );
}
