import { queryOptions } from "@tanstack/react-query";
import { displayTokensResponseSchema, playlistResponseSchema, playlistsResponseSchema } from "@/lib/contracts/playlists";
import { displaysResponseSchema } from "@/lib/contracts/displays";
import { fetchJson } from "./fetch-json";

/** A playlist as a wall screen follows it: checked again every minute, so edits reach the screens. */
export function playlistQueryOptions(slug: string) {
  return queryOptions({
    queryKey: ["playlist", slug] as const,
    queryFn: ({ signal }) => fetchJson(`/api/playlists/${encodeURIComponent(slug)}`, playlistResponseSchema, signal),
    staleTime: 60_000,
    refetchInterval: 60_000,
  });
}

export function playlistsQueryOptions() {
  return queryOptions({
    queryKey: ["playlists"] as const,
    queryFn: ({ signal }) => fetchJson("/api/playlists", playlistsResponseSchema, signal),
  });
}

export function displayTokensQueryOptions(slug: string) {
  return queryOptions({
    queryKey: ["display-tokens", slug] as const,
    queryFn: ({ signal }) => fetchJson(`/api/playlists/${encodeURIComponent(slug)}/tokens`, displayTokensResponseSchema, signal),
  });
}

/** The fleet view refreshes on its own: screens report every 30 s. */
export function displaysQueryOptions() {
  return queryOptions({
    queryKey: ["displays"] as const,
    queryFn: ({ signal }) => fetchJson("/api/displays", displaysResponseSchema, signal),
    refetchInterval: 10_000,
  });
}
