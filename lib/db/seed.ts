import "server-only";
import reportFigures from "@/prisma/seed/report-figures.json";
import { OPERATORS, OPERATOR_SLUGS, SECTORS, SECTOR_SLUGS } from "@/lib/contracts/catalog";
import { buildReportBaselines, type ReportFigures } from "@/lib/domain/report-baselines";
import { createLogger } from "@/lib/logger";
import type { PrismaClient } from "./generated/prisma/client";
import { STARTUP_WRITES_LOCK } from "./leases";
import { SERVER_LOCK_KEY } from "./server-claim";

const log = createLogger("seed");
const figures = reportFigures as ReportFigures;

export interface SeedResult {
  created: number;
  updated: number;
  unchanged: number;
}

/**
 * Writes each desired row only when it is missing or differs from what is stored, so a
 * second run changes nothing (not even updated_at).
 */
async function reconcile<Row extends Record<string, unknown>>(
  desired: Row[],
  stored: Map<string, Record<string, unknown>>,
  keyOf: (row: Row) => string,
  write: { create(row: Row): Promise<unknown>; update(row: Row): Promise<unknown> },
  result: SeedResult,
): Promise<void> {
  for (const row of desired) {
    const existing = stored.get(keyOf(row));
    if (!existing) {
      await write.create(row);
      result.created++;
    } else if (Object.keys(row).some((field) => existing[field] !== row[field])) {
      await write.update(row);
      result.updated++;
    } else {
      result.unchanged++;
    }
  }
}

const noteFor = (list: { slug: string; note?: string }[], slug: string) =>
  list.find((entry) => entry.slug === slug)?.note ?? null;

/** Seeds the operators, sectors and report baselines from prisma/seed/report-figures.json. */
export async function seedReferenceData(prisma: PrismaClient): Promise<SeedResult> {
  const result: SeedResult = { created: 0, updated: 0, unchanged: 0 };
  const bySlug = <T extends { slug: string }>(rows: T[]) => new Map(rows.map((row) => [row.slug, row]));

  await prisma.$transaction(async (tx) => {
    // Cluster nodes starting together on a new database: one seeds, the others wait and find it done
    // (rather than fail on the rows it created meanwhile).
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SERVER_LOCK_KEY}::int, ${STARTUP_WRITES_LOCK}::int)`;
    const operators = OPERATOR_SLUGS.map((slug) => ({
      slug,
      ...OPERATORS[slug],
      note: noteFor(figures.operators, slug),
    }));
    await reconcile(operators, bySlug(await tx.operator.findMany()), (row) => row.slug, {
      create: (data) => tx.operator.create({ data }),
      update: (data) => tx.operator.update({ where: { slug: data.slug }, data }),
    }, result);

    const sectors = SECTOR_SLUGS.map((slug) => ({
      slug,
      ...SECTORS[slug],
      note: noteFor(figures.verticals, slug),
    }));
    await reconcile(sectors, bySlug(await tx.sector.findMany()), (row) => row.slug, {
      create: (data) => tx.sector.create({ data }),
      update: (data) => tx.sector.update({ where: { slug: data.slug }, data }),
    }, result);

    const baselines = buildReportBaselines(figures).map(({ operator, sector, ...baseline }) => ({
      ...baseline,
      operatorSlug: operator,
      sectorSlug: sector,
    }));
    const storedBaselines = new Map((await tx.baseline.findMany()).map((row) => [row.key, row]));
    await reconcile(baselines, storedBaselines, (row) => row.key, {
      create: (data) => tx.baseline.create({ data }),
      update: (data) => tx.baseline.update({ where: { key: data.key }, data: { ...data, updatedAt: new Date() } }),
    }, result);
    // Prisma's default of 5 s fails the start of a server on a busy machine (or behind another node's seed).
  }, { maxWait: 30_000, timeout: 60_000 });

  log.info("reference data seeded", { ...result });
  return result;
}
