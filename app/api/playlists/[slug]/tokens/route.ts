import { audit, requireAccount } from "@/lib/auth/actor";
import { createDisplayTokenSchema, playlistSlugSchema } from "@/lib/contracts/playlists";
import { createDisplayToken, listDisplayTokens } from "@/lib/db/display-tokens";
import { findPlaylist } from "@/lib/db/playlists";
import { HttpError, handle, parseJsonBody, parseParam, respond } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ slug: string }> };
const slugOf = async (context: Context) => parseParam("playlist", (await context.params).slug, playlistSlugSchema);

export const GET = handle<Context>(async (_request, context) => {
  const slug = await slugOf(context);
  if (!(await findPlaylist(slug))) throw new HttpError("not_found", `no playlist '${slug}'`);
  return respond({ tokens: await listDisplayTokens(slug) });
});

/** A new display token; the answer is the only time its secret is shown. */
export const POST = handle<Context>(async (request, context) => {
  const actor = await requireAccount(request, "operator");
  const slug = await slugOf(context);
  const { label } = await parseJsonBody(request, createDisplayTokenSchema);
  const created = await createDisplayToken(slug, label);
  if (!created) throw new HttpError("not_found", `no playlist '${slug}'`);
  await audit(actor, "display-token.create", slug, { tokenId: created.token.id, label });
  return respond({ ...created, url: `/wall/${slug}?token=${created.secret}` }, { status: 201 });
});
