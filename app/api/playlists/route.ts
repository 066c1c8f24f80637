import { audit, requireAccount } from "@/lib/auth/actor";
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
  const actor = await requireAccount(request, "operator");
  const input = await parseJsonBody(request, playlistInputSchema);
  try {
    const playlist = await createPlaylist(input);
    await audit(actor, "playlist.create", playlist.slug, { name: playlist.name, views: playlist.views.length });
    return respond({ playlist }, { status: 201 });
  } catch (error) {
    if (error instanceof PlaylistExistsError) throw new HttpError("conflict", error.message);
    throw error;
  }
});
