import { describe, expect, it } from "vitest";
import { bucketStarts, toHistorySeries } from "./history";

describe("history layout", () => {
  it("aligns buckets to the step and covers the range", () => {
    expect(bucketStarts(90_000, 330_000, 120)).toEqual([0, 120_000, 240_000]);
  });

  it("puts each bucket at its place on the shared axis, with null where nothing was recorded", () => {
    const series = toHistorySeries(
      [
        { operator: "china-mobile", sector: "energy", bucketMs: 120_000, min: 9, max: 12, mean: 10.6 },
        { operator: "china-mobile", sector: "energy", bucketMs: 0, min: 5, max: 7, mean: 6 },
      ],
      [0, 120_000, 240_000],
      { operators: ["china-mobile"], sectors: ["energy", "retail"] },
    );
    expect(series).toEqual([
      { operator: "china-mobile", sector: "energy", mean: [6, 11, null], min: [5, 9, null], max: [7, 12, null] },
      { operator: "china-mobile", sector: "retail", mean: [null, null, null], min: [null, null, null], max: [null, null, null] },
    ]);
  });
});
