import { describe, expect, it } from "vitest";
import { encodeProvenance, provenanceAt, withProvenance } from "@/lib/contracts/realtime";
import { combineProvenance, countProvenance, provenanceParts } from "./provenance";

describe("per-series provenance on the wire and on screen", () => {
  it("spells one letter per series and reads it back", () => {
    const codes = encodeProvenance(["measured", "stale", "simulated", "none"]);
    expect(codes).toBe("mhsn");
    expect([0, 1, 2, 3].map((index) => provenanceAt(codes, index))).toEqual(["measured", "stale", "simulated", "none"]);
    // A tick from a server without measurements (no `p`) is simulated.
    expect(provenanceAt(undefined, 5)).toBe("simulated");
  });

  it("gives every tick its predecessor's provenance where the wire left it out", () => {
    const ticks = withProvenance([{ s: 1, t: 0, v: [1, 2] }, { s: 2, t: 1, v: [1, 2], p: "ms" }, { s: 3, t: 2, v: [1, 2] }], "ss");
    expect(ticks.map((tick) => tick.p)).toEqual(["ss", "ms", "ms"]);
  });

  it("counts and combines: one kind, or mixed, with an honest label", () => {
    const counts = countProvenance("mmmssss", 7);
    expect(counts).toEqual({ measured: 3, stale: 0, simulated: 4, none: 0 });
    expect(combineProvenance(counts)).toBe("mixed");
    expect(provenanceParts(counts)).toEqual([
      { provenance: "measured", count: 3 },
      { provenance: "simulated", count: 4 },
    ]);
    expect(combineProvenance(countProvenance("mhs", 3, [0]))).toBe("measured");
    expect(combineProvenance(countProvenance(undefined, 21))).toBe("simulated");
  });
});
