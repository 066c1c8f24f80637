import "server-only";
import type { Alert } from "@/lib/contracts/alerts";
import type { OperatorSlug, SectorSlug } from "@/lib/contracts/catalog";
import type { SeriesFilter } from "@/lib/contracts/filters";
import { db } from "./client";
import type { Alert as AlertRow } from "./generated/prisma/client";

function toAlert(row: AlertRow): Alert {
  return {
    id: row.id,
    raisedAt: row.raisedAt.toISOString(),
    // Foreign keys guarantee catalog slugs; kind is only ever written from the contract.
    operator: row.operatorSlug as OperatorSlug,
    sector: row.sectorSlug as SectorSlug | null,
    kind: row.kind as Alert["kind"],
    severity: row.severity,
    observed: row.observed,
    expected: row.expected,
    expectedLow: row.expectedLow,
    expectedHigh: row.expectedHigh,
    message: row.message,
    provenance: row.provenance,
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
  };
}

export type NewAlert = Omit<Alert, "id" | "resolvedAt">;

export async function insertAlert(alert: NewAlert): Promise<Alert> {
  const row = await db().alert.create({
    data: {
      raisedAt: new Date(alert.raisedAt),
      operatorSlug: alert.operator,
      sectorSlug: alert.sector,
      kind: alert.kind,
      severity: alert.severity,
      observed: alert.observed,
      expected: alert.expected,
      expectedLow: alert.expectedLow,
      expectedHigh: alert.expectedHigh,
      message: alert.message,
      provenance: alert.provenance,
    },
  });
  return toAlert(row);
}

/** Records a worsening (new severity and reading) or the end of an alert. */
export async function updateAlert(
  id: number,
  change: Partial<Pick<Alert, "severity" | "observed" | "expected" | "expectedLow" | "expectedHigh" | "message" | "resolvedAt">>,
): Promise<Alert> {
  const row = await db().alert.update({
    where: { id },
    data: {
      ...change,
      resolvedAt: change.resolvedAt === undefined ? undefined : change.resolvedAt && new Date(change.resolvedAt),
    },
  });
  return toAlert(row);
}

/**
 * Newest first, filtered exactly as lib/domain/series.ts `filterShows` decides: a sector filter
 * keeps that sector's alerts and the operator-wide ones (no sector). A property test holds the two together.
 */
export async function fetchAlerts(query: {
  filter: SeriesFilter;
  limit: number;
  beforeMs?: number;
  activeOnly?: boolean;
}): Promise<Alert[]> {
  const rows = await db().alert.findMany({
    where: {
      ...(query.filter.operators.length ? { operatorSlug: { in: query.filter.operators } } : {}),
      ...(query.filter.sectors.length ? { OR: [{ sectorSlug: null }, { sectorSlug: { in: query.filter.sectors } }] } : {}),
      ...(query.beforeMs !== undefined ? { raisedAt: { lt: new Date(query.beforeMs) } } : {}),
      ...(query.activeOnly ? { resolvedAt: null } : {}),
    },
    orderBy: [{ raisedAt: "desc" }, { id: "desc" }],
    take: query.limit,
  });
  return rows.map(toAlert);
}

/** Marks alerts left open by a previous process as resolved: nobody is watching them any more. */
export async function resolveOrphanedAlerts(atMs: number): Promise<number> {
  const { count } = await db().alert.updateMany({ where: { resolvedAt: null }, data: { resolvedAt: new Date(atMs) } });
  return count;
}

export async function pruneAlerts(beforeMs: number): Promise<number> {
  const { count } = await db().alert.deleteMany({ where: { raisedAt: { lt: new Date(beforeMs) } } });
  return count;
}
