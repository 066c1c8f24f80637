"use client";

import { useQuery } from "@tanstack/react-query";
import type { DashboardView } from "@/lib/contracts/view";
import { playlistQueryOptions } from "@/lib/queries/playlists";
import { WallScreen } from "./wall-screen";

/** A wall rotating through a stored playlist, following edits to it. */
export function PlaylistWall({ slug, baseView, buildId }: { slug: string; baseView: DashboardView; buildId: string }) {
  const playlist = useQuery(playlistQueryOptions(slug)).data?.playlist ?? null;
  if (!playlist) return null;
  return <WallScreen baseView={baseView} playlist={playlist} buildId={buildId} />;
}
