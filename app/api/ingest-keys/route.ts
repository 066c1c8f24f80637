import { z } from "zod";
import { audit, requireAccount } from "@/lib/auth/actor";
import { createIngestKeySchema } from "@/lib/contracts/ingest";
import { createIngestKey, listIngestKeys } from "@/lib/db/ingest-keys";
import { handle, parseJsonBody, parseQuery, respond } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

/** Ingest keys (never their secrets), for operators: a key's label and scope are not for viewers. */
export const GET = handle(async (request) => {
  await requireAccount(request, "operator");
  parseQuery(request, z.object({}));
  return respond({ keys: await listIngestKeys() });
});

/** A new ingest key; the answer is the only time its secret is shown. */
export const POST = handle(async (request) => {
  const actor = await requireAccount(request, "operator");
  const { label, operators } = await parseJsonBody(request, createIngestKeySchema);
  const created = await createIngestKey({ label, operators, createdBy: actor.username });
  await audit(actor, "ingest-key.create", label, { keyId: created.key.id, operators: created.key.operators });
  return respond(created, { status: 201 });
});
