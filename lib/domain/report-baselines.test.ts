import { describe, expect, it } from "vitest";
import { OPERATORS, OPERATOR_SLUGS, SECTORS, SECTOR_SLUGS } from "@/lib/contracts/catalog";
import reportFigures from "@/prisma/seed/report-figures.json";
import { OPERATOR_SHARE_PCT, SECTOR_SHARE_PCT } from "./assumptions";
import { ASSUMPTION_SOURCE, REPORT_SOURCE, buildReportBaselines, type ReportFigures } from "./report-baselines";

const figures = reportFigures as ReportFigures;
const baselines = buildReportBaselines(figures);
const byKey = (key: string) => baselines.find((baseline) => baseline.key === key);

describe("the catalog", () => {
  it("agrees with the operators and sectors of the report figures", () => {
    expect(figures.operators.map(({ slug, name, nameZh }) => ({ slug, name, nameZh }))).toEqual(
      OPERATOR_SLUGS.map((slug) => ({ slug, ...OPERATORS[slug] })),
    );
    expect(figures.verticals.map(({ slug, name, nameZh }) => ({ slug, name, nameZh }))).toEqual(
      SECTOR_SLUGS.map((slug) => ({ slug, ...SECTORS[slug] })),
    );
  });
});

describe("buildReportBaselines", () => {
  it("gives every baseline a unique key", () => {
    expect(new Set(baselines.map((baseline) => baseline.key)).size).toBe(baselines.length);
  });

  it("takes every number of the report figures as a reported baseline", () => {
    const regionShares = baselines.filter((baseline) => baseline.metric === "global-connection-share");
    expect(regionShares.map((baseline) => [baseline.scope, baseline.value])).toEqual([
      ["Asia", 40],
      ["Europe", 29],
      ["America", 19],
      ["Latin America", 7],
      ["Africa", 4],
      ["Oceania", 1],
    ]);
    expect(byKey("net-additions-2010-2013.china")?.value).toBe(39);
    expect(byKey("energy.smart-meters-installed")).toMatchObject({ value: 180, attribution: "Alex Chau, Machine Research" });
    expect(byKey("energy.smart-meters-deploying")?.value).toBe(60);
    expect(byKey("transport.etc-lanes")?.value).toBe(4600);
    expect(byKey("transport.etc-provinces")?.value).toBe(26);
    expect(byKey("smart-city.cities-signed-up")).toMatchObject({ value: 219, period: "2013-02" });
  });

  it("labels report figures with the report and assumptions with their reasoning", () => {
    for (const baseline of baselines) {
      if (baseline.provenance === "reported") expect(baseline.source, baseline.key).toBe(REPORT_SOURCE);
      else {
        expect(baseline.source, baseline.key).toBe(ASSUMPTION_SOURCE);
        expect(baseline.note?.length ?? 0, baseline.key).toBeGreaterThan(40);
      }
    }
  });

  it("flags the article's contradictions instead of resolving them", () => {
    expect(byKey("global-share-2013.asia")?.caveat).toMatch(/27%.*50 million/);
    expect(byKey("asia-2013.share")).toMatchObject({ value: 27, caveat: expect.stringMatching(/40%/) });
    expect(byKey("asia-2013.connections")?.caveat).toMatch(/added 55 million/);
    expect(byKey("global-share-2013.europe")?.caveat).toBeNull();
  });

  it("stores the operator and sector splits as assumptions that add up to 100%", () => {
    const operatorShares = baselines.filter((baseline) => baseline.metric === "operator-share");
    const sectorShares = baselines.filter((baseline) => baseline.metric === "sector-share");
    expect(operatorShares.map((baseline) => baseline.operator)).toEqual([...OPERATOR_SLUGS]);
    expect(sectorShares.map((baseline) => baseline.sector)).toEqual([...SECTOR_SLUGS]);
    expect(operatorShares.every((baseline) => baseline.provenance === "assumption")).toBe(true);
    const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
    expect(sum(Object.values(OPERATOR_SHARE_PCT.value))).toBe(100);
    expect(sum(Object.values(SECTOR_SHARE_PCT.value))).toBe(100);
  });
});
