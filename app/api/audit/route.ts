import { requireAccount } from "@/lib/auth/actor";
import { auditQuerySchema } from "@/lib/contracts/accounts";
import { listAudit } from "@/lib/db/audit";
import { handle, parseQuery, respond } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

/** The audit log, newest first (`?limit=&before=<id>&action=`); admins only. */
export const GET = handle(async (request) => {
  await requireAccount(request, "admin");
  return respond(await listAudit(parseQuery(request, auditQuerySchema)));
});
