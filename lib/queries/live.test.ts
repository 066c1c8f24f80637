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

  it("replaces the newest tick with a revision of it (same s), also one batched with the ticks after it", () => {
    const held = window([1, 2, 3]);
    const revised: Tick = { s: 3, t: 3000, v: [33], p: "m" };
    const once = appendTicks(held, [revised]);
    expect(once.ticks.map((entry) => entry.v[0])).toEqual([1, 2, 33]);
    expect(once.ticks.at(-1)).toBe(revised);
    expect(held.ticks.at(-1)!.v[0]).toBe(3); // the cached window is never changed in place
    // A batch: tick 4, then a revision of 4, then 5; an older repeat is dropped.
    const batch = appendTicks(held, [tick(2), tick(4), { s: 4, t: 4000, v: [44] }, tick(5)]);
    expect(batch.ticks.map((entry) => [entry.s, entry.v[0]])).toEqual([[1, 1], [2, 2], [3, 3], [4, 44], [5, 5]]);
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
