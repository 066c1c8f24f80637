import { OPERATOR_SLUGS, SECTOR_SLUGS, type OperatorSlug, type SectorSlug } from "@/lib/contracts/catalog";
import type { HistoryResponse } from "@/lib/contracts/history";
import type { SeriesRef } from "@/lib/contracts/filters";

/**
 * A moment of the series on screen: live ticks and history buckets both become frames, so
 * every chart and tile is computed the same way from either. `values` follows the view's
 * series order; null where nothing was recorded.
 */
export interface Frame {
  t: number;
  values: readonly (number | null)[];
  /** Length of the bucket a history frame stands for (its values are means over it); 0 for a tick. */
  spanMs?: number;
}

export function historyFrames(history: HistoryResponse): Frame[] {
  const spanMs = history.resolutionSeconds * 1000;
  return history.buckets.map((t, index) => ({ t, spanMs, values: history.series.map((series) => series.mean[index] ?? null) }));
}

/** Sum of the values at `indexes` (all when omitted); null if every one is missing. */
export function sumOf(values: readonly (number | null)[], indexes?: readonly number[]): number | null {
  let total = 0;
  let seen = false;
  for (const index of indexes ?? values.keys()) {
    const value = values[index];
    if (value === null || value === undefined) continue;
    total += value;
    seen = true;
  }
  return seen ? total : null;
}

export interface Group<T extends string> {
  slug: T;
  indexes: number[];
}

/** The view's series grouped by operator, in catalog order, leaving out operators not shown. */
export function groupByOperator(series: readonly SeriesRef[]): Group<OperatorSlug>[] {
  return OPERATOR_SLUGS.map((slug) => ({ slug, indexes: series.flatMap((entry, index) => (entry.operator === slug ? [index] : [])) })).filter(
    (group) => group.indexes.length > 0,
  );
}

export function groupBySector(series: readonly SeriesRef[]): Group<SectorSlug>[] {
  return SECTOR_SLUGS.map((slug) => ({ slug, indexes: series.flatMap((entry, index) => (entry.sector === slug ? [index] : [])) })).filter(
    (group) => group.indexes.length > 0,
  );
}

/** Relative change from `before` to `after`; null when either is missing or `before` is 0. */
export function relativeChange(before: number | null | undefined, after: number | null | undefined): number | null {
  if (before === null || before === undefined || after === null || after === undefined || before === 0) return null;
  return (after - before) / before;
}

/** The latest item at or before `instantMs` (items in time order: frames or ticks), if any. */
export function frameAtOrBefore<T extends { t: number }>(frames: readonly T[], instantMs: number): T | undefined {
  let low = 0;
  let high = frames.length - 1;
  let found: T | undefined;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (frames[middle]!.t <= instantMs) {
      found = frames[middle];
      low = middle + 1;
    } else high = middle - 1;
  }
  return found;
}

/** What a KPI tile shows for the series at `indexes` (all when undefined). */
export interface KpiFigures {
  /** Their sum in the newest tick; null without a tick or a value. */
  value: number | null;
  /** Relative change against the tick a minute earlier, and against the history frame an hour earlier (or the oldest there is). */
  minuteChange: number | null;
  hourChange: number | null;
}

/** A tile's figures from the live ticks (oldest first) and the last hour's history frames. */
export function kpiFigures(ticks: readonly { t: number; v: readonly (number | null)[] }[], hour: readonly Frame[], indexes?: readonly number[]): KpiFigures {
  const latest = ticks.at(-1);
  if (!latest) return { value: null, minuteChange: null, hourChange: null };
  const value = sumOf(latest.v, indexes);
  const minuteAgo = frameAtOrBefore(ticks, latest.t - 60_000);
  const hourAgo = frameAtOrBefore(hour, latest.t - 3_600_000) ?? hour[0];
  return {
    value,
    minuteChange: relativeChange(minuteAgo ? sumOf(minuteAgo.v, indexes) : null, value),
    hourChange: relativeChange(hourAgo ? sumOf(hourAgo.values, indexes) : null, value),
  };
}
