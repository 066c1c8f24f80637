import { describe, expect, it } from "vitest";
import { workerCount } from "./primary";

describe("workerCount", () => {
  it("takes a number as it is and 'auto' as one worker per core", () => {
    expect(workerCount(1, 8)).toBe(1);
    expect(workerCount(3, 2)).toBe(3);
    expect(workerCount("auto", 2)).toBe(2);
    expect(workerCount("auto", 0)).toBe(1);
  });
});
