import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SERIES } from "./series";
import { frameAtOrBefore, groupByOperator, groupBySector, historyFrames, kpiFigures, relativeChange, sumOf } from "./aggregate";

describe("aggregation", () => {
  it("sums the groups of a view to its total, whatever the values", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000_000 }), { minLength: 21, maxLength: 21 }), (values) => {
        const total = sumOf(values);
        const byOperator = groupByOperator(SERIES).map((group) => sumOf(values, group.indexes)!);
        const bySector = groupBySector(SERIES).map((group) => sumOf(values, group.indexes)!);
        expect(byOperator.reduce((a, b) => a + b, 0)).toBe(total);
        expect(bySector.reduce((a, b) => a + b, 0)).toBe(total);
      }),
    );
  });

  it("skips missing values and says null when all are missing", () => {
    expect(sumOf([1, null, 2])).toBe(3);
    expect(sumOf([null, null])).toBeNull();
  });

  it("groups a filtered view by what it shows", () => {
    const view = SERIES.filter((series) => series.sector === "energy" || series.sector === "retail");
    expect(groupByOperator(view).map((group) => [group.slug, group.indexes])).toEqual([
      ["china-mobile", [0, 1]],
      ["china-unicom", [2, 3]],
      ["china-telecom", [4, 5]],
    ]);
    expect(groupBySector(view).map((group) => group.slug)).toEqual(["energy", "retail"]);
  });

  it("computes relative change, refusing what cannot be compared", () => {
    expect(relativeChange(100, 110)).toBeCloseTo(0.1);
    expect(relativeChange(0, 5)).toBeNull();
    expect(relativeChange(null, 5)).toBeNull();
  });

  it("finds the frame at or before an instant", () => {
    const frames = [10, 20, 30].map((t) => ({ t, values: [t] }));
    expect(frameAtOrBefore(frames, 25)?.t).toBe(20);
    expect(frameAtOrBefore(frames, 30)?.t).toBe(30);
    expect(frameAtOrBefore(frames, 5)).toBeUndefined();
  });

  it("turns history into frames on the shared axis", () => {
    const frames = historyFrames({
      from: "2026-01-01T00:00:00.000Z",
      to: "2026-01-01T00:04:00.000Z",
      resolutionSeconds: 120,
      provenance: "simulated",
      buckets: [0, 120_000],
      series: [
        { operator: "china-mobile", sector: "energy", provenance: "simulated", mean: [5, null], min: [4, null], max: [6, null] },
        { operator: "china-mobile", sector: "retail", provenance: "simulated", mean: [1, 2], min: [1, 2], max: [1, 2] },
      ],
    });
    expect(frames).toEqual([
      { t: 0, spanMs: 120_000, values: [5, 1] },
      { t: 120_000, spanMs: 120_000, values: [null, 2] },
    ]);
  });
});

describe("kpiFigures", () => {
  const ticks = [
    { t: 0, v: [100, 50] },
    { t: 30_000, v: [110, 55] },
    { t: 60_000, v: [120, null] },
  ];
  const hour = [{ t: -3_600_000, values: [80, 40] }];

  it("sums the newest tick and compares with a minute and an hour before", () => {
    expect(kpiFigures(ticks, hour)).toEqual({ value: 120, minuteChange: (120 - 150) / 150, hourChange: 0 });
    expect(kpiFigures(ticks, hour, [0])).toEqual({ value: 120, minuteChange: 0.2, hourChange: 0.5 });
  });

  it("says nothing without a tick, and no change without something to compare with", () => {
    expect(kpiFigures([], hour)).toEqual({ value: null, minuteChange: null, hourChange: null });
    expect(kpiFigures(ticks.slice(1), [], [1])).toEqual({ value: null, minuteChange: null, hourChange: null });
  });
});
