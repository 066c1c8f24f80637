import { requireAccount } from "@/lib/auth/actor";
import { deliveriesQuerySchema } from "@/lib/contracts/notifications";
import { listDeliveries } from "@/lib/db/notifications";
import { handle, parseQuery, respond } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

/** The outbox, newest first: `?state=dead` lists the dead letters with their last error. */
export const GET = handle(async (request) => {
  await requireAccount(request, "operator");
  const query = parseQuery(request, deliveriesQuerySchema);
  return respond({ deliveries: await listDeliveries(query) });
});
