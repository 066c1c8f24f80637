import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OPERATOR_SLUGS, SECTOR_SLUGS } from "@/lib/contracts/catalog";
import { SERIES, seriesIndex } from "@/lib/domain/series";
import { incidentEffect, manualIncident, scheduledIncidentsAt, type Incident } from "./incidents";
import { ConnectionModel, SIMULATION_EPOCH_MS, totalsOf } from "./model";
import { hashString } from "./random";

// Instants from 2026 to 2030, to the millisecond.
const instant = fc.integer({ min: SIMULATION_EPOCH_MS, max: Date.UTC(2030, 0, 1) });
const seed = fc.string({ minLength: 1, maxLength: 12 });
const model = new ConnectionModel("m2m-pulse");
const HOUR = 3_600_000;

/** 2026-11-23 is a Monday; `hour` is China Standard Time (UTC+8). */
const cst = (day: number, hour: number, minute = 0, second = 0) => Date.UTC(2026, 10, 23 + day, hour - 8, minute, second);

describe("ConnectionModel", () => {
  it("never produces a negative or fractional count", () => {
    fc.assert(
      fc.property(seed, instant, (seedText, at) => {
        const values = new ConnectionModel(seedText).valuesAt(at);
        expect(values).toHaveLength(SERIES.length);
        for (const value of values) {
          expect(Number.isInteger(value)).toBe(true);
          expect(value).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });

  it("stays non-negative under any incident, however deep", () => {
    fc.assert(
      fc.property(instant, fc.double({ min: 0.01, max: 1, noNaN: true }), fc.constantFrom(...OPERATOR_SLUGS), (at, magnitude, operator) => {
        const outage = manualIncident("outage", { operator, sector: null }, at - 60_000, { magnitude, durationMs: 600_000 });
        for (const value of model.valuesAt(at, [outage])) expect(value).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it("gives the same values for the same seed and instant in separate instances", () => {
    fc.assert(
      fc.property(seed, instant, (seedText, at) => {
        expect(new ConnectionModel(seedText).valuesAt(at)).toEqual(new ConnectionModel(seedText).valuesAt(at));
      }),
    );
  });

  it("gives different values for a different seed", () => {
    const at = cst(1, 10);
    expect(new ConnectionModel("a").valuesAt(at)).not.toEqual(new ConnectionModel("b").valuesAt(at));
  });

  it("moves from second to second, but only a little", () => {
    fc.assert(
      fc.property(instant, (at) => {
        const now = model.valuesAt(at, []);
        const next = model.valuesAt(at + 1000, []);
        const incidents = scheduledIncidentsAt(model.seed, at).length + scheduledIncidentsAt(model.seed, at + 1000).length;
        fc.pre(incidents === 0);
        now.forEach((value, index) => expect(Math.abs(next[index]! - value) / value).toBeLessThan(0.04));
      }),
    );
  });

  it("sits at the report's scale: China's total in the tens of millions", () => {
    const { total } = totalsOf(model.valuesAt(cst(1, 12)));
    expect(total).toBeGreaterThan(20_000_000);
    expect(total).toBeLessThan(100_000_000);
  });

  it("grows by the assumed 25% a year", () => {
    const now = model.expectedAt(cst(1, 12));
    const yearLater = model.expectedAt(cst(1, 12) + 364 * 86_400_000); // same weekday and hour
    expect(totalsOf(yearLater).total / totalsOf(now).total).toBeCloseTo(1.25, 2);
  });
});

describe("totalsOf", () => {
  it("adds every series into its operator, its sector and the total", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50_000_000 }), { minLength: 21, maxLength: 21 }), (values) => {
        const totals = totalsOf(values);
        const sum = (list: number[]) => list.reduce((total, value) => total + value, 0);
        expect(sum(totals.byOperator)).toBe(totals.total);
        expect(sum(totals.bySector)).toBe(totals.total);
        expect(totals.total).toBe(sum(values));
        OPERATOR_SLUGS.forEach((operator, o) =>
          expect(totals.byOperator[o]).toBe(sum(SECTOR_SLUGS.map((sector) => values[seriesIndex(operator, sector)]!))),
        );
      }),
    );
  });
});

describe("daily and weekly rhythms", () => {
  const at = (sector: (typeof SECTOR_SLUGS)[number], instantMs: number) =>
    model.expectedAt(instantMs)[seriesIndex("china-mobile", sector)]!;

  it("peaks transport at the morning rush hour on a working day", () => {
    expect(at("transport", cst(1, 8))).toBeGreaterThan(at("transport", cst(1, 3)) * 1.3);
    expect(at("transport", cst(1, 8))).toBeGreaterThan(at("transport", cst(5, 8)) * 1.2); // Saturday
  });

  it("fills education on school days and empties it at weekends", () => {
    expect(at("education", cst(2, 10))).toBeGreaterThan(at("education", cst(6, 10)) * 2);
  });

  it("keeps retail in shop hours", () => {
    expect(at("retail", cst(2, 19))).toBeGreaterThan(at("retail", cst(2, 4)) * 1.8);
  });

  it("shows smart meters reporting in a burst on the quarter hour", () => {
    expect(at("energy", cst(1, 12, 15, 5))).toBeGreaterThan(at("energy", cst(1, 12, 24, 0)) * 1.05);
  });
});

describe("incidents", () => {
  const expectDrop = (values: number[], expected: number[], index: number, factor: number) =>
    expect(values[index]! / expected[index]!).toBeCloseTo(factor, 1);

  it("an outage triggered on demand drops one operator in every sector, and no one else", () => {
    const start = cst(1, 11);
    const outage = manualIncident("outage", { operator: "china-unicom", sector: null }, start, { magnitude: 0.5 });
    const during = start + outage.rampMs + 1000;
    const values = model.valuesAt(during, [outage]);
    const expected = model.expectedAt(during);
    expect(scheduledIncidentsAt(model.seed, during)).toEqual([]); // nothing else going on at that moment
    for (const sector of SECTOR_SLUGS) {
      expectDrop(values, expected, seriesIndex("china-unicom", sector), 0.5);
      expectDrop(values, expected, seriesIndex("china-mobile", sector), 1);
    }
    // And it recovers.
    const after = outage.startMs + outage.rampMs + outage.holdMs + outage.recoverMs + 1000;
    expectDrop(model.valuesAt(after, [outage]), model.expectedAt(after), seriesIndex("china-unicom", "energy"), 1);
  });

  it("a surge lifts one sector across every operator", () => {
    const start = cst(1, 15);
    const surge = manualIncident("surge", { operator: null, sector: "healthcare" }, start, { magnitude: 0.3 });
    const during = start + surge.rampMs + 1000;
    const values = model.valuesAt(during, [surge]);
    const expected = model.expectedAt(during);
    for (const operator of OPERATOR_SLUGS) expectDrop(values, expected, seriesIndex(operator, "healthcare"), 1.3);
    expectDrop(values, expected, seriesIndex("china-mobile", "retail"), 1);
  });

  it("a leak wears one series down slowly", () => {
    const leak = manualIncident("leak", { operator: "china-telecom", sector: "retail" }, cst(1, 9), { magnitude: 0.2, durationMs: 1_200_000 });
    const effect = (minutes: number) => incidentEffect(leak, leak.startMs + minutes * 60_000);
    expect(effect(1)).toBeLessThan(0.1);
    expect(effect(10)).toBeGreaterThan(effect(5));
    expect(effect(19)).toBeGreaterThan(0.9);
    expect(effect(21)).toBe(0);
  });

  it("schedules random incidents reproducibly, and they show in the values", () => {
    const seedHash = hashString("m2m-pulse");
    const outages: Incident[] = [];
    for (let hour = 0; hour < 24 * 60 && outages.length === 0; hour++) {
      const at = SIMULATION_EPOCH_MS + hour * HOUR + 30 * 60_000;
      outages.push(...scheduledIncidentsAt(seedHash, at).filter((incident) => incident.kind === "outage"));
    }
    expect(outages.length).toBeGreaterThan(0);
    const outage = outages[0]!;
    const during = outage.startMs + outage.rampMs + 1000;
    expect(scheduledIncidentsAt(seedHash, during)).toContainEqual(outage);
    const index = seriesIndex(outage.operator!, "transport");
    const ratio = model.valuesAt(during)[index]! / model.expectedAt(during)[index]!;
    expect(ratio).toBeLessThan(1 - outage.magnitude + 0.05);
  });
});
