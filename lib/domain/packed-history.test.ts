import { describe, expect, it } from "vitest";
import type { HistoryResponse } from "@/lib/contracts/history";
import { historyFrames } from "./aggregate";
import { packHistory, packedHistoryFrames } from "./packed-history";

const history: HistoryResponse = {
  from: "2026-01-01T00:00:00.000Z",
  to: "2026-01-01T00:03:00.000Z",
  resolutionSeconds: 60,
  provenance: "mixed",
  buckets: [1_767_225_600_000, 1_767_225_660_000, 1_767_225_720_000],
  series: [
    { operator: "china-mobile", sector: "energy", provenance: "simulated", mean: [1, null, 2.5], min: [1, null, 2], max: [1, null, 3] },
    { operator: "china-mobile", sector: "retail", provenance: "measured", mean: [null, 0, 5], min: [null, 0, 5], max: [null, 0, 5] },
  ],
};

describe("packed history", () => {
  it("gives the chart hub the same frames as the answer it was packed from, nulls and zeros included", () => {
    expect(packedHistoryFrames(packHistory(history).packed)).toEqual(historyFrames(history));
  });

  it("hands over one buffer per array, for the worker to take without a copy", () => {
    const { packed, transfer } = packHistory(history);
    expect(transfer).toHaveLength(1 + history.series.length);
    expect(transfer[0]).toBe(packed.buckets.buffer);
    expect(new Set(transfer).size).toBe(transfer.length);
  });
});
