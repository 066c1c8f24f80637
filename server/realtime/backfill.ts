import { findIncompleteMinutes, replaceRollups, type RollupRow } from "@/lib/db/rollups";
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

/** One minute of every series as the back-fill writes it (whole, marked back-filled). */
export function backfilledRows(source: TickSource, minuteMs: number): RollupRow[] {
  return toRows(source.backfill(minuteMs, minuteMs + MINUTE_MS));
}

/** Live samples in a whole minute at this source's tick rate (at least one). */
export function liveSamplesPerMinute(source: TickSource): number {
  return Math.max(1, Math.floor(MINUTE_MS / (source.clock.tickMs * source.clock.speed)));
}

/**
 * Fills every minute of the last `hours` up to the one the live stream is writing that is not
 * whole, so history panels never show a hole: not on first start, not for the time the server
 * was down, and not for the minutes a server wrote only in part — the one it started in, the
 * one it stopped or was killed in. Those are replaced (the simulator is a pure function of time,
 * so the back-fill is what the live stream would have written); rows are marked back-filled.
 * Works in chunks and yields between them, so live ticks keep their rhythm; `signal` stops it
 * between chunks (at shutdown, or when the lease is lost), and the next start fills whatever is
 * still missing. `untilMinuteMs`: the first minute the live rollup writer writes (default: the one
 * in progress now), so that the two never write the same minute.
 */
export async function backfillHistory(source: TickSource, hours: number, signal?: AbortSignal, untilMinuteMs?: number): Promise<number> {
  if (hours <= 0) return 0;
  const liveMinute = untilMinuteMs ?? minuteOf(source.currentInstant());
  const minutes = await findIncompleteMinutes(liveMinute - hours * 60 * MINUTE_MS, liveMinute, liveSamplesPerMinute(source));
  let written = 0;
  for (let index = 0; index < minutes.length; index += CHUNK_MINUTES) {
    if (signal?.aborted) {
      log.info("history back-fill stopped by shutdown; the next start carries on", { written, left: minutes.length - written });
      break;
    }
    const chunk = minutes.slice(index, index + CHUNK_MINUTES);
    await replaceRollups(toRows(chunk.flatMap((minuteMs) => source.backfill(minuteMs, minuteMs + MINUTE_MS))));
    written += chunk.length;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return written;
}
