import { latestRollupMinute, upsertRollups } from "@/lib/db/rollups";
import { MINUTE_MS, minuteOf } from "@/lib/domain/rollups";
import { SERIES } from "@/lib/domain/series";
import type { TickSource } from "./tick-source";

const CHUNK_MINUTES = 240;

/**
 * Fills the history table from the newest stored minute (or `hours` back, whichever is later)
 * up to the minute the live stream is writing, so history panels never show a hole: not on
 * first start, and not for the time the server was down. Rows are marked back-filled.
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
    const minutes = source.backfill(chunkStart, chunkEnd);
    await upsertRollups(
      minutes.map((minute) => {
        const series = SERIES[minute.seriesIndex]!;
        return { ...minute, operator: series.operator, sector: series.sector, backfilled: true };
      }),
    );
    written += (chunkEnd - chunkStart) / MINUTE_MS;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return written;
}
