import "server-only";
import type { Baseline } from "@/lib/contracts/baselines";
import type { OperatorSlug, SectorSlug } from "@/lib/contracts/catalog";
import type { SeriesFilter } from "@/lib/contracts/filters";
import { db } from "./client";

/**
 * Report baselines, oldest seed order first. A filter keeps the figures about the named
 * operators (or sectors); market-wide figures belong to no operator and are left out then.
 */
export async function fetchBaselines(filter: SeriesFilter): Promise<Baseline[]> {
  const rows = await db().baseline.findMany({
    where: {
      ...(filter.operators.length > 0 ? { operatorSlug: { in: filter.operators } } : {}),
      ...(filter.sectors.length > 0 ? { sectorSlug: { in: filter.sectors } } : {}),
    },
    orderBy: { id: "asc" },
  });
  return rows.map((row) => ({
    key: row.key,
    metric: row.metric,
    label: row.label,
    value: row.value,
    unit: row.unit,
    period: row.period,
    scope: row.scope,
    // The foreign keys guarantee these are catalog slugs.
    operator: row.operatorSlug as OperatorSlug | null,
    sector: row.sectorSlug as SectorSlug | null,
    provenance: row.provenance,
    source: row.source,
    attribution: row.attribution,
    note: row.note,
    caveat: row.caveat,
  }));
}
