import { describe, expect, it } from "vitest";
import { SERIES, canonicalFilter, filterKey, seriesIndex, seriesIndexesFor } from "./series";

describe("series", () => {
  it("numbers the 21 operator × sector series operators first", () => {
    expect(SERIES).toHaveLength(21);
    expect(SERIES[seriesIndex("china-unicom", "transport")]).toEqual({ operator: "china-unicom", sector: "transport" });
  });

  it("selects the series of a filter; an empty list means all", () => {
    expect(seriesIndexesFor({ operators: [], sectors: [] })).toHaveLength(21);
    expect(seriesIndexesFor({ operators: ["china-telecom"], sectors: [] })).toEqual([14, 15, 16, 17, 18, 19, 20]);
    expect(seriesIndexesFor({ operators: [], sectors: ["energy", "retail"] })).toEqual([0, 6, 7, 13, 14, 20]);
  });

  it("spells a filter one way whatever the order, and 'all of them' as 'all'", () => {
    expect(filterKey({ operators: ["china-unicom", "china-mobile"], sectors: [] })).toBe("china-mobile,china-unicom|*");
    expect(filterKey({ operators: ["china-mobile", "china-unicom", "china-telecom"], sectors: ["energy"] })).toBe("*|energy");
    expect(canonicalFilter({ operators: [], sectors: ["retail", "energy"] })).toEqual({ operators: [], sectors: ["energy", "retail"] });
  });
});
