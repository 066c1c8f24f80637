import { audit, requireAccount } from "@/lib/auth/actor";
import { notificationIdSchema } from "@/lib/contracts/notifications";
import { retryDeadNotification } from "@/lib/db/notifications";
import { HttpError, handle, parseParam, respond } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

/** "Send again": a dead letter goes back to the queue with a fresh retry budget (409 if it is not dead). */
export const POST = handle<Context>(async (request, context) => {
  const actor = await requireAccount(request, "operator");
  const id = parseParam("notification", (await context.params).id, notificationIdSchema);
  const result = await retryDeadNotification(id);
  if (!result) throw new HttpError("not_found", `no notification ${id}`);
  if (!result.requeued) throw new HttpError("conflict", `notification ${id} is ${result.delivery.state}, not dead-lettered`);
  await audit(actor, "notification.retry", `${id}`, { contactPoint: result.delivery.contactPointId, event: result.delivery.event });
  return respond({ delivery: result.delivery }, { status: 202 });
});
