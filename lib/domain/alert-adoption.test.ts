import { describe, expect, it } from "vitest";
import type { Alert } from "@/lib/contracts/alerts";
import { alertSubject, planAdoption } from "./alert-adoption";
import type { AlertEvent } from "./anomaly";

/** What an alert and the detector's event share: the subject and the reading. */
const READING = {
  operator: "china-mobile",
  sector: "energy",
  kind: "surge",
  severity: "warning",
  observed: 110,
  expected: 100,
  expectedLow: 96,
  expectedHigh: 104,
} as const;

const stored = (id: number, overrides: Partial<Alert> = {}): Alert => ({
  id,
  raisedAt: new Date(1_700_000_000_000 + id * 1000).toISOString(),
  ...READING,
  message: "",
  provenance: "simulated",
  resolvedAt: null,
  ...overrides,
});

const open = (overrides: Partial<AlertEvent> = {}): AlertEvent => ({
  type: "raised",
  subject: `${overrides.operator ?? "china-mobile"}:${overrides.sector === undefined ? "energy" : (overrides.sector ?? "*")}`,
  ...READING,
  atMs: 1_700_000_000_000,
  provenance: "simulated",
  ...overrides,
});

describe("alertSubject", () => {
  it("names a series and an operator's total as the detector does", () => {
    expect(alertSubject({ operator: "china-mobile", sector: "energy" })).toBe("china-mobile:energy");
    expect(alertSubject({ operator: "china-unicom", sector: null })).toBe("china-unicom:*");
  });
});

describe("planAdoption", () => {
  it("adopts a stored alert the detector also has open, and raises nothing for it", () => {
    const alert = stored(1);
    const plan = planAdoption(new Map([["china-mobile:energy", open()]]), [alert]);
    expect(plan.adopt.get("china-mobile:energy")).toBe(alert);
    expect(plan.resolve).toEqual([]);
    expect(plan.raise).toEqual([]);
  });

  it("resolves a stored alert the detector has not open, or has open with the other kind (and raises that one)", () => {
    const gone = stored(1, { sector: "transport" });
    const turned = stored(2);
    const dropping = open({ kind: "drop" });
    const plan = planAdoption(new Map([["china-mobile:energy", dropping]]), [gone, turned]);
    expect(plan.adopt.size).toBe(0);
    expect(plan.resolve.map((alert) => alert.id).sort()).toEqual([1, 2]);
    expect(plan.raise).toEqual([dropping]);
  });

  it("raises what only the detector knows (the holder died before storing it)", () => {
    const total = open({ sector: null, subject: "china-telecom:*", operator: "china-telecom" });
    const plan = planAdoption(new Map([["china-telecom:*", total]]), []);
    expect(plan.raise).toEqual([total]);
  });

  it("carries on the newest of two open alerts for one subject and resolves the other", () => {
    const older = stored(1);
    const newer = stored(2);
    const plan = planAdoption(new Map([["china-mobile:energy", open()]]), [older, newer]);
    expect(plan.adopt.get("china-mobile:energy")).toBe(newer);
    expect(plan.resolve).toEqual([older]);
  });
});
