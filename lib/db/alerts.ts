import "server-only";
import type { Alert } from "@/lib/contracts/alerts";
import type { OperatorSlug, SectorSlug } from "@/lib/contracts/catalog";
import type { SeriesFilter } from "@/lib/contracts/filters";
import { db } from "./client";
import type { Alert as AlertRow } from "./generated/prisma/client";
import { enqueueAlertNotifications } from "./notifications";

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

/**
 * Stores a new alert and, in the same transaction, queues its "raised" notifications: either both
 * are written or neither is (docs/NOTIFICATIONS.md).
 */
export async function insertAlert(alert: NewAlert): Promise<Alert> {
  return db().$transaction(async (tx) => {
    const row = await tx.alert.create({
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
    const stored = toAlert(row);
    await enqueueAlertNotifications(tx, "raised", stored);
    return stored;
  });
}

/**
 * Records a worsening (new severity and reading) or the end of an alert, and queues its "updated"
 * or "resolved" notifications in the same transaction.
 */
export async function updateAlert(
  id: number,
  change: Partial<Pick<Alert, "severity" | "observed" | "expected" | "expectedLow" | "expectedHigh" | "message" | "resolvedAt">>,
): Promise<Alert> {
  return db().$transaction(async (tx) => {
    const row = await tx.alert.update({
      where: { id },
      data: {
        ...change,
        resolvedAt: change.resolvedAt === undefined ? undefined : change.resolvedAt && new Date(change.resolvedAt),
      },
    });
    const stored = toAlert(row);
    await enqueueAlertNotifications(tx, stored.resolvedAt ? "resolved" : "updated", stored);
    return stored;
  });
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

/** Alerts stored as still open (left by the previous holder of the singletons, or by a previous process). */
export async function findOpenAlerts(): Promise<Alert[]> {
  const rows = await db().alert.findMany({ where: { resolvedAt: null }, orderBy: [{ raisedAt: "asc" }, { id: "asc" }] });
  return rows.map(toAlert);
}

/**
 * Marks alerts left open by a previous process as resolved (nobody is watching them any more),
 * queueing their "resolved" notifications so that the people told of them hear the end too.
 * `adopted` are carried on by this process's detector (a cluster node taking over): left open.
 */
export async function resolveOrphanedAlerts(atMs: number, adopted: readonly number[] = []): Promise<Alert[]> {
  return db().$transaction(async (tx) => {
    const open = await tx.alert.findMany({ where: { resolvedAt: null, id: { notIn: [...adopted] } } });
    if (open.length === 0) return [];
    const resolvedAt = new Date(atMs);
    await tx.alert.updateMany({ where: { id: { in: open.map((row) => row.id) } }, data: { resolvedAt } });
    const resolved = open.map((row) => toAlert({ ...row, resolvedAt }));
    for (const alert of resolved) await enqueueAlertNotifications(tx, "resolved", alert);
    return resolved;
  });
}

export async function pruneAlerts(beforeMs: number): Promise<number> {
  const { count } = await db().alert.deleteMany({ where: { raisedAt: { lt: new Date(beforeMs) } } });
  return count;
}
