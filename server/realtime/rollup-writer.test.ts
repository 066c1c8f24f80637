import { describe, expect, it } from "vitest";
import { MINUTE_MS } from "@/lib/domain/rollups";
import { SERIES_COUNT } from "@/lib/domain/series";
import type { RollupRow } from "@/lib/db/rollups";
import { RollupWriter } from "./rollup-writer";
import type { FullTick, TickListener, TickSource } from "./tick-source";

/** Just enough of a TickSource: the writer only listens to ticks. */
function fakeSource() {
  const listeners = new Set<TickListener>();
  let seq = 0;
  return {
    source: { onTick: (listener: TickListener) => (listeners.add(listener), () => listeners.delete(listener)) } as unknown as TickSource,
    tick(instantMs: number) {
      const tick: FullTick = { seq: seq++, instantMs, values: Array<number>(SERIES_COUNT).fill(100), provenance: Array(SERIES_COUNT).fill("simulated"), codes: "" };
      for (const listener of listeners) listener(tick);
    },
  };
}

const T0 = 1_800_000_000_000 - (1_800_000_000_000 % MINUTE_MS);
const tenSecondTicks = (fromMs: number, toMs: number) => Array.from({ length: (toMs - fromMs) / 10_000 }, (_, index) => fromMs + index * 10_000);

function writerOn(options: Partial<ConstructorParameters<typeof RollupWriter>[0]> = {}) {
  const { source, tick } = fakeSource();
  const written: RollupRow[] = [];
  const writer = new RollupWriter({ source, write: async (rows) => void written.push(...rows), flushMs: 60_000, ...options });
  writer.start();
  return { writer, tick, written, minutes: () => [...new Set(written.map((row) => row.minuteMs))] };
}

describe("RollupWriter under the lease", () => {
  it("writes nothing while another node leads, and from the minute it takes over in once it leads", async () => {
    const { writer, tick, minutes } = writerOn();
    for (const at of tenSecondTicks(T0, T0 + 2 * MINUTE_MS)) tick(at);
    await writer.flush();
    expect(minutes()).toEqual([]);

    writer.lead(T0 + 2 * MINUTE_MS);
    for (const at of tenSecondTicks(T0 + 2 * MINUTE_MS, T0 + 4 * MINUTE_MS + 10_000)) tick(at);
    await writer.flush();
    expect(minutes()).toEqual([T0 + 2 * MINUTE_MS, T0 + 3 * MINUTE_MS]);
    await writer.close();
  });

  it("drops what waits when the lease is lost (the next holder back-fills it)", async () => {
    const { writer, tick, written } = writerOn();
    writer.lead(T0);
    for (const at of tenSecondTicks(T0, T0 + MINUTE_MS + 10_000)) tick(at);
    expect(writer.pendingRows).toBe(SERIES_COUNT);
    writer.follow();
    expect(writer.pendingRows).toBe(0);
    await writer.close();
    expect(written).toEqual([]);
  });

  it("in a cluster, completes the minute it saw only in part from the back-fill, and leaves the minute in progress at close to the next holder", async () => {
    const completed = (minuteMs: number): RollupRow[] =>
      Array.from({ length: SERIES_COUNT }, () => ({ operator: "china-mobile", sector: "energy", minuteMs, min: 1, max: 2, mean: 1.5, last: 2, samples: 6, backfilled: true }));
    const { writer, tick, written } = writerOn({ completeMinute: completed, closeWritesMinuteInProgress: false });
    writer.lead(T0);
    // Started 30 s into the minute: its first minute is partial.
    for (const at of tenSecondTicks(T0 + 30_000, T0 + 2 * MINUTE_MS + 20_000)) tick(at);
    await writer.close();
    const first = written.filter((row) => row.minuteMs === T0);
    expect(first).toHaveLength(SERIES_COUNT);
    expect(first.every((row) => row.backfilled && row.samples === 6)).toBe(true);
    const second = written.filter((row) => row.minuteMs === T0 + MINUTE_MS);
    expect(second.every((row) => !row.backfilled && row.samples === 6)).toBe(true);
    expect(written.some((row) => row.minuteMs === T0 + 2 * MINUTE_MS)).toBe(false);
  });

  it("standalone, writes the minute in progress at close, as it always did", async () => {
    const { writer, tick, minutes } = writerOn();
    writer.lead(T0);
    for (const at of tenSecondTicks(T0 + 30_000, T0 + MINUTE_MS + 20_000)) tick(at);
    await writer.close();
    expect(minutes()).toEqual([T0, T0 + MINUTE_MS]);
  });
});
