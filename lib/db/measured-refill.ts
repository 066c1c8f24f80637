import "server-only";
import type { OperatorSlug, SectorSlug } from "@/lib/contracts/catalog";
import type { SampleSource, StoredSample } from "@/lib/contracts/ingest";
import { SERIES } from "@/lib/domain/series";
import { db } from "./client";
import { Prisma } from "./generated/prisma/client";

/** The most samples received inside the resume window that a refill reads (the newest kept): ~20 MB. */
export const MAX_REFILL_SAMPLES = 200_000;

interface SampleRow {
  operator: string;
  sector: string;
  connections: number;
  at_ms: number;
  received_ms: number;
  source: string;
}

const toSample = (row: SampleRow): StoredSample => ({
  operator: row.operator as OperatorSlug,
  sector: row.sector as SectorSlug,
  connections: row.connections,
  atMs: row.at_ms,
  receivedAtMs: row.received_ms,
  source: row.source as SampleSource,
});

/**
 * What the live stream needs to rebuild its resume buffer from `fromMs` (the real instant of its
 * first tick) after a restart, oldest arrival first — without reading every sample of the last hour,
 * which a busy feed makes millions:
 * - of the samples received before `fromMs` (and not before `fromMs − lookBackMs`: older ones can only
 *   read as expired), per series the one with the latest instant at or before `fromMs` — every tick of
 *   the buffer sees it, so it hides all older ones — and any dated after `fromMs` (within the clock skew);
 * - every sample received since `fromMs`, at most MAX_REFILL_SAMPLES of them (the newest; `truncated` then).
 */
export async function findSamplesForRefill(fromMs: number, lookBackMs: number, limit = MAX_REFILL_SAMPLES): Promise<{ samples: StoredSample[]; truncated: boolean }> {
  const from = new Date(fromMs);
  const since = new Date(fromMs - lookBackMs);
  const operators = SERIES.map((series) => series.operator);
  const sectors = SERIES.map((series) => series.sector);
  // A fixed column list, no input in it.
  const columns = (alias: string) =>
    Prisma.raw(`${alias}.operator_slug AS operator, ${alias}.sector_slug AS sector, ${alias}.connections,
      (extract(epoch FROM ${alias}.at) * 1000)::float8 AS at_ms, (extract(epoch FROM ${alias}.received_at) * 1000)::float8 AS received_ms, ${alias}.source`);
  const client = db();
  const before = await client.$queryRaw<SampleRow[]>`
    SELECT ${columns("held")}
      FROM unnest(${operators}::text[], ${sectors}::text[]) AS series(operator_slug, sector_slug)
      CROSS JOIN LATERAL (
        SELECT * FROM measured_sample AS sample
         WHERE sample.operator_slug = series.operator_slug AND sample.sector_slug = series.sector_slug
           AND sample.at <= ${from} AND sample.received_at >= ${since} AND sample.received_at < ${from}
         ORDER BY sample.at DESC LIMIT 1) AS held
    UNION ALL
    SELECT ${columns("ahead")} FROM measured_sample AS ahead
     WHERE ahead.at > ${from} AND ahead.received_at >= ${since} AND ahead.received_at < ${from}`;
  const within = await client.$queryRaw<SampleRow[]>`
    SELECT ${columns("sample")} FROM measured_sample AS sample
     WHERE sample.received_at >= ${from}
     ORDER BY sample.received_at DESC, sample.at DESC LIMIT ${limit + 1}`;
  const truncated = within.length > limit;
  const samples = [...before, ...within.slice(0, limit).reverse()].map(toSample);
  samples.sort((a, b) => a.receivedAtMs - b.receivedAtMs || a.atMs - b.atMs);
  return { samples, truncated };
}
