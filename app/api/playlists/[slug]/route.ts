import { playlistSlugSchema, playlistUpdateSchema } from "@/lib/contracts/playlists";
import { deletePlaylist, findPlaylist, updatePlaylist } from "@/lib/db/playlists";
import { HttpError, handle, parseJsonBody, parseParam, respond } from "@/lib/http/respond";

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

/** Replaces the name and the whole ordered list of views. */
export const PUT = handle<Context>(async (request, context) => {
  const slug = await slugOf(context);
  const update = await parseJsonBody(request, playlistUpdateSchema);
  const playlist = await updatePlaylist(slug, update);
  if (!playlist) throw notFound(slug);
  return respond({ playlist });
});

export const DELETE = handle<Context>(async (_request, context) => {
  const slug = await slugOf(context);
  if (!(await deletePlaylist(slug))) throw notFound(slug);
  return new Response(null, { status: 204 });
});
