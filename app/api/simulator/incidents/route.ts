import { audit, requireAccount } from "@/lib/auth/actor";
import { triggerIncidentSchema, type IncidentResponse } from "@/lib/contracts/incidents";
import { incidentEndMs, manualIncident } from "@/lib/domain/simulator/incidents";
import { handle, parseJsonBody, respond } from "@/lib/http/respond";
import { requireRealtime } from "@/server/realtime/registry";

export const dynamic = "force-dynamic";

/** Triggers a simulated incident now: for demos, drills and tests. */
export const POST = handle(async (request) => {
  const actor = await requireAccount(request, "operator");
  const body = await parseJsonBody(request, triggerIncidentSchema);
  const realtime = requireRealtime();
  const incident = manualIncident(
    body.kind,
    { operator: body.operator ?? null, sector: body.sector ?? null },
    realtime.currentInstant(),
    { magnitude: body.magnitude, durationMs: body.durationSeconds === undefined ? undefined : body.durationSeconds * 1000 },
  );
  await realtime.trigger(incident);
  await audit(actor, "simulator.incident", incident.kind, { operator: incident.operator, sector: incident.sector, magnitude: incident.magnitude, endsAt: new Date(incidentEndMs(incident)).toISOString() });
  return respond<IncidentResponse>(
    {
      incident: {
        kind: incident.kind,
        operator: incident.operator,
        sector: incident.sector,
        magnitude: incident.magnitude,
        startsAt: new Date(incident.startMs).toISOString(),
        endsAt: new Date(incidentEndMs(incident)).toISOString(),
      },
    },
    { status: 201 },
  );
});
