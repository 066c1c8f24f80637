import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PlaylistWall } from "@/components/wall/playlist-wall";
import { playlistSlugSchema } from "@/lib/contracts/playlists";
import { findPlaylist } from "@/lib/db/playlists";
import { parseDashboardView } from "@/lib/domain/dashboard-url";
import { prefetchView } from "@/server/prefetch";
import { playlistQueryOptions } from "@/lib/queries/playlists";
import { getQueryClient } from "@/lib/queries/query-client";
import { getRealtime } from "@/server/realtime/registry";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "M2M Pulse · wall" };

/** A wall screen rotating through playlist `slug`; `?lang=zh` and `?theme=light` apply to every view. */
export default async function PlaylistWallPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const slug = playlistSlugSchema.safeParse((await params).slug);
  const playlist = slug.success ? await findPlaylist(slug.data) : null;
  if (!playlist) notFound();
  const { view: baseView } = parseDashboardView(await searchParams);
  const first = playlist.views[0]!;
  const queryClient = getQueryClient();
  queryClient.setQueryData(playlistQueryOptions(playlist.slug).queryKey, { playlist });
  await prefetchView(queryClient, { ...baseView, operators: first.operators, sectors: first.sectors, window: first.window });
  return (
    <div data-wall data-theme={baseView.theme} lang={baseView.lang === "zh" ? "zh-CN" : "en"} className="wall-root">
      <HydrationBoundary state={dehydrate(queryClient)}>
        <PlaylistWall slug={playlist.slug} baseView={baseView} buildId={getRealtime()?.info.buildId ?? "unknown"} />
      </HydrationBoundary>
    </div>
  );
}
