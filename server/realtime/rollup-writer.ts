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
  /**
   * Whether `close` writes the minute in progress too (a standalone server: the next start merges
   * its own part in). In a cluster it is left to the next holder, who has it whole: written here
   * as well, it would count twice.
   */
  closeWritesMinuteInProgress?: boolean;
  /**
   * The whole minute as the back-fill computes it, for the first minute, which this writer saw only
   * from its start on. Given in a cluster: a node that takes the lease over in its first minute
   * writes that minute whole and once (nobody else writes it). Unset: written as seen (a standalone
   * server; the next start completes it).
   */
  completeMinute?: (minuteMs: number) => RollupRow[];
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
 *
 * Only the holder of the singletons' lease writes (between `lead` and `follow`); every node
 * accumulates, so that the one taking over has the minute in progress whole and writes it once.
 * The minutes before the one it takes over in are the back-fill's (server/realtime/backfill.ts).
 */
export class RollupWriter {
  private readonly accumulator = new RollupAccumulator();
  private pending: RollupRow[] = [];
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly flushMs: number;
  private readonly maxPending: number;
  /** While leading: the first minute this writer writes; undefined while another node writes. */
  private fromMinuteMs: number | undefined;
  /** The instant of the first tick seen: a minute that began earlier was seen only in part. */
  private firstTickMs: number | undefined;

  constructor(private readonly options: RollupWriterOptions) {
    this.flushMs = options.flushMs ?? 5_000;
    this.maxPending = options.maxPending ?? 21 * 1440;
  }

  start(): void {
    this.unsubscribe = this.options.source.onTick((tick) => this.add(tick));
  }

  /** Writes from now on every finished minute from `fromMinuteMs` on (earlier ones are someone else's). */
  lead(fromMinuteMs: number): void {
    if (this.fromMinuteMs !== undefined) return;
    this.fromMinuteMs = fromMinuteMs;
    this.timer = setInterval(() => void this.flush(), this.flushMs);
  }

  /** Another node writes now: what waits here is dropped (the next holder back-fills those minutes). */
  follow(): void {
    if (this.fromMinuteMs === undefined) return;
    this.fromMinuteMs = undefined;
    clearInterval(this.timer);
    if (this.pending.length > 0) log.info("handing the unwritten rollups over to the next lease holder's back-fill", { rows: this.pending.length });
    this.pending = [];
  }

  get pendingRows(): number {
    return this.pending.length;
  }

  private add(tick: FullTick): void {
    this.firstTickMs ??= tick.instantMs;
    // Only simulated values become rollups here: measured minutes are written from their samples
    // (lib/db/samples.ts), and stale or missing ones are left out, a gap in history, not a guess.
    const finished = this.accumulator.add(
      tick.instantMs,
      tick.values.map((value, index) => (tick.provenance[index] === "simulated" ? value : null)),
    );
    const fromMinuteMs = this.fromMinuteMs;
    if (finished.length === 0 || fromMinuteMs === undefined) return;
    this.pending.push(...this.rowsOf(finished.filter((rollup) => rollup.minuteMs >= fromMinuteMs)));
    if (this.pending.length > this.maxPending) {
      const dropped = this.pending.length - this.maxPending;
      this.pending = this.pending.slice(dropped);
      log.warn("database unreachable for too long; dropping the oldest rollups", { dropped });
    }
  }

  private rowsOf(rollups: MinuteRollup[]): RollupRow[] {
    const { completeMinute } = this.options;
    const first = this.firstTickMs;
    if (!completeMinute || first === undefined || !rollups.some((rollup) => rollup.minuteMs < first)) return rollups.map((rollup) => toRollupRow(rollup));
    const partial = new Set(rollups.filter((rollup) => rollup.minuteMs < first).map((rollup) => rollup.minuteMs));
    return [...[...partial].flatMap(completeMinute), ...rollups.filter((rollup) => !partial.has(rollup.minuteMs)).map((rollup) => toRollupRow(rollup))];
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

  /** Stops listening, then (while leading) writes everything including the minute in progress. */
  async close(): Promise<void> {
    this.unsubscribe?.();
    clearInterval(this.timer);
    await this.flushing;
    const fromMinuteMs = this.fromMinuteMs;
    if (fromMinuteMs === undefined) return;
    if (this.options.closeWritesMinuteInProgress ?? true) this.pending.push(...this.rowsOf(this.accumulator.drain().filter((rollup) => rollup.minuteMs >= fromMinuteMs)));
    await this.flush();
    if (this.pending.length > 0) log.error("rollups could not be written before shutdown", { rows: this.pending.length });
  }
}
