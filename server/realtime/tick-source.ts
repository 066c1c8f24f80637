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
/** The newest tick re-sent with samples accepted since it went out: same `seq`, `replaced` is the version it supersedes. */
export type RevisionListener = (revised: FullTick, replaced: FullTick) => void;

/**
 * A revision waits this long for the rest of its burst (a feed's batches, one series each, arrive a
 * few ms apart), and revisions are at least REVISION_GAP_MS apart: a feed writing all the time costs
 * each screen at most a tick-sized message per gap, never one per batch.
 */
export const REVISION_COALESCE_MS = 10;
export const REVISION_GAP_MS = 50;
/** The longest the next tick waits past its due time for samples still being stored (and at most half a tick). */
export const RECEIPT_HOLD_MS = 250;

/** Samples about to be stored: their stamp, and `close()` once they are accepted (or failed). */
export interface Receipt {
  receivedAtMs: number;
  close(): void;
}

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
 * stale, simulated or none. Tick N stands for the real interval from its due time to the next
 * one's: measured samples are judged at that interval's last millisecond, and a sample accepted
 * while tick N is the newest is stamped inside it (receiptTime). The tick is sent at its due time
 * with what has arrived by then, and re-sent — *revised*, same `seq`, replacing it in the buffer —
 * promptly whenever more arrives before the next one, so a sample shows within milliseconds instead
 * of waiting up to a tick. Simulated values are judged by the tick's simulated instant (its due
 * time at speed 1) and stay as first sent. Because simulated values
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
  private readonly revisionListeners = new Set<RevisionListener>();
  private revisionTimer: NodeJS.Timeout | undefined;
  private lastRevisionAtMs = -Infinity;
  /** Receipts open for the interval of tick `receiptsSeq` (the newest when they were opened). */
  private receiptsOpen = 0;
  private receiptsSeq = -1;
  /** The next tick is due but waits for open receipts. */
  private held = false;
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

  /**
   * Samples just stored: they show from the tick whose interval holds their receipt (the newest,
   * revised for them shortly), or from the first whose interval reaches their own instant.
   */
  acceptMeasured(samples: readonly StoredSample[]): void {
    let added = false;
    for (const sample of samples) {
      // Samples are validated at the edge; one that names no series here is ignored, never a crash.
      const index = seriesIndex(sample.operator, sample.sector);
      if (SERIES[index]?.operator !== sample.operator || SERIES[index]?.sector !== sample.sector) continue;
      this.measured[index]!.add({
        connections: sample.connections,
        atMs: sample.atMs,
        receivedAtMs: sample.receivedAtMs,
      });
      added = true;
    }
    // Only while running: the refill at start hands over stored samples before any tick is sent.
    if (added && this.timer) this.scheduleRevision();
  }

  /**
   * The receipt time to stamp on samples about to be stored (real ms): now, but kept inside the
   * interval of the newest tick already produced (from its due time to 1 ms before the next one's),
   * even when the clock has run past it because the next tick is late. A sample is visible at a tick
   * once its receipt is within or before the tick's interval, so a stamp taken this way is shown by
   * the newest tick — revised for it — live and in a refill after a restart alike.
   */
  receiptTime(): number {
    const now = this.now();
    if (this.lastSeq < 0) return now;
    return Math.min(Math.max(now, dueAt(this.clock, this.lastSeq)), closeOf(this.clock, this.lastSeq));
  }

  /**
   * A receipt for samples about to be stored (the ingest pipeline's): stamped as receiptTime says,
   * and while it is open the next tick waits for it — at most RECEIPT_HOLD_MS (or half a tick) past
   * its due time — so that a sample stamped inside the newest tick's interval but committed a few
   * ms after the next was due is still sent in the tick its stamp names (revised), as a refill after
   * a restart shows it, and not first in the next. Close it once the samples are accepted, or failed.
   */
  openReceipt(): Receipt {
    const receivedAtMs = this.receiptTime();
    const seq = this.lastSeq;
    if (seq !== this.receiptsSeq) {
      this.receiptsSeq = seq;
      this.receiptsOpen = 0;
    }
    this.receiptsOpen++;
    let open = true;
    return {
      receivedAtMs,
      close: () => {
        if (!open) return;
        open = false;
        // A receipt for an older tick's interval was let go by the hold's limit already.
        if (this.receiptsSeq !== seq || --this.receiptsOpen > 0 || !this.held || !this.timer) return;
        clearTimeout(this.timer);
        this.advance();
      },
    };
  }

  /** The real instant from which the buffer is refilled at start: samples received since then (less the expiry) matter. */
  refillFromMs(): number {
    return dueAt(this.clock, seqAt(this.clock, this.now()) - this.buffer.capacity + 1);
  }

  /** The newest tick's sequence number (-1 before the first). */
  get currentSeq(): number {
    return this.lastSeq;
  }

  /** Every new tick, once. Revisions are not repeated here: rollups and alerts see each tick once. */
  onTick(listener: TickListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every revision of the newest tick (see the class comment), before the next tick is produced. */
  onRevision(listener: RevisionListener): () => void {
    this.revisionListeners.add(listener);
    return () => this.revisionListeners.delete(listener);
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
      // Everything received by the end of the tick's interval: what its last revision showed.
      const closeMs = closeOf(this.clock, seq);
      const from = next;
      while (next < stored.length && stored[next]!.receivedAtMs <= closeMs) next++;
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
    clearTimeout(this.revisionTimer);
    this.revisionTimer = undefined;
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

  /**
   * Tick `seq` from what is held now. `previous`: the version of the same tick already sent (a
   * revision), whose simulated values are kept — an incident triggered since starts at the next tick.
   */
  private produce(seq: number, previous?: FullTick): FullTick {
    const instantMs = simulatedInstant(this.clock, seq);
    const realMs = closeOf(this.clock, seq);
    const limits = this.measuredLimits;
    let simulated: number[] | undefined;
    const values: (number | null)[] = new Array<number | null>(SERIES_COUNT);
    const provenance: SeriesProvenance[] = new Array<SeriesProvenance>(SERIES_COUNT);
    for (let index = 0; index < SERIES_COUNT; index++) {
      const reading = this.measured[index]!.readAt(realMs, limits);
      provenance[index] = reading.provenance;
      if (reading.provenance === "simulated") {
        if (previous?.provenance[index] === "simulated") values[index] = previous.values[index]!;
        else {
          // The model computes all 21 at once; only when some series needs it.
          simulated ??= this.model.valuesAt(instantMs, this.manualIncidents);
          values[index] = simulated[index]!;
        }
      } else values[index] = reading.connections;
    }
    return { seq, instantMs, values, provenance, codes: encodeProvenance(provenance) };
  }

  private schedule(): void {
    const delay = Math.max(0, dueAt(this.clock, this.lastSeq + 1) - this.now());
    this.timer = setTimeout(() => this.advance(), delay);
  }

  private scheduleRevision(): void {
    if (this.revisionTimer) return;
    const delay = Math.max(REVISION_COALESCE_MS, this.lastRevisionAtMs + REVISION_GAP_MS - this.now());
    this.revisionTimer = setTimeout(() => this.revise(), delay);
  }

  /** Re-produces the newest tick with the samples accepted since it was sent, and sends it if any shows. */
  private revise(): void {
    clearTimeout(this.revisionTimer);
    this.revisionTimer = undefined;
    const current = this.buffer.last();
    if (!current || current.seq !== this.lastSeq) return;
    const revised = this.produce(current.seq, current);
    if (revised.codes === current.codes && revised.values.every((value, index) => value === current.values[index])) return;
    this.lastRevisionAtMs = this.now();
    this.buffer.replaceLast(revised);
    metrics.tickRevisions.inc();
    for (const listener of this.revisionListeners) {
      try {
        listener(revised, current);
      } catch (error) {
        log.error("tick revision listener failed", { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      }
    }
  }

  private advance(): void {
    const holdUntilMs = dueAt(this.clock, this.lastSeq + 1) + Math.min(RECEIPT_HOLD_MS, this.clock.tickMs / 2);
    if (this.receiptsOpen > 0 && this.receiptsSeq === this.lastSeq && this.now() < holdUntilMs) {
      this.held = true;
      this.timer = setTimeout(() => this.advance(), holdUntilMs - this.now());
      return;
    }
    this.held = false;
    // Samples stamped inside the newest tick's interval are sent in it before the next tick goes
    // out, as a refill after a restart would show them.
    if (this.revisionTimer) this.revise();
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

/** The last real millisecond of tick `seq`'s interval: the instant its measured values are judged at. */
function closeOf(clock: TickClock, seq: number): number {
  return dueAt(clock, seq + 1) - 1;
}
