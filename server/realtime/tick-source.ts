import { ConnectionModel } from "@/lib/domain/simulator/model";
import { dueAt, seqAt, simulatedInstant, type TickClock } from "@/lib/domain/simulator/clock";
import { backfillMinutes, type BackfilledMinute } from "@/lib/domain/simulator/backfill";
import { incidentEndMs, type Incident } from "@/lib/domain/simulator/incidents";
import { RingBuffer } from "@/lib/domain/ring-buffer";
import { createLogger } from "@/lib/logger";
import { metrics } from "@/lib/observability/metrics";

const log = createLogger("ticks");

/** A tick with every one of the 21 series, as the source produces and buffers it. */
export interface FullTick {
  seq: number;
  /** The instant the values describe (simulated time). */
  instantMs: number;
  values: number[];
}

export type TickListener = (tick: FullTick) => void;

export interface TickSourceOptions {
  model: ConnectionModel;
  clock: TickClock;
  /** How many ticks to keep for snapshots and resumption. */
  bufferTicks: number;
  now?: () => number;
}

/**
 * Produces one tick per interval, aligned to the wall clock, and keeps the most recent ones in
 * a bounded buffer. Because values are a pure function of the instant, the buffer is refilled
 * at start with the ticks just before it, so a client can resume across a server restart.
 */
export class TickSource {
  readonly clock: TickClock;
  private readonly model: ConnectionModel;
  private readonly buffer: RingBuffer<FullTick>;
  private readonly listeners = new Set<TickListener>();
  private readonly now: () => number;
  private manualIncidents: Incident[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastSeq = -1;

  constructor(options: TickSourceOptions) {
    this.model = options.model;
    this.clock = options.clock;
    this.buffer = new RingBuffer(options.bufferTicks);
    this.now = options.now ?? Date.now;
  }

  /** The newest tick's sequence number (-1 before the first). */
  get currentSeq(): number {
    return this.lastSeq;
  }

  onTick(listener: TickListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (this.timer) return;
    const firstSeq = seqAt(this.clock, this.now());
    for (let seq = firstSeq - this.buffer.capacity + 1; seq < firstSeq; seq++) this.buffer.push(this.produce(seq));
    this.lastSeq = firstSeq - 1;
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

  /** Adds an incident triggered on demand; it shows in every tick from its start. */
  trigger(incident: Incident): void {
    const nowMs = simulatedInstant(this.clock, this.lastSeq);
    this.manualIncidents = [...this.manualIncidents.filter((active) => incidentEndMs(active) > nowMs), incident];
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
    return { seq, instantMs, values: this.model.valuesAt(instantMs, this.manualIncidents) };
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
