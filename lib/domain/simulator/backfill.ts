import { SERIES } from "@/lib/domain/series";
import { MINUTE_MS, type MinuteStats } from "@/lib/domain/rollups";
import type { ConnectionModel } from "./model";

/** One series' minute of back-filled history, before it is written. */
export interface BackfilledMinute extends MinuteStats {
  seriesIndex: number;
}

/** Samples per back-filled minute: every 10 s, which shows the meters' quarter-hour bursts. */
export const BACKFILL_SAMPLES_PER_MINUTE = 6;

/**
 * Rollups for the minutes from `fromMinuteMs` (inclusive) to `toMinuteMs` (exclusive), computed
 * from the model at 10-second steps. Scheduled incidents appear in them as they would have live.
 */
export function backfillMinutes(model: ConnectionModel, fromMinuteMs: number, toMinuteMs: number): BackfilledMinute[] {
  const rows: BackfilledMinute[] = [];
  const step = MINUTE_MS / BACKFILL_SAMPLES_PER_MINUTE;
  for (let minuteMs = fromMinuteMs; minuteMs < toMinuteMs; minuteMs += MINUTE_MS) {
    const samples = Array.from({ length: BACKFILL_SAMPLES_PER_MINUTE }, (_, index) => model.valuesAt(minuteMs + index * step));
    SERIES.forEach((_, seriesIndex) => {
      let min = Infinity;
      let max = -Infinity;
      let sum = 0;
      for (const values of samples) {
        const value = values[seriesIndex]!;
        if (value < min) min = value;
        if (value > max) max = value;
        sum += value;
      }
      rows.push({
        seriesIndex,
        minuteMs,
        min,
        max,
        mean: sum / samples.length,
        last: samples[samples.length - 1]![seriesIndex]!,
        samples: samples.length,
      });
    });
  }
  return rows;
}
