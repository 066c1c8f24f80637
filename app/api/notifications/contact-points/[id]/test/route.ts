import { audit, requireAccount } from "@/lib/auth/actor";
import { databaseIdSchema } from "@/lib/contracts/api";
import { enqueueTestNotification } from "@/lib/db/notifications";
import { HttpError, handle, parseParam, respond } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

/**
 * "Send test": queues a sample alert for this contact point. 202: the dispatcher sends it within
 * a second or so; GET /api/notifications/deliveries shows whether it arrived.
 */
export const POST = handle<Context>(async (request, context) => {
  const actor = await requireAccount(request, "operator");
  const id = parseParam("contact point", (await context.params).id, databaseIdSchema);
  const delivery = await enqueueTestNotification(id);
  if (!delivery) throw new HttpError("not_found", `no contact point ${id}`);
  await audit(actor, "contact-point.test", `${id}:${delivery.contactPointName}`, { notification: delivery.id });
  return respond({ delivery }, { status: 202 });
});
