import { audit, requireAccount } from "@/lib/auth/actor";
import { databaseIdSchema } from "@/lib/contracts/api";
import { revokeIngestKey } from "@/lib/db/ingest-keys";
import { HttpError, handle, parseParam, respond } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

/** Revokes an ingest key: every request is checked against the database, so its next write is refused. */
export const DELETE = handle<Context>(async (request, context) => {
  const actor = await requireAccount(request, "operator");
  const id = parseParam("ingest key", (await context.params).id, databaseIdSchema);
  const key = await revokeIngestKey(id);
  if (!key) throw new HttpError("not_found", `no ingest key ${id}`);
  await audit(actor, "ingest-key.revoke", key.label, { keyId: id });
  return respond({ key });
});
