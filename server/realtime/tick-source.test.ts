import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { StoredSample } from "@/lib/contracts/ingest";
import { ConnectionModel } from "@/lib/domain/simulator/model";
import { seriesIndex } from "@/lib/domain/series";
import { RECEIPT_HOLD_MS, REVISION_COALESCE_MS, REVISION_GAP_MS, TickSource, type FullTick } from "./tick-source";

/**
 * A restart must not change what a resuming screen gets: the ticks a fresh source refills from
 * the stored samples are the ticks the running source sent, revisions included. The receipt stamp
 * is what makes the two agree (a sample shows from the tick whose interval holds its receipt).
 */
describe("TickSource with measured samples", () => {
  const clock = { tickMs: 1000, speed: 1, anchorMs: 0 };
  const source = () =>
    new TickSource({ model: new ConnectionModel("tick-source-test"), clock, bufferTicks: 30, measured: { staleMs: 60_000, expireMs: 120_000, simulator: true }, now: () => Date.now() });
  const shown = (ticks: FullTick[]) => ticks.map(({ seq, values, codes }) => ({ seq, values, codes }));
  const ENERGY = seriesIndex("china-mobile", "energy");
  const RETAIL = seriesIndex("china-unicom", "retail");
  /** Stamped as the ingest pipeline stamps it; measured just now (after the newest tick's due time), as a live feed's samples are. */
  const sampleFor = (running: TickSource, connections: number, sector: "energy" | "retail" = "energy"): StoredSample => ({
    operator: sector === "energy" ? "china-mobile" : "china-unicom",
    sector,
    connections,
    atMs: Date.now(),
    receivedAtMs: running.receiptTime(),
    source: "http",
  });
  /** Everything the source sent, in order: new ticks and revisions. */
  const record = (running: TickSource) => {
    const sent: { kind: "tick" | "revision"; tick: FullTick; atMs: number }[] = [];
    running.onTick((tick) => sent.push({ kind: "tick", tick, atMs: Date.now() }));
    running.onRevision((tick) => sent.push({ kind: "revision", tick, atMs: Date.now() }));
    return sent;
  };

  beforeEach(() => {
    vi.useFakeTimers();
    // Half-way between two ticks.
    vi.setSystemTime(1_800_000_000_500);
  });
  afterEach(() => vi.useRealTimers());

  it("revises the newest tick for a sample accepted between two ticks, and refills after a restart exactly the ticks it sent", () => {
    const running = source();
    const sent = record(running);
    running.start();
    vi.advanceTimersByTime(1_000);
    const newest = running.currentSeq;
    const firstVersion = running.latest(1)[0]!;

    // Accepted a moment after the newest tick was sent, as the ingest pipeline stamps it.
    vi.advanceTimersByTime(200);
    const sample = sampleFor(running, 123_456);
    running.acceptMeasured([sample]);
    expect(sent.at(-1)!.kind).toBe("tick"); // not yet: it waits for the rest of its burst
    vi.advanceTimersByTime(REVISION_COALESCE_MS);

    // The same tick again, now measured for that series, simulated values as first sent.
    const revision = sent.at(-1)!;
    expect(revision.kind).toBe("revision");
    expect(revision.tick.seq).toBe(newest);
    expect(revision.tick.values[ENERGY]).toBe(123_456);
    expect(revision.tick.provenance[ENERGY]).toBe("measured");
    expect(revision.tick.codes[ENERGY]).toBe("m");
    expect(revision.tick.values.filter((_, index) => index !== ENERGY)).toEqual(firstVersion.values.filter((_, index) => index !== ENERGY));
    // It replaced the buffered tick: snapshots and resumes give the revised one.
    expect(running.latest(1)[0]).toBe(revision.tick);

    vi.advanceTimersByTime(3_000);
    const live = running.latest(6);
    running.stop();
    expect(live.filter((tick) => tick.seq >= newest).map((tick) => tick.values[ENERGY])).toEqual([123_456, 123_456, 123_456, 123_456]);
    expect(live.find((tick) => tick.seq === newest - 1)!.provenance[ENERGY]).toBe("simulated");

    const restarted = source();
    restarted.start([sample]);
    // The refill stops before the tick due now, which the restarted source then produces at once.
    vi.advanceTimersByTime(0);
    expect(shown(restarted.latest(6))).toEqual(shown(live));
    restarted.stop();
  });

  it("sends a pending revision before the next tick, so the live stream still matches a refill", () => {
    const running = source();
    const sent = record(running);
    running.start();
    vi.advanceTimersByTime(1_000);
    const newest = running.currentSeq;
    // Accepted 3 ms before the next tick is due: its revision would wait longer than that, so the
    // next tick sends it first (the refill shows the sample in the tick its receipt falls in).
    vi.advanceTimersByTime((newest + 1) * 1000 - 3 - Date.now());
    const sample = sampleFor(running, 4_321);
    expect(sample.receivedAtMs).toBe((newest + 1) * 1000 - 3);
    running.acceptMeasured([sample]);
    vi.advanceTimersByTime(3);
    const after = sent.filter((entry) => entry.tick.seq >= newest).map((entry) => [entry.kind, entry.tick.seq, entry.tick.values[ENERGY]]);
    expect(after.slice(0, 3)).toEqual([
      ["tick", newest, expect.any(Number)],
      ["revision", newest, 4_321],
      ["tick", newest + 1, 4_321],
    ]);
    vi.advanceTimersByTime(2_000);
    const live = running.latest(5);
    running.stop();

    const restarted = source();
    restarted.start([sample]);
    vi.advanceTimersByTime(0);
    expect(shown(restarted.latest(5))).toEqual(shown(live));
    restarted.stop();
  });

  it("coalesces a burst into one revision, keeps revisions apart, and never hands them to tick listeners", () => {
    const running = source();
    const sent = record(running);
    running.start();
    vi.advanceTimersByTime(1_000);
    const newest = running.currentSeq;
    vi.advanceTimersByTime(100);

    // A hundred batches within a few ms: one revision, carrying the latest of them.
    for (let batch = 0; batch < 100; batch++) {
      running.acceptMeasured([{ ...sampleFor(running, 1_000 + batch), atMs: Date.now() - 100 + batch }]);
      if (batch % 20 === 19) vi.advanceTimersByTime(1);
    }
    vi.advanceTimersByTime(REVISION_COALESCE_MS);
    const revisions = () => sent.filter((entry) => entry.kind === "revision");
    expect(revisions()).toHaveLength(1);
    expect(revisions()[0]!.tick.values[ENERGY]).toBe(1_099);

    // The next sample waits for the gap since the last revision, then goes out alone.
    running.acceptMeasured([sampleFor(running, 7, "retail")]);
    vi.advanceTimersByTime(REVISION_COALESCE_MS);
    expect(revisions()).toHaveLength(1);
    vi.advanceTimersByTime(REVISION_GAP_MS);
    expect(revisions()).toHaveLength(2);
    expect(revisions()[1]!.atMs - revisions()[0]!.atMs).toBeGreaterThanOrEqual(REVISION_GAP_MS);
    expect(revisions()[1]!.tick.values[RETAIL]).toBe(7);
    expect(revisions()[1]!.tick.seq).toBe(newest);

    // A sample that changes nothing shown (an older one than the series holds) sends nothing.
    running.acceptMeasured([{ ...sampleFor(running, 5, "retail"), atMs: Date.now() - 10_000 }]);
    vi.advanceTimersByTime(REVISION_GAP_MS);
    expect(revisions()).toHaveLength(2);

    // Tick listeners (rollups, alerts) saw each tick once, in order.
    vi.advanceTimersByTime(3_000);
    running.stop();
    const ticks = sent.filter((entry) => entry.kind === "tick").map((entry) => entry.tick.seq);
    expect(ticks).toEqual(Array.from({ length: ticks.length }, (_, offset) => ticks[0]! + offset));
  });

  it("holds the next tick for samples still being stored under an open receipt, briefly, so the refill still agrees", () => {
    const running = source();
    const sent = record(running);
    running.start();
    vi.advanceTimersByTime(1_000);
    const newest = running.currentSeq;
    // Stamped 100 ms before the next tick is due; its commit takes 150 ms.
    vi.advanceTimersByTime((newest + 1) * 1000 - 100 - Date.now());
    const receipt = running.openReceipt();
    vi.advanceTimersByTime(150);
    expect(running.currentSeq).toBe(newest); // held: due 50 ms ago
    const sample: StoredSample = { operator: "china-mobile", sector: "energy", connections: 2_468, atMs: receipt.receivedAtMs - 5, receivedAtMs: receipt.receivedAtMs, source: "http" };
    running.acceptMeasured([sample]);
    receipt.close();
    // At once: the revision that shows it, then the next tick.
    expect(sent.slice(-2).map((entry) => [entry.kind, entry.tick.seq, entry.tick.values[ENERGY]])).toEqual([
      ["revision", newest, 2_468],
      ["tick", newest + 1, 2_468],
    ]);

    // A receipt never closed (a commit that hangs) holds the next tick no longer than the limit.
    vi.advanceTimersByTime(600);
    running.openReceipt();
    const dueMs = (running.currentSeq + 1) * 1000;
    vi.advanceTimersByTime(dueMs - Date.now() + RECEIPT_HOLD_MS - 1);
    expect(running.currentSeq).toBe(newest + 1);
    vi.advanceTimersByTime(1);
    expect(running.currentSeq).toBe(newest + 2);
    vi.advanceTimersByTime(2_000);
    const live = running.latest(6);
    running.stop();
    expect(sent.filter((entry) => entry.kind === "tick").map((entry) => entry.tick.seq).slice(-4)).toEqual([newest + 1, newest + 2, newest + 3, newest + 4]);

    const restarted = source();
    restarted.start([sample]);
    vi.advanceTimersByTime(0);
    expect(shown(restarted.latest(6))).toEqual(shown(live));
    restarted.stop();
  });

  it("stamps a receipt inside the newest tick's interval, whatever the clock says", () => {
    const running = source();
    running.start();
    vi.advanceTimersByTime(1_000);
    const dueMs = running.currentSeq * 1000;
    vi.setSystemTime(dueMs);
    expect(running.receiptTime()).toBe(dueMs);
    vi.setSystemTime(dueMs + 400);
    expect(running.receiptTime()).toBe(dueMs + 400);
    vi.setSystemTime(dueMs + 5_000);
    expect(running.receiptTime()).toBe(dueMs + 999);
    running.stop();
  });
});
