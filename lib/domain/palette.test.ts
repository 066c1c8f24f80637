import { describe, expect, it } from "vitest";
import { contrastRatio, viridis } from "./palette";

describe("the matrix colour scale", () => {
  it("keeps every cell's text readable at WCAG AA (4.5:1)", () => {
    for (let step = 0; step <= 100; step++) {
      const { background, text } = viridis(step / 100);
      expect(contrastRatio(background, text), background).toBeGreaterThanOrEqual(4.5);
    }
  });
});
