import { audit, requireAccount } from "@/lib/auth/actor";
import { databaseIdSchema } from "@/lib/contracts/api";
import { revokeDisplayToken } from "@/lib/db/display-tokens";
import { HttpError, handle, parseParam, respond } from "@/lib/http/respond";
import { getRealtime } from "@/server/realtime/registry";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

/** Revokes a display token: refused from now on, and its open sockets are closed at once. */
export const DELETE = handle<Context>(async (request, context) => {
  const actor = await requireAccount(request, "operator");
  const id = parseParam("display token", (await context.params).id, databaseIdSchema);
  const token = await revokeDisplayToken(id);
  if (!token) throw new HttpError("not_found", `no display token ${id}`);
  const disconnected = (await getRealtime()?.revokeDisplayToken(id)) ?? 0;
  await audit(actor, "display-token.revoke", token.playlist, { tokenId: id, label: token.label, disconnected });
  return respond({ token, disconnected });
});
