import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_HELD_PER_SERIES, MeasuredSeries, readingAt, type MeasuredLimits, type MeasuredPoint } from "./measured";

const LIMITS: MeasuredLimits = { staleMs: 180_000, expireMs: 3_600_000, simulator: true };
const point = (atMs: number, connections: number, receivedAtMs = atMs): MeasuredPoint => ({ atMs, connections, receivedAtMs });

describe("readingAt", () => {
  it("holds the latest visible sample, then turns stale, then simulated", () => {
    const points = [point(1_000, 10), point(61_000, 20)];
    expect(readingAt(points, 500, LIMITS)).toEqual({ provenance: "simulated", connections: null });
    expect(readingAt(points, 1_000, LIMITS)).toEqual({ provenance: "measured", connections: 10 });
    expect(readingAt(points, 60_999, LIMITS)).toEqual({ provenance: "measured", connections: 10 });
    expect(readingAt(points, 61_000, LIMITS)).toEqual({ provenance: "measured", connections: 20 });
    expect(readingAt(points, 61_000 + 180_000, LIMITS)).toEqual({ provenance: "measured", connections: 20 });
    expect(readingAt(points, 61_001 + 180_000, LIMITS)).toEqual({ provenance: "stale", connections: 20 });
    expect(readingAt(points, 61_000 + 3_600_000, LIMITS)).toEqual({ provenance: "stale", connections: 20 });
    expect(readingAt(points, 61_001 + 3_600_000, LIMITS)).toEqual({ provenance: "simulated", connections: null });
    expect(readingAt(points, 61_001 + 3_600_000, { ...LIMITS, simulator: false })).toEqual({ provenance: "none", connections: null });
  });

  it("shows a sample only from when it was received, and a future-dated one only from its instant", () => {
    const late = [point(1_000, 10, 5_000)];
    expect(readingAt(late, 4_999, LIMITS).provenance).toBe("simulated");
    expect(readingAt(late, 5_000, LIMITS)).toEqual({ provenance: "measured", connections: 10 });
    const ahead = [point(9_000, 30, 5_000)];
    expect(readingAt(ahead, 8_999, LIMITS).provenance).toBe("simulated");
    expect(readingAt(ahead, 9_000, LIMITS).connections).toBe(30);
  });

  it("lets a late sample correct nothing already passed: an older instant received later never replaces a newer one", () => {
    const points = [point(10_000, 1, 10_000), point(5_000, 2, 12_000)];
    expect(readingAt(points, 12_000, LIMITS).connections).toBe(1);
  });
});

describe("MeasuredSeries", () => {
  const instantArb = fc.integer({ min: 0, max: 20_000 });
  const limitsArb = fc
    .tuple(fc.integer({ min: 1, max: 3_000 }), fc.integer({ min: 1, max: 6_000 }), fc.boolean())
    .map(([staleMs, extra, simulator]) => ({ staleMs, expireMs: staleMs + extra, simulator }));
  const pointArb = fc
    .tuple(instantArb, fc.integer({ min: 0, max: 1_000 }), fc.integer({ min: -500, max: 3_000 }))
    .map(([atMs, connections, delay]) => point(atMs, connections, atMs + delay));
  // Steps in time order: samples arrive (in any order of their own instants), ticks are read.
  const stepArb = fc.oneof(pointArb.map((added) => ({ add: added })), fc.integer({ min: 0, max: 400 }).map((advance) => ({ advance })));

  it("reads what the reference reads from every sample added so far, while forgetting what cannot matter", () => {
    fc.assert(
      fc.property(limitsArb, fc.array(stepArb, { maxLength: 120 }), (limits, steps) => {
        const series = new MeasuredSeries();
        const added: MeasuredPoint[] = [];
        let instant = 0;
        for (const step of steps) {
          if ("add" in step) {
            // Duplicates (same instant) are one sample, the first kept, as in storage.
            if (added.some((held) => held.atMs === step.add.atMs)) continue;
            added.push(step.add);
            series.add(step.add);
          } else {
            instant += step.advance;
            expect(series.readAt(instant, limits)).toEqual(readingAt(added, instant, limits));
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it("holds only the sample shown and those not yet due once ticks pass them", () => {
    const series = new MeasuredSeries();
    for (let second = 0; second < 1_000; second++) {
      series.add(point(second * 1_000, second));
      series.readAt(second * 1_000 + 500, LIMITS);
    }
    expect(series.size).toBe(1);
    series.readAt(10_000_000, LIMITS);
    expect(series.size).toBe(0);
  });

  it("never holds more than its bound, however many future-dated samples come", () => {
    const series = new MeasuredSeries();
    for (let index = 0; index < MAX_HELD_PER_SERIES + 100; index++) series.add(point(1_000_000 + index, index, 0));
    expect(series.size).toBe(MAX_HELD_PER_SERIES);
  });
});
