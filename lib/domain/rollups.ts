import { SERIES_COUNT } from "./series";

/** One series over one minute, as the rollup table stores it (mean kept as a sum until written). */
export interface MinuteRollup {
  seriesIndex: number;
  minuteMs: number;
  min: number;
  max: number;
  sum: number;
  samples: number;
  last: number;
}

/** One series over one minute as the history table stores it. */
export interface MinuteStats {
  minuteMs: number;
  min: number;
  max: number;
  mean: number;
  last: number;
  samples: number;
}

export const MINUTE_MS = 60_000;
export const minuteOf = (instantMs: number) => Math.floor(instantMs / MINUTE_MS) * MINUTE_MS;

/**
 * Folds ticks into per-minute rollups. Holds only the minute in progress; a tick in a later
 * minute hands back the finished one. Memory is constant whatever the run time.
 */
export class RollupAccumulator {
  private minuteMs: number | null = null;
  private rollups: (MinuteRollup | undefined)[] = [];

  /**
   * Adds a full tick; returns the rollups of the minute just finished, if this tick began a new
   * one. A null value adds nothing: a series with no value in a whole minute has no rollup for it.
   */
  add(instantMs: number, values: readonly (number | null)[]): MinuteRollup[] {
    const minuteMs = minuteOf(instantMs);
    let finished: MinuteRollup[] = [];
    if (this.minuteMs !== null && minuteMs !== this.minuteMs) finished = this.drain();
    if (this.minuteMs === null) {
      this.minuteMs = minuteMs;
      this.rollups = new Array<MinuteRollup | undefined>(SERIES_COUNT);
    }
    for (let index = 0; index < SERIES_COUNT; index++) {
      const value = values[index];
      if (value === null || value === undefined) continue;
      const rollup = this.rollups[index];
      if (!rollup) {
        this.rollups[index] = { seriesIndex: index, minuteMs, min: value, max: value, sum: value, samples: 1, last: value };
        continue;
      }
      if (value < rollup.min) rollup.min = value;
      if (value > rollup.max) rollup.max = value;
      rollup.sum += value;
      rollup.samples++;
      rollup.last = value;
    }
    return finished;
  }

  /** Hands back the minute in progress (e.g. at shutdown) and starts afresh. */
  drain(): MinuteRollup[] {
    const rollups = this.rollups.filter((rollup): rollup is MinuteRollup => rollup !== undefined);
    this.rollups = [];
    this.minuteMs = null;
    return rollups;
  }
}

/**
 * Coarsest-first ladder of history resolutions, in seconds. A query picks the finest step
 * that keeps every series at or under `maxPoints` points.
 */
const RESOLUTION_LADDER_S = [60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

export function chooseResolutionSeconds(rangeMs: number, maxPoints = 1000): number {
  for (const step of RESOLUTION_LADDER_S) {
    if (Math.ceil(rangeMs / (step * 1000)) <= maxPoints) return step;
  }
  return RESOLUTION_LADDER_S[RESOLUTION_LADDER_S.length - 1]!;
}
