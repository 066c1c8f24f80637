import { z } from "zod";
import { audit, requireAccount } from "@/lib/auth/actor";
import { createContactPointSchema } from "@/lib/contracts/notifications";
import { createContactPoint, listContactPoints } from "@/lib/db/notifications";
import { handle, parseJsonBody, parseQuery, respond } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

/** Every contact point, with its URL masked and its secret only as `hasSecret`. */
export const GET = handle(async (request) => {
  await requireAccount(request, "operator");
  parseQuery(request, z.object({}));
  return respond({ contactPoints: await listContactPoints() });
});

/** A new contact point. Its URL and secret are stored and never shown again (the audit entry names neither). */
export const POST = handle(async (request) => {
  const actor = await requireAccount(request, "operator");
  const input = await parseJsonBody(request, createContactPointSchema, { limit: 16 * 1024 });
  const contactPoint = await createContactPoint(input);
  await audit(actor, "contact-point.create", `${contactPoint.id}:${contactPoint.name}`, describeRouting(contactPoint));
  return respond({ contactPoint }, { status: 201 });
});

function describeRouting(point: { kind: string; operators: string[]; sectors: string[]; severities: string[]; repeatIntervalSeconds: number | null; enabled: boolean }) {
  return { kind: point.kind, operators: point.operators, sectors: point.sectors, severities: point.severities, repeatIntervalSeconds: point.repeatIntervalSeconds, enabled: point.enabled };
}
