import "server-only";
import type { OperatorSlug, SectorSlug } from "@/lib/contracts/catalog";
import type { SeriesFilter } from "@/lib/contracts/filters";
import type { HistoryProvenance, HistoryResponse } from "@/lib/contracts/history";
import { bucketStarts, combineHistory, toHistorySeries, type HistoryBucket } from "@/lib/domain/history";
import { chooseResolutionSeconds, type MinuteStats } from "@/lib/domain/rollups";
import { SERIES_COUNT } from "@/lib/domain/series";
import { db } from "./client";
import { Prisma } from "./generated/prisma/client";

export interface RollupRow extends MinuteStats {
  operator: OperatorSlug;
  sector: SectorSlug;
  backfilled: boolean;
}

/** The batch as one `INSERT … SELECT FROM unnest(…)`: one statement however many rows. */
function insertBatch(rows: readonly RollupRow[]): Prisma.Sql {
  const column = <K extends keyof RollupRow>(key: K) => rows.map((row) => row[key]);
  return Prisma.sql`
    INSERT INTO connection_rollup (operator_slug, sector_slug, minute, min, max, mean, last, samples, provenance, backfilled)
    SELECT operator_slug, sector_slug, to_timestamp(minute_ms / 1000.0), min, max, mean, last, samples, 'simulated', backfilled
      FROM unnest(${column("operator")}::text[], ${column("sector")}::text[], ${column("minuteMs")}::float8[],
                  ${column("min")}::int4[], ${column("max")}::int4[], ${column("mean")}::float8[],
                  ${column("last")}::int4[], ${column("samples")}::int4[], ${column("backfilled")}::bool[])
           AS batch(operator_slug, sector_slug, minute_ms, min, max, mean, last, samples, backfilled)`;
}

/**
 * Writes a batch of per-minute simulated rollups in one statement. A minute already stored (the
 * same minute written by a previous process before a restart) is merged, not duplicated; a
 * measured minute (lib/db/samples.ts) is never overwritten by the simulator.
 */
export async function upsertRollups(rows: readonly RollupRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db().$executeRaw`${insertBatch(rows)}
    ON CONFLICT (operator_slug, sector_slug, minute) DO UPDATE SET
      min = LEAST(connection_rollup.min, EXCLUDED.min),
      max = GREATEST(connection_rollup.max, EXCLUDED.max),
      mean = (connection_rollup.mean * connection_rollup.samples + EXCLUDED.mean * EXCLUDED.samples)
             / (connection_rollup.samples + EXCLUDED.samples),
      last = EXCLUDED.last,
      samples = connection_rollup.samples + EXCLUDED.samples,
      backfilled = connection_rollup.backfilled AND EXCLUDED.backfilled
    WHERE connection_rollup.provenance = 'simulated'`;
}

/**
 * Writes back-filled minutes over whatever is stored for them: for minutes a server wrote only
 * part of (it started, stopped or was killed within them), which merging would leave partial.
 * Measured minutes stay as their samples made them.
 */
export async function replaceRollups(rows: readonly RollupRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db().$executeRaw`${insertBatch(rows)}
    ON CONFLICT (operator_slug, sector_slug, minute) DO UPDATE SET
      min = EXCLUDED.min, max = EXCLUDED.max, mean = EXCLUDED.mean, last = EXCLUDED.last,
      samples = EXCLUDED.samples, backfilled = EXCLUDED.backfilled
    WHERE connection_rollup.provenance = 'simulated'`;
}

/**
 * Minutes in [fromMs, toMs) (whole minutes) whose history is not whole: a series is missing (the
 * server was down, or a back-fill was cut short), or live ticks covered it only in part — fewer
 * than `completeSamples` samples (back-filled minutes are whole by construction; a measured minute is
 * as whole as its samples).
 */
export async function findIncompleteMinutes(fromMs: number, toMs: number, completeSamples: number): Promise<number[]> {
  if (toMs <= fromMs) return [];
  const rows = await db().$queryRaw<{ minute_ms: number }[]>`
    SELECT (extract(epoch FROM slot.minute) * 1000)::float8 AS minute_ms
      FROM generate_series(to_timestamp(${fromMs}::float8 / 1000), to_timestamp(${toMs}::float8 / 1000) - interval '1 minute',
                           interval '1 minute') AS slot(minute)
      LEFT JOIN (SELECT minute, count(*) AS series, bool_or(provenance = 'simulated' AND NOT backfilled AND samples < ${completeSamples}::int) AS partial
                   FROM connection_rollup
                  WHERE minute >= to_timestamp(${fromMs}::float8 / 1000) AND minute < to_timestamp(${toMs}::float8 / 1000)
                  GROUP BY minute) AS stored ON stored.minute = slot.minute
     WHERE stored.minute IS NULL OR stored.series < ${SERIES_COUNT}::int OR stored.partial
     ORDER BY slot.minute`;
  return rows.map((row) => row.minute_ms);
}

/** Deletes rollups older than `beforeMs`; returns how many. */
export async function pruneRollups(beforeMs: number): Promise<number> {
  const { count } = await db().connectionRollup.deleteMany({ where: { minute: { lt: new Date(beforeMs) } } });
  return count;
}


/**
 * Rollups between `fromMs` (inclusive) and `toMs` (exclusive), re-binned to `stepSeconds`:
 * min of mins, max of maxes, and the sample-weighted mean.
 */
export async function fetchHistoryBuckets(query: {
  fromMs: number;
  toMs: number;
  stepSeconds: number;
  filter: SeriesFilter;
}): Promise<HistoryBucket[]> {
  const operators = query.filter.operators.length ? query.filter.operators : null;
  const sectors = query.filter.sectors.length ? query.filter.sectors : null;
  const rows = await db().$queryRaw<{ operator: string; sector: string; bucket_ms: number; min: number; max: number; mean: number; minutes: number; measured_minutes: number }[]>`
    SELECT operator_slug AS operator, sector_slug AS sector,
           (extract(epoch FROM date_bin(make_interval(secs => ${query.stepSeconds}::int), minute, TIMESTAMPTZ 'epoch')) * 1000)::float8 AS bucket_ms,
           min(min)::float8 AS min, max(max)::float8 AS max,
           (sum(mean * samples) / sum(samples))::float8 AS mean,
           count(*)::int AS minutes, (count(*) FILTER (WHERE provenance = 'measured'))::int AS measured_minutes
      FROM connection_rollup
     WHERE minute >= to_timestamp(${query.fromMs}::float8 / 1000) AND minute < to_timestamp(${query.toMs}::float8 / 1000)
       AND (${operators}::text[] IS NULL OR operator_slug = ANY(${operators}::text[]))
       AND (${sectors}::text[] IS NULL OR sector_slug = ANY(${sectors}::text[]))
     GROUP BY 1, 2, 3
     ORDER BY 1, 2, 3`;
  return rows.map((row) => ({
    operator: row.operator as OperatorSlug,
    sector: row.sector as SectorSlug,
    bucketMs: row.bucket_ms,
    min: row.min,
    max: row.max,
    mean: row.mean,
    minutes: row.minutes,
    measuredMinutes: row.measured_minutes,
  }));
}

/**
 * History of the filtered series between two instants, at the finest resolution that keeps
 * each series at or under `maxPoints` points, laid out on one shared time axis.
 */
export async function fetchHistory(query: {
  fromMs: number;
  toMs: number;
  filter: SeriesFilter;
  maxPoints?: number;
}): Promise<HistoryResponse> {
  const stepSeconds = chooseResolutionSeconds(query.toMs - query.fromMs, query.maxPoints);
  const buckets = bucketStarts(query.fromMs, query.toMs, stepSeconds);
  // Read from the start of the first bucket, so that it is as complete as the others.
  const rows = await fetchHistoryBuckets({ fromMs: buckets[0] ?? query.fromMs, toMs: query.toMs, stepSeconds, filter: query.filter });
  const series = toHistorySeries(rows, buckets, query.filter);
  return {
    from: new Date(query.fromMs).toISOString(),
    to: new Date(query.toMs).toISOString(),
    resolutionSeconds: stepSeconds,
    provenance: series.reduce<HistoryProvenance>((combined, entry) => combineHistory(combined, entry.provenance), "none"),
    buckets,
    series,
  };
}
