import { describe, expect, it } from "vitest";
import { SECTOR_SLUGS } from "@/lib/contracts/catalog";
import { AnomalyDetector, describeAlert, expectedBand, severityOf, type AlertEvent } from "./anomaly";
import { SERIES_COUNT, seriesIndex } from "./series";

const expected = Array.from({ length: SERIES_COUNT }, () => 1_000_000);

/** Feeds `ticks` ticks where `change` adjusts the expected values; returns every event. */
function run(detector: AnomalyDetector, ticks: number, change: (values: number[]) => void, startMs = 0): AlertEvent[] {
  const events: AlertEvent[] = [];
  for (let tick = 0; tick < ticks; tick++) {
    const values = [...expected];
    change(values);
    events.push(...detector.evaluate(startMs + tick * 1000, values, expected));
  }
  return events;
}

describe("AnomalyDetector", () => {
  it("stays quiet while values wander inside the band", () => {
    const detector = new AnomalyDetector();
    const events = run(detector, 200, (values) => values.forEach((_, index) => (values[index] = expected[index]! * (1 + 0.03 * Math.sin(index)))));
    expect(events).toEqual([]);
  });

  it("raises once a series has stayed outside its band for five ticks, not before", () => {
    const detector = new AnomalyDetector();
    const energy = seriesIndex("china-telecom", "energy");
    const events = run(detector, 4, (values) => (values[energy] = 850_000));
    expect(events).toEqual([]);
    const fifth = run(detector, 1, (values) => (values[energy] = 850_000));
    expect(fifth).toEqual([
      expect.objectContaining({ type: "raised", subject: "china-telecom:energy", kind: "drop", severity: "warning", observed: 850_000, expected: 1_000_000 }),
    ]);
  });

  it("escalates when the departure worsens, and resolves after ten ticks back inside", () => {
    const detector = new AnomalyDetector();
    const retail = seriesIndex("china-mobile", "retail");
    const raised = run(detector, 5, (values) => (values[retail] = 1_100_000));
    expect(raised.map((event) => [event.type, event.kind, event.severity])).toEqual([["raised", "surge", "warning"]]);
    const escalated = run(detector, 3, (values) => (values[retail] = 1_300_000));
    expect(escalated.map((event) => [event.type, event.severity])).toEqual([["escalated", "critical"]]);
    expect(run(detector, 9, () => {})).toEqual([]);
    expect(run(detector, 1, () => {}).map((event) => event.type)).toEqual(["resolved"]);
  });

  it("reports an operator-wide outage once, for the operator, not once per sector", () => {
    const detector = new AnomalyDetector();
    const events = run(detector, 20, (values) => {
      for (const sector of SECTOR_SLUGS) values[seriesIndex("china-unicom", sector)] = 500_000;
    });
    expect(events.map((event) => [event.subject, event.type, event.severity])).toEqual([["china-unicom:*", "raised", "critical"]]);
  });

  it("does not flap when a value hovers at the band's edge", () => {
    const detector = new AnomalyDetector();
    const index = seriesIndex("china-mobile", "education");
    let tick = 0;
    const events = run(detector, 100, (values) => (values[index] = tick++ % 2 ? 950_000 : 970_000));
    expect(events).toEqual([]);
  });
});

describe("severity and band", () => {
  it("grades departures", () => {
    expect(severityOf(-0.05)).toBe("info");
    expect(severityOf(0.1)).toBe("warning");
    expect(severityOf(-0.35)).toBe("critical");
  });

  it("is symmetric around the expected level", () => {
    expect(expectedBand(1000)).toEqual({ low: 960, high: 1040 });
  });
});

describe("AnomalyDetector on measured series", () => {
  const energy = seriesIndex("china-unicom", "energy");
  const provenance = (kind: "measured" | "stale" | "simulated" | "none") => {
    const all = Array.from({ length: SERIES_COUNT }, () => "simulated" as "measured" | "stale" | "simulated" | "none");
    all[energy] = kind;
    return all;
  };
  const feed = (detector: AnomalyDetector, ticks: number, kind: "measured" | "stale" | "simulated" | "none", value: number | null, startMs = 0) => {
    const events: AlertEvent[] = [];
    for (let tick = 0; tick < ticks; tick++) {
      const values: (number | null)[] = [...expected];
      values[energy] = value;
      events.push(...detector.evaluate(startMs + tick * 1000, values, expected, provenance(kind)));
    }
    return events;
  };

  it("judges measured values against the same band and says the alert is on measured data", () => {
    const detector = new AnomalyDetector();
    const events = feed(detector, 5, "measured", 880_000);
    expect(events).toEqual([expect.objectContaining({ type: "raised", subject: "china-unicom:energy", kind: "drop", provenance: "measured" })]);
  });

  it("raises nothing on stale or missing data, and keeps an open alert open while its series is stale", () => {
    const detector = new AnomalyDetector();
    expect(feed(detector, 50, "stale", 100)).toEqual([]);
    expect(feed(detector, 50, "none", null)).toEqual([]);
    feed(detector, 5, "measured", 880_000);
    expect(feed(detector, 50, "stale", 880_000)).toEqual([]);
    // Measured again and back in the band: it resolves the usual way.
    const resolved = feed(detector, 10, "measured", 1_000_000);
    expect(resolved).toEqual([expect.objectContaining({ type: "resolved", subject: "china-unicom:energy", provenance: "measured" })]);
  });

  it("ends an alert raised on measured data when the series goes back to the simulator, and judges the new data afresh", () => {
    const detector = new AnomalyDetector();
    feed(detector, 5, "measured", 880_000);
    const ended = feed(detector, 1, "simulated", 880_000);
    expect(ended).toEqual([expect.objectContaining({ type: "resolved", subject: "china-unicom:energy", provenance: "measured" })]);
    const fresh = feed(detector, 5, "simulated", 880_000);
    expect(fresh).toEqual([expect.objectContaining({ type: "raised", subject: "china-unicom:energy", provenance: "simulated" })]);
  });
});

describe("describeAlert", () => {
  it("says what, by how much and against what", () => {
    const message = describeAlert(
      { type: "raised", subject: "x", operator: "china-mobile", sector: null, kind: "drop", severity: "critical", observed: 13_000_000, expected: 26_000_000, expectedLow: 24_960_000, expectedHigh: 27_040_000, atMs: 0, provenance: "simulated" },
      { operator: "China Mobile", sector: null },
    );
    expect(message).toBe("China Mobile (all sectors): 13M connections, 50% below the expected 26M (band 25M–27M)");
  });
});
