import { RollupAccumulator, type MinuteRollup } from "@/lib/domain/rollups";
import { SERIES } from "@/lib/domain/series";
import type { RollupRow } from "@/lib/db/rollups";
import { createLogger } from "@/lib/logger";
import { metrics } from "@/lib/observability/metrics";
import type { FullTick, TickSource } from "./tick-source";

const log = createLogger("rollups");

export interface RollupWriterOptions {
  source: TickSource;
  write: (rows: RollupRow[]) => Promise<void>;
  /** How often finished minutes are written. */
  flushMs?: number;
  /** Most rows held while the database is unreachable (a day of minutes for all 21 series). */
  maxPending?: number;
}

export function toRollupRow(rollup: MinuteRollup, backfilled = false): RollupRow {
  const series = SERIES[rollup.seriesIndex]!;
  return {
    operator: series.operator,
    sector: series.sector,
    minuteMs: rollup.minuteMs,
    min: rollup.min,
    max: rollup.max,
    mean: rollup.sum / rollup.samples,
    last: rollup.last,
    samples: rollup.samples,
    backfilled,
  };
}

/**
 * Turns simulated ticks into per-minute rollups and writes them in batches: one statement every few
 * seconds, never one insert per tick. If the database is away the rows wait (up to a bound)
 * and go out with the next batch.
 */
export class RollupWriter {
  private readonly accumulator = new RollupAccumulator();
  private pending: RollupRow[] = [];
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly flushMs: number;
  private readonly maxPending: number;

  constructor(private readonly options: RollupWriterOptions) {
    this.flushMs = options.flushMs ?? 5_000;
    this.maxPending = options.maxPending ?? 21 * 1440;
  }

  start(): void {
    this.unsubscribe = this.options.source.onTick((tick) => this.add(tick));
    this.timer = setInterval(() => void this.flush(), this.flushMs);
  }

  get pendingRows(): number {
    return this.pending.length;
  }

  private add(tick: FullTick): void {
    // Only simulated values become rollups here: measured minutes are written from their samples
    // (lib/db/samples.ts), and stale or missing ones are left out, a gap in history, not a guess.
    const finished = this.accumulator.add(
      tick.instantMs,
      tick.values.map((value, index) => (tick.provenance[index] === "simulated" ? value : null)),
    );
    if (finished.length === 0) return;
    this.pending.push(...finished.map((rollup) => toRollupRow(rollup)));
    if (this.pending.length > this.maxPending) {
      const dropped = this.pending.length - this.maxPending;
      this.pending = this.pending.slice(dropped);
      log.warn("database unreachable for too long; dropping the oldest rollups", { dropped });
    }
  }

  /** Writes every finished minute now. Only one write runs at a time. */
  flush(): Promise<void> {
    // Cleared in a later microtask, so a write that finishes at once still leaves `flushing` unset.
    this.flushing ??= this.writePending().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async writePending(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.slice(0, 5_000);
      const timer = metrics.rollupFlushDuration.startTimer();
      try {
        await this.options.write(batch);
        timer({ outcome: "ok" });
      } catch (error) {
        timer({ outcome: "error" });
        log.warn("writing rollups failed; will retry", { rows: this.pending.length, error: error instanceof Error ? error.message : String(error) });
        return;
      }
      this.pending = this.pending.slice(batch.length);
    }
  }

  /** Stops listening, then writes everything including the minute in progress. */
  async close(): Promise<void> {
    this.unsubscribe?.();
    clearInterval(this.timer);
    await this.flushing;
    this.pending.push(...this.accumulator.drain().map((rollup) => toRollupRow(rollup)));
    await this.flush();
    if (this.pending.length > 0) log.error("rollups could not be written before shutdown", { rows: this.pending.length });
  }
}
