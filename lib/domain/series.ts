import { OPERATOR_SLUGS, SECTOR_SLUGS, type OperatorSlug, type SectorSlug } from "@/lib/contracts/catalog";
import type { SeriesFilter, SeriesRef } from "@/lib/contracts/filters";

/**
 * The 21 live series are operator × sector pairs in a fixed order (operators outer, sectors
 * inner). Ticks carry values in this order, so a series is identified on the wire by its index.
 */
export const SERIES: readonly SeriesRef[] = OPERATOR_SLUGS.flatMap((operator) =>
  SECTOR_SLUGS.map((sector) => ({ operator, sector })),
);

export const SERIES_COUNT = SERIES.length;

export function seriesIndex(operator: OperatorSlug, sector: SectorSlug): number {
  return OPERATOR_SLUGS.indexOf(operator) * SECTOR_SLUGS.length + SECTOR_SLUGS.indexOf(sector);
}


/**
 * The one rule for what a view shows: an empty list means "all"; a subject with no sector
 * (an operator-wide alert) belongs to every sector of its operator, so a sector filter keeps it.
 * The socket server, the browser cache and (mirrored in SQL) lib/db/alerts.ts all use it.
 */
export function filterShows(filter: SeriesFilter, subject: { operator: OperatorSlug; sector: SectorSlug | null }): boolean {
  const operatorShown = filter.operators.length === 0 || filter.operators.includes(subject.operator);
  const sectorShown = subject.sector === null || filter.sectors.length === 0 || filter.sectors.includes(subject.sector);
  return operatorShown && sectorShown;
}

/** Indexes of the series a filter selects, in series order. An empty list means "all". */
export function seriesIndexesFor(filter: SeriesFilter): number[] {
  const indexes: number[] = [];
  SERIES.forEach((series, index) => {
    if (filterShows(filter, series)) indexes.push(index);
  });
  return indexes;
}

/** One canonical spelling per filter, whatever order or repeats the client used. */
export function canonicalFilter(filter: SeriesFilter): SeriesFilter {
  const operators = OPERATOR_SLUGS.filter((slug) => filter.operators.includes(slug));
  const sectors = SECTOR_SLUGS.filter((slug) => filter.sectors.includes(slug));
  return {
    operators: operators.length === OPERATOR_SLUGS.length ? [] : operators,
    sectors: sectors.length === SECTOR_SLUGS.length ? [] : sectors,
  };
}

/** A stable name for a filter, e.g. "china-mobile|energy,transport" or "*|*". */
export function filterKey(filter: SeriesFilter): string {
  const canonical = canonicalFilter(filter);
  return `${canonical.operators.join(",") || "*"}|${canonical.sectors.join(",") || "*"}`;
}
