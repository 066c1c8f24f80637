import { describe, expect, it } from "vitest";
import { bucketStarts, toHistorySeries } from "./history";

describe("history layout", () => {
  it("aligns buckets to the step and covers the range", () => {
    expect(bucketStarts(90_000, 330_000, 120)).toEqual([0, 120_000, 240_000]);
  });

  it("puts each bucket at its place on the shared axis, with null where nothing was recorded", () => {
    const series = toHistorySeries(
      [
        { operator: "china-mobile", sector: "energy", bucketMs: 120_000, min: 9, max: 12, mean: 10.6, minutes: 2, measuredMinutes: 0 },
        { operator: "china-mobile", sector: "energy", bucketMs: 0, min: 5, max: 7, mean: 6, minutes: 2, measuredMinutes: 0 },
      ],
      [0, 120_000, 240_000],
      { operators: ["china-mobile"], sectors: ["energy", "retail"] },
    );
    expect(series).toEqual([
      { operator: "china-mobile", sector: "energy", provenance: "simulated", mean: [6, 11, null], min: [5, 9, null], max: [7, 12, null] },
      { operator: "china-mobile", sector: "retail", provenance: "none", mean: [null, null, null], min: [null, null, null], max: [null, null, null] },
    ]);
  });

  it("says per series whether its history is measured, simulated or a mix of both", () => {
    const bucket = (bucketMs: number, minutes: number, measuredMinutes: number) =>
      ({ operator: "china-mobile", sector: "energy", bucketMs, min: 1, max: 1, mean: 1, minutes, measuredMinutes }) as const;
    const of = (...rows: ReturnType<typeof bucket>[]) =>
      toHistorySeries(rows, [0, 120_000], { operators: ["china-mobile"], sectors: ["energy"] })[0]!.provenance;
    expect(of(bucket(0, 2, 2), bucket(120_000, 1, 1))).toBe("measured");
    expect(of(bucket(0, 2, 0), bucket(120_000, 2, 2))).toBe("mixed");
    expect(of(bucket(0, 2, 1))).toBe("mixed");
    expect(of()).toBe("none");
  });
});
