import { parseSlugList, type SeriesFilter } from "@/lib/contracts/filters";
import { OPERATOR_SLUGS, SECTOR_SLUGS } from "@/lib/contracts/catalog";
import { findPlaylist } from "@/lib/db/playlists";
import { filterKey } from "@/lib/domain/series";
import type { Playlist } from "@/lib/contracts/playlists";

/**
 * The one rule for what a display token may watch, over the socket and over HTTP alike: exactly
 * the filters of its playlist's views, read from the database each time so that an edit applies
 * at once. A reason when not.
 */
export function displayFilterRefusal(playlistSlug: string, playlist: Playlist | null, filter: SeriesFilter): string | null {
  const wanted = filterKey(filter);
  if (playlist?.views.some((view) => filterKey(view) === wanted)) return null;
  return `this display may show only the views of playlist '${playlistSlug}'`;
}

export async function authorizeDisplayFilter(playlistSlug: string, filter: SeriesFilter): Promise<string | null> {
  return displayFilterRefusal(playlistSlug, await findPlaylist(playlistSlug), filter);
}

/** The filter an HTTP data request asks for (`?operator=&sector=`); unknown slugs are left to the route's 400. */
export function filterOfQuery(params: URLSearchParams): SeriesFilter {
  return {
    operators: parseSlugList(params.getAll("operator").join(","), OPERATOR_SLUGS).slugs,
    sectors: parseSlugList(params.getAll("sector").join(","), SECTOR_SLUGS).slugs,
  };
}
