import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { AdminShell } from "@/components/admin/admin-shell";
import { PlaylistsEditor } from "@/components/admin/playlists-editor";
import { listPlaylists } from "@/lib/db/playlists";
import { getEnv } from "@/lib/env";
import { playlistsQueryOptions } from "@/lib/queries/playlists";
import { getQueryClient } from "@/lib/queries/query-client";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "M2M Pulse · playlists" };

/** Wall-screen playlists: create and edit the rotations, and the display tokens that open them. */
export default async function PlaylistsPage() {
  const queryClient = getQueryClient();
  await queryClient.prefetchQuery({ ...playlistsQueryOptions(), queryFn: async () => ({ playlists: await listPlaylists() }) });
  return (
    <AdminShell title="Wall-screen playlists" signOut={getEnv().PULSE_AUTH === "on"}>
      <HydrationBoundary state={dehydrate(queryClient)}>
        <PlaylistsEditor />
      </HydrationBoundary>
    </AdminShell>
  );
}
