import { ConnectionModel } from "@/lib/domain/simulator/model";
import { dueAt, seqAt, simulatedInstant, type TickClock } from "@/lib/domain/simulator/clock";
import { backfillMinutes, type BackfilledMinute } from "@/lib/domain/simulator/backfill";
import { incidentEndMs, type Incident } from "@/lib/domain/simulator/incidents";
import { RingBuffer } from "@/lib/domain/ring-buffer";
import { MeasuredSeries, type MeasuredLimits } from "@/lib/domain/measured";
import { SERIES, SERIES_COUNT, seriesIndex } from "@/lib/domain/series";
import type { SeriesProvenance, StoredSample } from "@/lib/contracts/ingest";
import { encodeProvenance } from "@/lib/contracts/realtime";
import { createLogger } from "@/lib/logger";
import { metrics } from "@/lib/observability/metrics";

const log = createLogger("ticks");

/** A tick with every one of the 21 series, as the source produces and buffers it. */
export interface FullTick {
  seq: number;
  /** The instant the values describe (simulated time). */
  instantMs: number;
  /** null: no data ("none"). */
  values: (number | null)[];
  /** Where each value comes from. */
  provenance: SeriesProvenance[];
  /** `provenance` as the wire spells it (PROVENANCE_CODES), computed once per tick. */
  codes: string;
}

export type TickListener = (tick: FullTick) => void;

export interface TickSourceOptions {
  model: ConnectionModel;
  clock: TickClock;
  /** How many ticks to keep for snapshots and resumption. */
  bufferTicks: number;
  /** When measured series turn stale and expire, and whether the simulator fills the others. Default: 180 s, 3600 s, on. */
  measured?: MeasuredLimits;
  now?: () => number;
}

const DEFAULT_MEASURED: MeasuredLimits = { staleMs: 180_000, expireMs: 3_600_000, simulator: true };

/**
 * Produces one tick per interval, aligned to the wall clock, and keeps the most recent ones in
 * a bounded buffer. Each series is measured (the latest sample accepted, lib/domain/measured.ts),
 * stale, simulated or none. Measured samples are judged by the tick's real instant (its due time);
 * simulated values by the tick's simulated instant (the same at speed 1). Because simulated values
 * are a pure function of the instant and samples live in the database, the buffer is refilled at
 * start with the ticks just before it (after `start(samples)` is given the stored samples), so a
 * client can resume across a server restart and get the values it would have got without it.
 */
export class TickSource {
  readonly clock: TickClock;
  private readonly model: ConnectionModel;
  private readonly buffer: RingBuffer<FullTick>;
  private readonly listeners = new Set<TickListener>();
  private readonly now: () => number;
  private readonly measuredLimits: MeasuredLimits;
  private readonly measured = Array.from({ length: SERIES_COUNT }, () => new MeasuredSeries());
  private manualIncidents: Incident[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastSeq = -1;
  private markReady!: () => void;
  /** Resolves once the buffer is filled (start was called): answers wait for it rather than send an empty window. */
  readonly ready = new Promise<void>((resolve) => (this.markReady = resolve));

  constructor(options: TickSourceOptions) {
    this.model = options.model;
    this.clock = options.clock;
    this.buffer = new RingBuffer(options.bufferTicks);
    this.now = options.now ?? Date.now;
    this.measuredLimits = options.measured ?? DEFAULT_MEASURED;
  }

  /** Samples just stored: they show from the first tick produced after this call whose instant is at or past their receipt. */
  acceptMeasured(samples: readonly StoredSample[]): void {
    for (const sample of samples) {
      // Samples are validated at the edge; one that names no series here is ignored, never a crash.
      const index = seriesIndex(sample.operator, sample.sector);
      if (SERIES[index]?.operator !== sample.operator || SERIES[index]?.sector !== sample.sector) continue;
      this.measured[index]!.add({
        connections: sample.connections,
        atMs: sample.atMs,
        receivedAtMs: sample.receivedAtMs,
      });
    }
  }

  /**
   * The receipt time to stamp on samples about to be stored (real ms): now, but always after the
   * due time of the newest tick already produced. A sample is visible at a tick once its receipt is
   * at or before the tick's due time, so a stamp taken this way is first shown by the next tick
   * produced, live and in a refill after a restart alike. `aheadMs` stamps it that much later, so
   * that other nodes, which hear of it only after the commit, still get it before the tick that shows it.
   */
  receiptTime(aheadMs = 0): number {
    const now = this.now() + aheadMs;
    return this.lastSeq < 0 ? now : Math.max(now, dueAt(this.clock, this.lastSeq) + 1);
  }

  /** The real instant from which the buffer is refilled at start: samples received since then (less the expiry) matter. */
  refillFromMs(): number {
    return dueAt(this.clock, seqAt(this.clock, this.now()) - this.buffer.capacity + 1);
  }

  /** The newest tick's sequence number (-1 before the first). */
  get currentSeq(): number {
    return this.lastSeq;
  }

  onTick(listener: TickListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Starts ticking; `stored` (oldest arrival first) are the samples the buffer's refill must show
   * (see refillFromMs). They are handed over as the refill passes their arrival, as they were live,
   * so that each series holds only what is still due, not the whole window at once.
   */
  start(stored: readonly StoredSample[] = []): void {
    if (this.timer) return;
    const firstSeq = seqAt(this.clock, this.now());
    let next = 0;
    for (let seq = firstSeq - this.buffer.capacity + 1; seq < firstSeq; seq++) {
      const dueMs = dueAt(this.clock, seq);
      const from = next;
      while (next < stored.length && stored[next]!.receivedAtMs <= dueMs) next++;
      if (next > from) this.acceptMeasured(stored.slice(from, next));
      this.buffer.push(this.produce(seq));
    }
    this.acceptMeasured(stored.slice(next));
    this.lastSeq = firstSeq - 1;
    this.markReady();
    this.schedule();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The newest `count` ticks, oldest first. */
  latest(count: number): FullTick[] {
    return this.buffer.latest(count);
  }

  /**
   * The ticks after `seq`, oldest first, or undefined when the buffer no longer reaches back
   * that far (the caller then sends a fresh snapshot instead).
   */
  ticksAfter(seq: number): FullTick[] | undefined {
    const oldest = this.buffer.first();
    if (!oldest || seq < oldest.seq - 1 || seq > this.lastSeq) return undefined;
    return this.buffer.latest(this.lastSeq - seq);
  }

  /**
   * Adds an incident triggered on demand; it shows in every tick from its start. The same incident
   * given again (a cluster message repeated, the stored ones reloaded) replaces itself, never doubles.
   */
  trigger(incident: Incident): void {
    const nowMs = simulatedInstant(this.clock, this.lastSeq);
    const same = (active: Incident) =>
      active.kind === incident.kind && active.operator === incident.operator && active.sector === incident.sector && active.startMs === incident.startMs;
    this.manualIncidents = [...this.manualIncidents.filter((active) => incidentEndMs(active) > nowMs && !same(active)), incident];
  }

  /** The simulated instant of the newest tick. */
  currentInstant(): number {
    return simulatedInstant(this.clock, Math.max(this.lastSeq, seqAt(this.clock, this.now())));
  }

  expectedAt(instantMs: number): number[] {
    return this.model.expectedAt(instantMs);
  }

  /** Per-minute history the model would have produced between two minutes (see backfillMinutes). */
  backfill(fromMinuteMs: number, toMinuteMs: number): BackfilledMinute[] {
    return backfillMinutes(this.model, fromMinuteMs, toMinuteMs);
  }

  private produce(seq: number): FullTick {
    const instantMs = simulatedInstant(this.clock, seq);
    const realMs = dueAt(this.clock, seq);
    const limits = this.measuredLimits;
    let simulated: number[] | undefined;
    const values: (number | null)[] = new Array<number | null>(SERIES_COUNT);
    const provenance: SeriesProvenance[] = new Array<SeriesProvenance>(SERIES_COUNT);
    for (let index = 0; index < SERIES_COUNT; index++) {
      const reading = this.measured[index]!.readAt(realMs, limits);
      provenance[index] = reading.provenance;
      if (reading.provenance === "simulated") {
        // The model computes all 21 at once; only when some series needs it.
        simulated ??= this.model.valuesAt(instantMs, this.manualIncidents);
        values[index] = simulated[index]!;
      } else values[index] = reading.connections;
    }
    return { seq, instantMs, values, provenance, codes: encodeProvenance(provenance) };
  }

  private schedule(): void {
    const delay = Math.max(0, dueAt(this.clock, this.lastSeq + 1) - this.now());
    this.timer = setTimeout(() => this.advance(), delay);
  }

  private advance(): void {
    const dueSeq = seqAt(this.clock, this.now());
    // After a stall, produce every missed tick so sequence numbers stay contiguous, but never
    // more than the buffer holds: older ones could not be resumed from anyway.
    const from = Math.max(this.lastSeq + 1, dueSeq - this.buffer.capacity + 1);
    if (from > this.lastSeq + 1) log.warn("event loop stalled; skipping ticks", { skipped: from - this.lastSeq - 1 });
    for (let seq = from; seq <= dueSeq; seq++) {
      metrics.tickLateness.observe(Math.max(0, this.now() - dueAt(this.clock, seq)) / 1000);
      metrics.ticks.inc();
      const tick = this.produce(seq);
      this.buffer.push(tick);
      this.lastSeq = seq;
      for (const listener of this.listeners) {
        try {
          listener(tick);
        } catch (error) {
          log.error("tick listener failed", { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
        }
      }
    }
    if (this.timer) this.schedule();
  }
}
