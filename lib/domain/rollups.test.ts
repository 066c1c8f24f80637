import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MINUTE_MS, RollupAccumulator, chooseResolutionSeconds } from "./rollups";
import { SERIES_COUNT } from "./series";

const tick = (value: number) => Array.from({ length: SERIES_COUNT }, (_, index) => value + index);

describe("RollupAccumulator", () => {
  it("folds one minute of ticks into min, max, sum, samples and last, handed over when the next minute starts", () => {
    const accumulator = new RollupAccumulator();
    const start = 10 * MINUTE_MS;
    expect(accumulator.add(start, tick(100))).toEqual([]);
    expect(accumulator.add(start + 20_000, tick(50))).toEqual([]);
    expect(accumulator.add(start + 59_999, tick(80))).toEqual([]);
    const finished = accumulator.add(start + MINUTE_MS, tick(90));
    expect(finished).toHaveLength(SERIES_COUNT);
    expect(finished[2]).toEqual({ seriesIndex: 2, minuteMs: start, min: 52, max: 102, sum: 102 + 52 + 82, samples: 3, last: 82 });
    expect(accumulator.drain()[0]).toMatchObject({ minuteMs: start + MINUTE_MS, samples: 1, last: 90 });
    expect(accumulator.drain()).toEqual([]);
  });

  it("adds nothing for a null value: a series without a value all minute has no rollup", () => {
    const accumulator = new RollupAccumulator();
    const start = 10 * MINUTE_MS;
    const partly = tick(100).map((value, index) => (index === 0 ? null : index === 1 ? (value > 0 ? null : value) : value));
    accumulator.add(start, partly);
    accumulator.add(start + 1_000, tick(100).map((value, index) => (index === 0 ? null : value)));
    const finished = accumulator.drain();
    expect(finished).toHaveLength(SERIES_COUNT - 1);
    expect(finished.find((rollup) => rollup.seriesIndex === 1)).toMatchObject({ samples: 1, last: 101 });
  });
});

describe("chooseResolutionSeconds", () => {
  it("keeps every range at or under 1,000 points, at the finest step that does", () => {
    fc.assert(
      fc.property(fc.integer({ min: MINUTE_MS, max: 31 * 86_400_000 }), (rangeMs) => {
        const step = chooseResolutionSeconds(rangeMs);
        expect(Math.ceil(rangeMs / (step * 1000))).toBeLessThanOrEqual(1000);
      }),
    );
    expect(chooseResolutionSeconds(60 * MINUTE_MS)).toBe(60);
    expect(chooseResolutionSeconds(24 * 60 * MINUTE_MS)).toBe(120);
    expect(chooseResolutionSeconds(7 * 24 * 60 * MINUTE_MS)).toBe(900);
  });
});
