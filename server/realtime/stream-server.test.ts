import { describe, expect, it } from "vitest";
import { answerCost } from "./stream-server";

describe("answerCost", () => {
  it("charges a subscription answer in proportion to the values it carries", () => {
    expect(answerCost(900, 21)).toBe(5); // the dashboard's full 15-minute window of everything
    expect(answerCost(900, 7)).toBe(2); // one operator
    expect(answerCost(300, 21)).toBe(2);
    expect(answerCost(10, 21)).toBe(1);
    expect(answerCost(0, 21)).toBe(1); // every message costs at least one
    expect(answerCost(900, 21)).toBeGreaterThan(answerCost(10, 21));
  });
});
