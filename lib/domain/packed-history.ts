import type { HistoryResponse } from "@/lib/contracts/history";
import type { Frame } from "./aggregate";

/**
 * What the hub draws of a history: the buckets and each series' mean, as typed arrays (NaN where
 * the answer has null) whose buffers are transferred to the worker, not copied. A day is 21 × 1,440
 * means: structured-cloning the whole answer (min and max too) was one of the longest pieces of
 * the page's thread when a slow device switched to the 24-hour view.
 */
export interface PackedHistory {
  resolutionSeconds: number;
  buckets: Float64Array;
  means: Float64Array[];
}

export function packHistory(history: HistoryResponse): { packed: PackedHistory; transfer: ArrayBuffer[] } {
  const buckets = Float64Array.from(history.buckets);
  const means = history.series.map((series) => {
    const out = new Float64Array(series.mean.length);
    series.mean.forEach((value, index) => (out[index] = value ?? Number.NaN));
    return out;
  });
  return { packed: { resolutionSeconds: history.resolutionSeconds, buckets, means }, transfer: [buckets.buffer, ...means.map((mean) => mean.buffer)] };
}

/** The frames the hub draws from a packed history (as historyFrames makes them from an answer). */
export function packedHistoryFrames(packed: PackedHistory): Frame[] {
  const spanMs = packed.resolutionSeconds * 1000;
  return Array.from(packed.buckets, (t, index) => ({ t, spanMs, values: packed.means.map((mean) => (Number.isNaN(mean[index]!) ? null : mean[index]!)) }));
}
