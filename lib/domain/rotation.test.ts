import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { msUntilNext, rotate, type RotationState } from "./rotation";

const dwells = [30_000, 10_000, 20_000];
const start: RotationState = { index: 0, paused: false, shownAtMs: 0 };

describe("rotation", () => {
  it("shows each view for its dwell, in order, and starts again after the last", () => {
    let state = start;
    const shown: [number, number][] = [[0, 0]];
    for (let now = 0; now <= 130_000; now += 1_000) {
      const next = rotate(state, { type: "advance", nowMs: now }, dwells);
      if (next.index !== state.index) shown.push([next.index, now]);
      state = next;
    }
    expect(shown).toEqual([
      [0, 0],
      [1, 30_000],
      [2, 40_000],
      [0, 60_000],
      [1, 90_000],
      [2, 100_000],
      [0, 120_000],
    ]);
  });

  it("holds still while paused, and gives a full dwell after resuming", () => {
    let state = rotate(start, { type: "toggle-pause", nowMs: 5_000 }, dwells);
    state = rotate(state, { type: "advance", nowMs: 500_000 }, dwells);
    expect(state.index).toBe(0);
    expect(msUntilNext(state, dwells, 500_000)).toBe(Infinity);
    state = rotate(state, { type: "toggle-pause", nowMs: 500_000 }, dwells);
    expect(msUntilNext(state, dwells, 500_000)).toBe(30_000);
  });

  it("steps both ways around the ring", () => {
    expect(rotate(start, { type: "step", by: -1, nowMs: 1 }, dwells).index).toBe(2);
    expect(rotate({ ...start, index: 2 }, { type: "step", by: 1, nowMs: 1 }, dwells).index).toBe(0);
  });

  it("always lands on an existing view", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("advance", "step+", "step-", "pause"), { maxLength: 200 }), (actions) => {
        let state = start;
        let now = 0;
        for (const action of actions) {
          now += 7_000;
          state = rotate(
            state,
            action === "advance" ? { type: "advance", nowMs: now } : action === "pause" ? { type: "toggle-pause", nowMs: now } : { type: "step", by: action === "step+" ? 1 : -1, nowMs: now },
            dwells,
          );
          expect(state.index).toBeGreaterThanOrEqual(0);
          expect(state.index).toBeLessThan(dwells.length);
        }
      }),
    );
  });
});
