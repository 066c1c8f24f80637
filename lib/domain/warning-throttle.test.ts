import { describe, expect, it } from "vitest";
import { WarningThrottle } from "./warning-throttle";

describe("WarningThrottle", () => {
  it("writes the first few per key, counts the rest and reports them once per interval", () => {
    const throttle = new WarningThrottle(3, 100, 60_000, 0);
    const written = Array.from({ length: 1_807 }, (_, index) => throttle.admit("flood", "10.0.0.9", index)).filter(Boolean);
    expect(written).toHaveLength(3);
    expect(throttle.admit("flood", "10.0.0.10", 2_000)).toBe(true); // another address still gets its first lines
    expect(throttle.roll(30_000)).toBeUndefined(); // the interval is still running
    expect(throttle.roll(60_000)).toEqual({ flood: 1_804 });
    expect(throttle.roll(120_000)).toBeUndefined(); // nothing held back since
    expect(throttle.admit("flood", "10.0.0.9", 120_001)).toBe(true); // a new interval starts afresh
  });

  it("bounds the lines of an interval across many keys", () => {
    const throttle = new WarningThrottle(3, 20, 60_000, 0);
    const written = Array.from({ length: 5_000 }, (_, index) => throttle.admit("refused", `10.0.${index >> 8}.${index & 255}`, 0)).filter(Boolean);
    expect(written).toHaveLength(20);
    expect(throttle.roll(60_000)).toEqual({ refused: 4_980 });
  });

  it("forgets keys past its memory instead of growing", () => {
    const throttle = new WarningThrottle(1, 1_000_000, 60_000, 0, 10);
    const written = Array.from({ length: 100 }, (_, index) => throttle.admit("refused", String(index), 0)).filter(Boolean);
    expect(written).toHaveLength(10);
  });
});
