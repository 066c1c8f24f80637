import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { StoredSample } from "@/lib/contracts/ingest";
import { ConnectionModel } from "@/lib/domain/simulator/model";
import { seriesIndex } from "@/lib/domain/series";
import { TickSource, type FullTick } from "./tick-source";

/**
 * A restart must not change what a resuming screen gets: the ticks a fresh source refills from
 * the stored samples are the ticks the running source sent. The receipt stamp is what makes the
 * two agree (a sample shows from the first tick produced after it was accepted).
 */
describe("TickSource with measured samples", () => {
  const clock = { tickMs: 1000, speed: 1, anchorMs: 0 };
  const source = () =>
    new TickSource({ model: new ConnectionModel("tick-source-test"), clock, bufferTicks: 30, measured: { staleMs: 60_000, expireMs: 120_000, simulator: true }, now: () => Date.now() });
  const shown = (ticks: FullTick[]) => ticks.map(({ seq, values, codes }) => ({ seq, values, codes }));

  beforeEach(() => {
    vi.useFakeTimers();
    // Half-way between two ticks.
    vi.setSystemTime(1_800_000_000_500);
  });
  afterEach(() => vi.useRealTimers());

  it("refills after a restart exactly the ticks it sent, for a sample accepted between two ticks", () => {
    const running = source();
    running.start();
    vi.advanceTimersByTime(1_000);
    const sentBefore = running.currentSeq;

    // Accepted a moment after the newest tick was produced, as the ingest pipeline stamps it; measured
    // a few seconds earlier (before that tick), as a feed's samples usually are.
    vi.advanceTimersByTime(200);
    const sample: StoredSample = { operator: "china-mobile", sector: "energy", connections: 123_456, atMs: Date.now() - 3_000, receivedAtMs: running.receiptTime(), source: "http" };
    running.acceptMeasured([sample]);
    vi.advanceTimersByTime(3_000);
    const sent = running.latest(6);
    running.stop();

    const index = seriesIndex("china-mobile", "energy");
    // Live: not in the tick already sent, measured from the next one on.
    expect(sent.find((tick) => tick.seq === sentBefore)!.provenance[index]).toBe("simulated");
    expect(sent.filter((tick) => tick.seq > sentBefore).map((tick) => tick.values[index])).toEqual([123_456, 123_456, 123_456]);

    const restarted = source();
    restarted.start([sample]);
    // The refill stops before the tick due now, which the restarted source then produces at once.
    vi.advanceTimersByTime(0);
    expect(shown(restarted.latest(6))).toEqual(shown(sent));
    restarted.stop();
  });

  it("stamps a receipt after the due time of the newest tick even when the clock has not reached it", () => {
    const running = source();
    running.start();
    vi.advanceTimersByTime(1_000);
    // A clock read as the tick is produced can equal its due time: the stamp still falls after it.
    vi.setSystemTime(running.currentSeq * 1000);
    expect(running.receiptTime()).toBe(running.currentSeq * 1000 + 1);
    running.stop();
  });
});
