import { findPartialMinutes, latestRollupMinute, replaceRollups, upsertRollups, type RollupRow } from "@/lib/db/rollups";
import type { BackfilledMinute } from "@/lib/domain/simulator/backfill";
import { MINUTE_MS, minuteOf } from "@/lib/domain/rollups";
import { SERIES } from "@/lib/domain/series";
import { createLogger } from "@/lib/logger";
import type { TickSource } from "./tick-source";

const log = createLogger("history");
const CHUNK_MINUTES = 240;

const toRows = (minutes: BackfilledMinute[]): RollupRow[] =>
  minutes.map((minute) => {
    const series = SERIES[minute.seriesIndex]!;
    return { ...minute, operator: series.operator, sector: series.sector, backfilled: true };
  });

/** Live samples in a whole minute at this source's tick rate (at least one). */
export function liveSamplesPerMinute(source: TickSource): number {
  return Math.max(1, Math.floor(MINUTE_MS / (source.clock.tickMs * source.clock.speed)));
}

/**
 * Fills the history table from the newest stored minute (or `hours` back, whichever is later)
 * up to the minute the live stream is writing, so history panels never show a hole: not on
 * first start, and not for the time the server was down. Rows are marked back-filled.
 * Then replaces the minutes a server wrote only part of — the one it started in, the one it
 * stopped or was killed in — with whole back-filled ones (the simulator is a pure function of
 * time, so the back-fill is what the live stream would have written).
 * Works in chunks and yields between them, so live ticks keep their rhythm.
 */
export async function backfillHistory(source: TickSource, hours: number): Promise<number> {
  if (hours <= 0) return 0;
  const liveMinute = minuteOf(source.currentInstant());
  const latest = await latestRollupMinute();
  const earliest = liveMinute - hours * 60 * MINUTE_MS;
  const from = Math.max(earliest, latest === null ? earliest : latest + MINUTE_MS);
  let written = 0;
  for (let chunkStart = from; chunkStart < liveMinute; chunkStart += CHUNK_MINUTES * MINUTE_MS) {
    const chunkEnd = Math.min(liveMinute, chunkStart + CHUNK_MINUTES * MINUTE_MS);
    await upsertRollups(toRows(source.backfill(chunkStart, chunkEnd)));
    written += (chunkEnd - chunkStart) / MINUTE_MS;
    await new Promise((resolve) => setImmediate(resolve));
  }
  const partial = await findPartialMinutes(earliest, Math.min(from, liveMinute), liveSamplesPerMinute(source));
  for (let index = 0; index < partial.length; index += CHUNK_MINUTES) {
    const rows = partial.slice(index, index + CHUNK_MINUTES).flatMap((minuteMs) => source.backfill(minuteMs, minuteMs + MINUTE_MS));
    await replaceRollups(toRows(rows));
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (partial.length > 0) log.info("completed minutes that were written only in part", { minutes: partial.length });
  return written + partial.length;
}
