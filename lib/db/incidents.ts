import "server-only";
import type { OperatorSlug, SectorSlug } from "@/lib/contracts/catalog";
import { incidentEndMs, type Incident } from "@/lib/domain/simulator/incidents";
import { db } from "./client";

/** Stores an incident triggered on demand, so that every node and every restart shows it. */
export async function insertIncident(incident: Incident): Promise<void> {
  await db().triggeredIncident.create({
    data: {
      kind: incident.kind,
      operatorSlug: incident.operator,
      sectorSlug: incident.sector,
      startsAt: new Date(incident.startMs),
      magnitude: incident.magnitude,
      rampMs: incident.rampMs,
      holdMs: incident.holdMs,
      recoverMs: incident.recoverMs,
      endsAt: new Date(incidentEndMs(incident)),
    },
  });
}

/** The triggered incidents not yet over at the simulated instant `atMs`, oldest first. */
export async function listActiveIncidents(atMs: number): Promise<Incident[]> {
  const rows = await db().triggeredIncident.findMany({ where: { endsAt: { gt: new Date(atMs) } }, orderBy: { startsAt: "asc" } });
  return rows.map((row) => ({
    kind: row.kind as Incident["kind"],
    operator: row.operatorSlug as OperatorSlug | null,
    sector: row.sectorSlug as SectorSlug | null,
    startMs: row.startsAt.getTime(),
    magnitude: row.magnitude,
    rampMs: row.rampMs,
    holdMs: row.holdMs,
    recoverMs: row.recoverMs,
  }));
}

/** Deletes incidents over before the simulated instant `beforeMs` (retention); how many. */
export async function pruneIncidents(beforeMs: number): Promise<number> {
  const { count } = await db().triggeredIncident.deleteMany({ where: { endsAt: { lt: new Date(beforeMs) } } });
  return count;
}
