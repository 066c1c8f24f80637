import "server-only";
import type { StoredSample } from "@/lib/contracts/ingest";
import { db } from "./client";

export interface StoreSamplesResult {
  /** The samples newly stored, in the order given. */
  stored: StoredSample[];
  /** How many were already stored (same series and instant): not stored twice. */
  duplicates: number;
}

/**
 * Stores a batch of validated samples and, in the same transaction, rewrites the per-minute
 * rollups of every (series, minute) they touch from all the samples stored for it: measured
 * minutes are always the aggregate of their samples, whether the samples came live or late, and
 * they replace whatever the simulator wrote for that minute. Resolves once it is committed.
 */
export async function storeSamples(samples: readonly StoredSample[]): Promise<StoreSamplesResult> {
  if (samples.length === 0) return { stored: [], duplicates: 0 };
  const column = <K extends keyof StoredSample>(key: K) => samples.map((sample) => sample[key]);
  const inserted = await db().$transaction(async (tx) => {
    // One batch at a time per (series, minute): the rewrite below aggregates what is committed when
    // it runs, so two batches for the same minute committing together would each miss the other's
    // samples (READ COMMITTED) and the last to commit would win with a partial aggregate. Taken
    // first, in key order, so that batches never wait on each other in a cycle; the rewrite, a
    // later statement, then sees every sample committed by the batch it waited for.
    await tx.$executeRaw`
      SELECT pg_advisory_xact_lock(key)
        FROM (SELECT DISTINCT hashtextextended(operator_slug || '|' || sector_slug || '|' || floor(at_ms / 60000)::text, 11) AS key
                FROM unnest(${column("operator")}::text[], ${column("sector")}::text[], ${column("atMs")}::float8[]) AS batch(operator_slug, sector_slug, at_ms)
               ORDER BY key) AS keys`;
    const rows = await tx.$queryRaw<{ operator: string; sector: string; at_ms: number }[]>`
      INSERT INTO measured_sample (operator_slug, sector_slug, at, connections, received_at, source)
      SELECT operator_slug, sector_slug, to_timestamp(at_ms / 1000.0), connections, to_timestamp(received_ms / 1000.0), source
        FROM unnest(${column("operator")}::text[], ${column("sector")}::text[], ${column("atMs")}::float8[],
                    ${column("connections")}::int4[], ${column("receivedAtMs")}::float8[], ${column("source")}::text[])
             AS batch(operator_slug, sector_slug, at_ms, connections, received_ms, source)
      ON CONFLICT (operator_slug, sector_slug, at) DO NOTHING
      RETURNING operator_slug AS operator, sector_slug AS sector, (extract(epoch FROM at) * 1000)::float8 AS at_ms`;
    if (rows.length > 0) {
      await tx.$executeRaw`
        INSERT INTO connection_rollup (operator_slug, sector_slug, minute, min, max, mean, last, samples, provenance, backfilled)
        SELECT sample.operator_slug, sample.sector_slug, touched.minute,
               min(sample.connections), max(sample.connections), avg(sample.connections)::float8,
               (array_agg(sample.connections ORDER BY sample.at DESC))[1], count(*), 'measured', false
          FROM (SELECT DISTINCT operator_slug, sector_slug, date_trunc('minute', to_timestamp(at_ms / 1000.0)) AS minute
                  FROM unnest(${rows.map((row) => row.operator)}::text[], ${rows.map((row) => row.sector)}::text[],
                              ${rows.map((row) => row.at_ms)}::float8[]) AS touched(operator_slug, sector_slug, at_ms)) AS touched
          JOIN measured_sample AS sample
            ON sample.operator_slug = touched.operator_slug AND sample.sector_slug = touched.sector_slug
           AND sample.at >= touched.minute AND sample.at < touched.minute + interval '1 minute'
         GROUP BY sample.operator_slug, sample.sector_slug, touched.minute
        ON CONFLICT (operator_slug, sector_slug, minute) DO UPDATE SET
          min = EXCLUDED.min, max = EXCLUDED.max, mean = EXCLUDED.mean, last = EXCLUDED.last,
          samples = EXCLUDED.samples, provenance = 'measured', backfilled = false`;
    }
    return rows;
    // Prisma's defaults (2 s to get a connection, 5 s in all) would fail a batch that waited its
    // turn behind others for the same minutes on a busy server: wait longer, still bounded.
  }, { maxWait: 10_000, timeout: 20_000 });
  const key = (operator: string, sector: string, atMs: number) => `${operator}|${sector}|${atMs}`;
  const fresh = new Set(inserted.map((row) => key(row.operator, row.sector, row.at_ms)));
  // A batch may repeat a sample within itself: only its first copy counts as stored.
  const stored = samples.filter((sample) => fresh.delete(key(sample.operator, sample.sector, sample.atMs)));
  return { stored, duplicates: samples.length - stored.length };
}

/** Deletes samples measured before `beforeMs` (retention); returns how many. */
export async function pruneSamples(beforeMs: number): Promise<number> {
  const { count } = await db().measuredSample.deleteMany({ where: { at: { lt: new Date(beforeMs) } } });
  return count;
}
