import type { SeriesProvenance } from "@/lib/contracts/ingest";

/**
 * Measured samples in the live stream (issue 11): which value, and which provenance, a series
 * shows at a tick. Pure: the tick source feeds it samples and asks it about instants in order.
 *
 * The rules, at a tick whose (real) instant is T:
 * - a sample is *visible* once `receivedAtMs ≤ T` — from when this server accepted it, so a restart
 *   rebuilds exactly the ticks it sent (a late sample corrects history, not ticks already drawn);
 * - the value is the visible sample with the greatest `atMs ≤ T`, held until a newer one (never
 *   interpolated);
 * - provenance: "measured" while T − that sample's `atMs` ≤ staleMs, "stale" (value held) until
 *   expireMs, then "simulated" (the simulator's value) or "none" (null) when the simulator is off.
 */
export interface MeasuredLimits {
  staleMs: number;
  expireMs: number;
  /** false (SIMULATOR=off): a series without measurements has no value. */
  simulator: boolean;
}

export interface MeasuredPoint {
  connections: number;
  atMs: number;
  receivedAtMs: number;
}

export interface SeriesReading {
  provenance: SeriesProvenance;
  /** The measured value for "measured" and "stale"; null otherwise (the caller asks the simulator for "simulated"). */
  connections: number | null;
}

/**
 * The most samples held per series. Normally a series holds one or two (the one shown and any
 * not yet due); only a sender that floods future-dated samples within the allowed clock skew
 * could pile more up, and then the oldest go first.
 */
export const MAX_HELD_PER_SERIES = 4_096;

/** The reading at `instantMs` from any list of samples (the reference the incremental form must agree with). */
export function readingAt(points: readonly MeasuredPoint[], instantMs: number, limits: MeasuredLimits): SeriesReading {
  let best: MeasuredPoint | undefined;
  for (const point of points) {
    if (point.receivedAtMs > instantMs || point.atMs > instantMs) continue;
    if (!best || point.atMs > best.atMs) best = point;
  }
  return classify(best, instantMs, limits);
}

function classify(best: MeasuredPoint | undefined, instantMs: number, limits: MeasuredLimits): SeriesReading {
  const age = best ? instantMs - best.atMs : Infinity;
  if (best && age <= limits.staleMs) return { provenance: "measured", connections: best.connections };
  if (best && age <= limits.expireMs) return { provenance: "stale", connections: best.connections };
  return { provenance: limits.simulator ? "simulated" : "none", connections: null };
}

/**
 * One series' samples that can still matter for ticks at or after the last instant read: the one
 * shown, and those not yet due (received later, or measured later). Asking for instants in order
 * keeps it small; everything older or overtaken is forgotten as it is passed.
 */
export class MeasuredSeries {
  /** Ordered by atMs, one per atMs. */
  private points: MeasuredPoint[] = [];

  get size(): number {
    return this.points.length;
  }

  add(point: MeasuredPoint): void {
    const points = this.points;
    let index = points.length;
    while (index > 0 && points[index - 1]!.atMs > point.atMs) index--;
    // The same instant twice is one sample (storage keeps the first): keep the one held.
    if (index > 0 && points[index - 1]!.atMs === point.atMs) return;
    points.splice(index, 0, point);
    if (points.length > MAX_HELD_PER_SERIES) points.splice(0, points.length - MAX_HELD_PER_SERIES);
  }

  /**
   * The reading at `instantMs`, then forgets what no later instant can show. Instants must not go
   * backwards (a tick source reads each tick once, in order).
   */
  readAt(instantMs: number, limits: MeasuredLimits): SeriesReading {
    const points = this.points;
    let bestIndex = -1;
    for (let index = 0; index < points.length; index++) {
      const point = points[index]!;
      if (point.atMs > instantMs) break;
      if (point.receivedAtMs <= instantMs) bestIndex = index;
    }
    const best = bestIndex >= 0 ? points[bestIndex] : undefined;
    const reading = classify(best, instantMs, limits);
    // Overtaken: anything measured no later than the sample shown (it stays the better one), and
    // anything measured before the expiry limit (it could only ever read as simulated or none).
    let keepFrom = Math.max(0, bestIndex);
    while (keepFrom < points.length && points[keepFrom]!.atMs < instantMs - limits.expireMs) keepFrom++;
    if (keepFrom > 0) this.points = points.slice(keepFrom);
    return reading;
  }
}
