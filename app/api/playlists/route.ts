import { playlistInputSchema } from "@/lib/contracts/playlists";
import { PlaylistExistsError, createPlaylist, listPlaylists } from "@/lib/db/playlists";
import { HttpError, handle, parseJsonBody, parseQuery, respond } from "@/lib/http/respond";
import { z } from "zod";

export const dynamic = "force-dynamic";

export const GET = handle(async (request) => {
  parseQuery(request, z.object({}));
  return respond({ playlists: await listPlaylists() });
});

export const POST = handle(async (request) => {
  const input = await parseJsonBody(request, playlistInputSchema);
  try {
    return respond({ playlist: await createPlaylist(input) }, { status: 201 });
  } catch (error) {
    if (error instanceof PlaylistExistsError) throw new HttpError("conflict", error.message);
    throw error;
  }
});
