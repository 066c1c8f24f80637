import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { seedReferenceData } from "@/lib/db/seed";
import { buildReportBaselines, REPORT_SOURCE, type ReportFigures } from "@/lib/domain/report-baselines";
import reportFigures from "@/prisma/seed/report-figures.json";
import { openMigratedDatabase } from "../support/database";

const expectedBaselines = buildReportBaselines(reportFigures as ReportFigures);

describe("seed", () => {
  let database: Database;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ database, close } = await openMigratedDatabase());
  });
  afterAll(async () => close());

  const snapshot = async () => ({
    operators: await database.prisma.operator.findMany({ orderBy: { slug: "asc" } }),
    sectors: await database.prisma.sector.findMany({ orderBy: { slug: "asc" } }),
    baselines: await database.prisma.baseline.findMany({ orderBy: { id: "asc" } }),
  });

  it("writes operators, sectors and every baseline on an empty database", async () => {
    const result = await seedReferenceData(database.prisma);
    expect(result).toEqual({ created: 3 + 7 + expectedBaselines.length, updated: 0, unchanged: 0 });

    const { operators, sectors, baselines } = await snapshot();
    expect(operators.map((operator) => operator.nameZh)).toEqual(["中国移动", "中国电信", "中国联通"]);
    expect(sectors).toHaveLength(7);
    expect(baselines.map((baseline) => baseline.key)).toEqual(expectedBaselines.map((baseline) => baseline.key));
    for (const baseline of baselines.filter((row) => row.provenance === "reported")) {
      expect(baseline.source, baseline.key).toBe(REPORT_SOURCE);
    }
  });

  it("changes nothing when run a second time", async () => {
    const before = await snapshot();
    const result = await seedReferenceData(database.prisma);
    expect(result).toEqual({ created: 0, updated: 0, unchanged: 3 + 7 + expectedBaselines.length });
    expect(await snapshot()).toEqual(before);
  });

  it("repairs a figure that was edited by hand, and only that one", async () => {
    await database.prisma.baseline.update({ where: { key: "transport.etc-lanes" }, data: { value: 1 } });
    const result = await seedReferenceData(database.prisma);
    expect(result.updated).toBe(1);
    const lanes = await database.prisma.baseline.findUniqueOrThrow({ where: { key: "transport.etc-lanes" } });
    expect(lanes.value).toBe(4600);
  });

  it("keeps both sides of the article's Asia contradiction, each flagged", async () => {
    const asiaShare = await database.prisma.baseline.findUniqueOrThrow({ where: { key: "global-share-2013.asia" } });
    const asiaStated = await database.prisma.baseline.findUniqueOrThrow({ where: { key: "asia-2013.share" } });
    expect(asiaShare.value).toBe(40);
    expect(asiaStated.value).toBe(27);
    expect(asiaShare.caveat).toContain("27%");
    expect(asiaStated.caveat).toContain("40%");
  });
});
