import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Tick } from "@/lib/contracts/realtime";
import { LIVE_CAPACITY, appendTicks, mergeLiveWindows, type LiveWindow } from "./live";

const tick = (s: number): Tick => ({ s, t: s * 1000, v: [s] });
const window = (seqs: number[]): LiveWindow => ({
  mode: "snapshot",
  filter: { operators: ["china-mobile"], sectors: ["energy"] },
  series: [{ operator: "china-mobile", sector: "energy" }],
  ticks: seqs.map(tick),
});
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);

describe("the live window", () => {
  it("appends only newer ticks and never holds more than its capacity", () => {
    const appended = appendTicks(window(range(1, LIVE_CAPACITY)), [tick(LIVE_CAPACITY - 1), tick(LIVE_CAPACITY + 1)]);
    expect(appended.ticks).toHaveLength(LIVE_CAPACITY);
    expect(appended.ticks[0]!.s).toBe(2);
    expect(appended.ticks.at(-1)!.s).toBe(LIVE_CAPACITY + 1);
  });

  it("merges two windows of a filter into every tick of both, once, in order", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 }), (a, b, c, d) => {
        const first = range(Math.min(a, b), Math.max(a, b));
        const second = range(Math.min(c, d), Math.max(c, d));
        const merged = mergeLiveWindows(window(first), window(second)).ticks.map((entry) => entry.s);
        expect(merged).toEqual([...new Set([...first, ...second])].sort((x, y) => x - y));
      }),
    );
  });

  it("takes a full window moved on by a tick as it is (the per-tick case), and still merges one with a hole", () => {
    const full = window(range(1, LIVE_CAPACITY));
    const moved = appendTicks(full, [tick(LIVE_CAPACITY + 1)]);
    expect(mergeLiveWindows(full, moved)).toBe(moved);
    const holed = window([...range(3, LIVE_CAPACITY), LIVE_CAPACITY + 5, LIVE_CAPACITY + 6, LIVE_CAPACITY + 7]);
    const merged = mergeLiveWindows(full, holed).ticks.map((entry) => entry.s);
    expect(merged).toEqual([...range(1, LIVE_CAPACITY), LIVE_CAPACITY + 5, LIVE_CAPACITY + 6, LIVE_CAPACITY + 7].slice(-LIVE_CAPACITY));
  });

  it("takes the newer window whole when the filter changed", () => {
    const other: LiveWindow = { ...window([5]), series: [{ operator: "china-mobile", sector: "energy" }, { operator: "china-mobile", sector: "retail" }] };
    expect(mergeLiveWindows(window([1, 2, 3]), other)).toBe(other);
  });
});
