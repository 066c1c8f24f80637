import { audit, requireAccount } from "@/lib/auth/actor";
import { databaseIdSchema } from "@/lib/contracts/api";
import { updateContactPointSchema } from "@/lib/contracts/notifications";
import { ContactPointSecretError, deleteContactPoint, updateContactPoint } from "@/lib/db/notifications";
import { HttpError, handle, parseJsonBody, parseParam, respond } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };
const idOf = async (context: Context) => parseParam("contact point", (await context.params).id, databaseIdSchema);

/** Changes a contact point; an omitted url or secret keeps the stored one. The audit entry says which changed, never to what. */
export const PATCH = handle<Context>(async (request, context) => {
  const actor = await requireAccount(request, "operator");
  const id = await idOf(context);
  const change = await parseJsonBody(request, updateContactPointSchema, { limit: 16 * 1024 });
  const contactPoint = await updateContactPoint(id, change).catch((error: unknown) => {
    if (error instanceof ContactPointSecretError) throw new HttpError("bad_request", error.message);
    throw error;
  });
  if (!contactPoint) throw new HttpError("not_found", `no contact point ${id}`);
  const { url, secret, ...visible } = change;
  await audit(actor, "contact-point.update", `${contactPoint.id}:${contactPoint.name}`, {
    ...visible,
    urlChanged: url !== undefined,
    secretChanged: secret !== undefined,
  });
  return respond({ contactPoint });
});

/** Removes a contact point and its queued, sent and dead-lettered notifications. */
export const DELETE = handle<Context>(async (request, context) => {
  const actor = await requireAccount(request, "operator");
  const id = await idOf(context);
  const contactPoint = await deleteContactPoint(id);
  if (!contactPoint) throw new HttpError("not_found", `no contact point ${id}`);
  await audit(actor, "contact-point.delete", `${contactPoint.id}:${contactPoint.name}`, { kind: contactPoint.kind });
  return respond({ contactPoint });
});
