import { SERIES_PROVENANCES, type SeriesProvenance } from "@/lib/contracts/ingest";
import { HISTORY_PROVENANCES, type HistoryProvenance } from "@/lib/contracts/history";
import { provenanceAt } from "@/lib/contracts/realtime";

/** What a panel or tile showing several series is made of: one provenance, or "mixed". */
export type CombinedProvenance = SeriesProvenance | "mixed";

export type ProvenanceCounts = Record<SeriesProvenance, number>;

/** How many of the series at `indexes` (all `seriesCount` when omitted) are measured, stale, simulated or without data. */
export function countProvenance(codes: string | undefined, seriesCount: number, indexes?: readonly number[]): ProvenanceCounts {
  const counts: ProvenanceCounts = { measured: 0, stale: 0, simulated: 0, none: 0 };
  const positions = indexes ?? Array.from({ length: seriesCount }, (_, index) => index);
  for (const index of positions) counts[provenanceAt(codes, index)]++;
  return counts;
}

/** The one provenance all counted series share, or "mixed" (and "simulated" for no series at all). */
export function combineProvenance(counts: ProvenanceCounts): CombinedProvenance {
  const present = SERIES_PROVENANCES.filter((provenance) => counts[provenance] > 0);
  if (present.length === 0) return "simulated";
  return present.length === 1 ? present[0]! : "mixed";
}

/** The non-zero counts in a fixed order (measured, stale, simulated, none), for labels like "3 measured · 18 simulated". */
export function provenanceParts(counts: ProvenanceCounts): { provenance: SeriesProvenance; count: number }[] {
  return SERIES_PROVENANCES.filter((provenance) => counts[provenance] > 0).map((provenance) => ({ provenance, count: counts[provenance] }));
}

/** Under a history window: how many series' history is measured, simulated, mixed or without data (non-zero counts, fixed order). */
export function historyProvenanceParts(provenance: readonly HistoryProvenance[]): { kind: HistoryProvenance; count: number }[] {
  return HISTORY_PROVENANCES.map((kind) => ({ kind, count: provenance.filter((entry) => entry === kind).length })).filter((part) => part.count > 0);
}
