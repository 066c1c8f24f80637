import { audit, requireAccount } from "@/lib/auth/actor";
import { heartbeatSchema } from "@/lib/contracts/displays";
import { HttpError, handle, parseParam, respond } from "@/lib/http/respond";
import { requireRealtime } from "@/server/realtime/registry";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

/** Asks one wall screen to reload itself, now. */
export const POST = handle<Context>(async (request, context) => {
  const actor = await requireAccount(request, "operator");
  const id = parseParam("display", (await context.params).id, heartbeatSchema.shape.displayId);
  const realtime = requireRealtime();
  const reached = await realtime.reloadDisplay(id);
  if (reached === 0) throw new HttpError("not_found", `display '${id}' is not connected`);
  await audit(actor, "display.reload", id, { sockets: reached });
  return respond({ reloading: id, sockets: reached }, { status: 202 });
});
