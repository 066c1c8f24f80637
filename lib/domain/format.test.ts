import { describe, expect, it } from "vitest";
import { formatAge, formatChangePct, formatClock, formatCount, formatCountCell, formatCountShort, formatFigure } from "./format";

describe("formatCount", () => {
  it("groups thousands in English", () => {
    expect(formatCount(26_613_114, "en")).toBe("26,613,114");
  });

  it("counts in 万 and 亿 in Chinese", () => {
    expect(formatCount(26_613_114, "zh")).toBe("2,661.3万");
    expect(formatCount(123_456_789, "zh")).toBe("1.23亿");
    expect(formatCount(9_876, "zh")).toBe("9,876");
  });

  it("has a short form for axes and cells", () => {
    expect(formatCountShort(26_613_114, "en")).toBe("26.6M");
    expect(formatCountShort(26_613_114, "zh")).toBe("2,661万");
    expect(formatCountShort(180_000_000, "zh")).toBe("1.8亿");
  });

  it("fits a table cell in a few characters", () => {
    expect(formatCountCell(820_412, "en")).toBe("820K");
    expect(formatCountCell(8_812_345, "en")).toBe("8.8M");
    expect(formatCountCell(8_812_345, "zh")).toBe("881万");
    expect(formatCountCell(82_412, "zh")).toBe("8.24万");
  });
});

describe("formatChangePct", () => {
  it("signs changes with a real minus and never shows −0.0%", () => {
    expect(formatChangePct(0.0123, "en")).toBe("+1.2%");
    expect(formatChangePct(-0.004, "en")).toBe("−0.4%");
    expect(formatChangePct(-0.0001, "en")).toBe("0.0%");
  });
});

describe("times", () => {
  it("shows clock time in China Standard Time", () => {
    expect(formatClock(Date.UTC(2026, 10, 25, 1, 2, 3), "en")).toBe("09:02:03");
  });

  it("says how long ago in a short unit", () => {
    expect(formatAge(4_200, "en")).toBe("4 sec");
    expect(formatAge(180_000, "en")).toBe("3 min");
    expect(formatAge(180_000, "zh")).toBe("3分钟");
  });
});

describe("formatFigure", () => {
  it("writes a figure with its unit", () => {
    expect(formatFigure(40, "percent")).toBe("40%");
    expect(formatFigure(25, "percent per year")).toBe("25% per year");
    expect(formatFigure(4600, "lanes")).toBe("4,600 lanes");
  });
});
