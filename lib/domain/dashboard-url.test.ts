import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OPERATOR_SLUGS, SECTOR_SLUGS } from "@/lib/contracts/catalog";
import { MAX_HISTORY_RANGE_DAYS } from "@/lib/contracts/history";
import { DEFAULT_VIEW, LANGUAGES, THEMES, TIME_WINDOWS, ZOOM_MAX_MS, dashboardViewSchema } from "@/lib/contracts/view";
import { dashboardSearch, parseDashboardView } from "./dashboard-url";

describe("parseDashboardView", () => {
  it("reads the example of the issue", () => {
    const { view, notices } = parseDashboardView(new URLSearchParams("operator=china-mobile,china-unicom&sector=energy,transport&window=15m"));
    expect(view).toEqual({ ...DEFAULT_VIEW, operators: ["china-mobile", "china-unicom"], sectors: ["energy", "transport"], window: "15m" });
    expect(notices).toEqual([]);
  });

  it("drops what it does not know and says so, instead of failing", () => {
    const { view, notices } = parseDashboardView({ operator: "china-mobile,acme", sector: "mining", window: "3y", lang: "fr", theme: "neon" });
    expect(view).toEqual({ ...DEFAULT_VIEW, operators: ["china-mobile"] });
    expect(notices).toEqual([
      { parameter: "operator", value: "acme" },
      { parameter: "sector", value: "mining" },
      { parameter: "window", value: "3y" },
      { parameter: "lang", value: "fr" },
      { parameter: "theme", value: "neon" },
    ]);
  });

  it("treats every operator selected as no filter", () => {
    expect(parseDashboardView({ operator: OPERATOR_SLUGS.join(",") }).view.operators).toEqual([]);
  });
});

describe("dashboardSearch", () => {
  it("writes nothing for the default view and readable commas otherwise", () => {
    expect(dashboardSearch(DEFAULT_VIEW)).toBe("");
    expect(dashboardSearch({ ...DEFAULT_VIEW, operators: ["china-unicom", "china-mobile"], lang: "zh" })).toBe("?operator=china-mobile,china-unicom&lang=zh");
  });

  it("round-trips every view", () => {
    const view = fc.record({
      operators: fc.subarray([...OPERATOR_SLUGS], { maxLength: 2 }),
      sectors: fc.subarray([...SECTOR_SLUGS], { maxLength: 6 }),
      window: fc.constantFrom(...TIME_WINDOWS),
      lang: fc.constantFrom(...LANGUAGES),
      theme: fc.constantFrom(...THEMES),
    });
    fc.assert(
      fc.property(view, (original) => {
        const parsed = parseDashboardView(new URLSearchParams(dashboardSearch(original))).view;
        expect(parsed).toEqual({
          ...original,
          operators: OPERATOR_SLUGS.filter((slug) => original.operators.includes(slug)),
          sectors: SECTOR_SLUGS.filter((slug) => original.sectors.includes(slug)),
        });
      }),
    );
  });
});

describe("parseDashboardView and the view contract", () => {
  it("reads, from any query string, a view the contract accepts", () => {
    // The URL parser keeps no words of its own: whatever a visitor types, what it returns is a
    // DashboardView by the one schema in lib/contracts/view.ts.
    const value = fc.oneof(fc.string(), fc.constantFrom(...TIME_WINDOWS, ...LANGUAGES, ...THEMES, ...OPERATOR_SLUGS, ...SECTOR_SLUGS));
    const params = fc.dictionary(fc.constantFrom("operator", "sector", "window", "lang", "theme", "other"), value);
    fc.assert(
      fc.property(params, (raw) => {
        const { view } = parseDashboardView(new URLSearchParams(raw));
        expect(dashboardViewSchema.safeParse(view).success).toBe(true);
      }),
    );
  });
});

describe("a zoomed range in the URL (from/to)", () => {
  const from = Date.UTC(2026, 10, 25, 8, 0);
  const to = Date.UTC(2026, 10, 25, 9, 30);

  it("reads ISO 8601 and milliseconds alike, and writes ISO back", () => {
    expect(parseDashboardView({ from: new Date(from).toISOString(), to: String(to) }).view.range).toEqual({ from, to });
    const search = dashboardSearch({ ...DEFAULT_VIEW, range: { from, to } });
    expect(search).toBe("?from=2026-11-25T08:00:00.000Z&to=2026-11-25T09:30:00.000Z");
    expect(parseDashboardView(new URLSearchParams(search.slice(1))).view).toEqual({ ...DEFAULT_VIEW, range: { from, to } });
  });

  it("drops a range with one end, the ends swapped, too narrow, too wide or not instants, with a notice", () => {
    for (const params of [
      { from: String(from) },
      { from: String(to), to: String(from) },
      { from: String(from), to: String(from + 60_000) },
      { from: String(from), to: String(from + 40 * 86_400_000) },
      { from: "yesterday", to: String(to) },
    ]) {
      const { view, notices } = parseDashboardView(params);
      expect(view.range).toBeUndefined();
      expect(notices.map((notice) => notice.parameter)).toEqual(["from", "to"]);
    }
  });

  it("zooms no further than the history API answers at once", () => {
    expect(ZOOM_MAX_MS).toBe(MAX_HISTORY_RANGE_DAYS * 86_400_000);
  });
});
