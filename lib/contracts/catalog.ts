import { z } from "zod";

/**
 * The fixed vocabulary of the product: China's three operators and the seven sectors the
 * GSMA report names. Slugs are the stable identifiers used in URLs, the API, the database
 * and the socket protocol. prisma/seed/report-figures.json carries the same list; a unit
 * test keeps the two in agreement.
 */
export const OPERATOR_SLUGS = ["china-mobile", "china-unicom", "china-telecom"] as const;
export const SECTOR_SLUGS = [
  "energy",
  "transport",
  "smart-city",
  "automotive",
  "healthcare",
  "education",
  "retail",
] as const;

export type OperatorSlug = (typeof OPERATOR_SLUGS)[number];
export type SectorSlug = (typeof SECTOR_SLUGS)[number];

export const operatorSlugSchema = z.enum(OPERATOR_SLUGS, {
  error: (issue) => `unknown operator ${JSON.stringify(issue.input)}; expected one of ${OPERATOR_SLUGS.join(", ")}`,
});
export const sectorSlugSchema = z.enum(SECTOR_SLUGS, {
  error: (issue) => `unknown sector ${JSON.stringify(issue.input)}; expected one of ${SECTOR_SLUGS.join(", ")}`,
});

export interface CatalogEntry {
  name: string;
  nameZh: string;
}

export const OPERATORS: Record<OperatorSlug, CatalogEntry> = {
  "china-mobile": { name: "China Mobile", nameZh: "中国移动" },
  "china-unicom": { name: "China Unicom", nameZh: "中国联通" },
  "china-telecom": { name: "China Telecom", nameZh: "中国电信" },
};

export const SECTORS: Record<SectorSlug, CatalogEntry> = {
  energy: { name: "Energy", nameZh: "能源" },
  transport: { name: "Transport", nameZh: "交通" },
  "smart-city": { name: "Smart city", nameZh: "智慧城市" },
  automotive: { name: "Automotive", nameZh: "汽车" },
  healthcare: { name: "Healthcare", nameZh: "医疗" },
  education: { name: "Education", nameZh: "教育" },
  retail: { name: "Retail", nameZh: "零售" },
};

