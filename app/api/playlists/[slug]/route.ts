import { audit, requireAccount } from "@/lib/auth/actor";
import { playlistSlugSchema, playlistUpdateSchema } from "@/lib/contracts/playlists";
import { deletePlaylist, findPlaylist, updatePlaylist } from "@/lib/db/playlists";
import { HttpError, handle, parseJsonBody, parseParam, respond, respondNoContent } from "@/lib/http/respond";
import { getRealtime } from "@/server/realtime/registry";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ slug: string }> };
const slugOf = async (context: Context) => parseParam("playlist", (await context.params).slug, playlistSlugSchema);
const notFound = (slug: string) => new HttpError("not_found", `no playlist '${slug}'`);

export const GET = handle<Context>(async (_request, context) => {
  const slug = await slugOf(context);
  const playlist = await findPlaylist(slug);
  if (!playlist) throw notFound(slug);
  return respond({ playlist });
});

/**
 * Replaces the name and the whole ordered list of views. Screens of this playlist watching a view
 * that is gone lose that subscription at once.
 */
export const PUT = handle<Context>(async (request, context) => {
  const actor = await requireAccount(request, "operator");
  const slug = await slugOf(context);
  const update = await parseJsonBody(request, playlistUpdateSchema);
  const playlist = await updatePlaylist(slug, update);
  if (!playlist) throw notFound(slug);
  const ended = (await getRealtime()?.sockets.recheckPlaylist(playlist)) ?? 0;
  await audit(actor, "playlist.update", slug, { name: playlist.name, views: playlist.views.length, endedSubscriptions: ended });
  return respond({ playlist });
});

/** Deletes a playlist with its display tokens; its screens' sockets are closed at once. */
export const DELETE = handle<Context>(async (request, context) => {
  const actor = await requireAccount(request, "operator");
  const slug = await slugOf(context);
  if (!(await deletePlaylist(slug))) throw notFound(slug);
  const disconnected = (await getRealtime()?.sockets.closePlaylist(slug)) ?? 0;
  await audit(actor, "playlist.delete", slug, { disconnected });
  return respondNoContent();
});
