import type { SeriesFilter } from "@/lib/contracts/filters";
import type { HistoryProvenance, HistorySeries } from "@/lib/contracts/history";
import type { OperatorSlug, SectorSlug } from "@/lib/contracts/catalog";
import { SERIES, seriesIndexesFor } from "./series";

export interface HistoryBucket {
  operator: OperatorSlug;
  sector: SectorSlug;
  bucketMs: number;
  min: number;
  max: number;
  mean: number;
  /** Stored minutes in the bucket, and how many of them are measured. */
  minutes: number;
  measuredMinutes: number;
}

/** Bucket starts from `fromMs` to `toMs` at `stepSeconds`, aligned to the Unix epoch like the query. */
export function bucketStarts(fromMs: number, toMs: number, stepSeconds: number): number[] {
  const step = stepSeconds * 1000;
  const starts: number[] = [];
  for (let start = Math.floor(fromMs / step) * step; start < toMs; start += step) starts.push(start);
  return starts;
}

/** Lays database buckets out on the shared time axis, with null where a bucket has no data. */
export function toHistorySeries(rows: readonly HistoryBucket[], buckets: readonly number[], filter: SeriesFilter): HistorySeries[] {
  const position = new Map(buckets.map((bucket, index) => [bucket, index]));
  const bySeries = new Map<string, HistorySeries>();
  for (const index of seriesIndexesFor(filter)) {
    const { operator, sector } = SERIES[index]!;
    bySeries.set(`${operator}:${sector}`, {
      operator,
      sector,
      provenance: "none",
      mean: buckets.map(() => null),
      min: buckets.map(() => null),
      max: buckets.map(() => null),
    });
  }
  for (const row of rows) {
    const series = bySeries.get(`${row.operator}:${row.sector}`);
    const at = position.get(row.bucketMs);
    if (!series || at === undefined) continue;
    series.mean[at] = Math.round(row.mean);
    series.min[at] = row.min;
    series.max[at] = row.max;
    series.provenance = combineHistory(series.provenance, row.measuredMinutes === 0 ? "simulated" : row.measuredMinutes === row.minutes ? "measured" : "mixed");
  }
  return [...bySeries.values()];
}

/** Two provenances as one: the same kind stays, "none" gives way, anything else is "mixed". */
export function combineHistory(a: HistoryProvenance, b: HistoryProvenance): HistoryProvenance {
  if (a === "none") return b;
  if (b === "none" || a === b) return a;
  return "mixed";
}
