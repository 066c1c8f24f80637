import { z } from "zod";
import { OPERATOR_SLUGS, SECTOR_SLUGS, operatorSlugSchema, sectorSlugSchema, type OperatorSlug, type SectorSlug } from "./catalog";

export interface SlugListParse<T extends string> {
  /** Known slugs in the order given, without repeats. */
  slugs: T[];
  /** Slugs that are not in the vocabulary, as the caller wrote them. */
  unknown: string[];
}

/**
 * Splits a comma-separated list of slugs ("china-mobile,china-unicom") and sorts the known
 * from the unknown. The API turns unknown slugs into a 400; the dashboard URL drops them
 * with a notice. Both need the same split, so it lives here once.
 */
export function parseSlugList<T extends string>(
  raw: string | null | undefined,
  allowed: readonly T[],
): SlugListParse<T> {
  const slugs: T[] = [];
  const unknown: string[] = [];
  for (const part of (raw ?? "").split(",")) {
    const slug = part.trim().toLowerCase();
    if (slug === "") continue;
    if ((allowed as readonly string[]).includes(slug)) {
      if (!slugs.includes(slug as T)) slugs.push(slug as T);
    } else if (!unknown.includes(slug)) {
      unknown.push(slug);
    }
  }
  return { slugs, unknown };
}

function slugListParam<T extends string>(kind: string, allowed: readonly T[]) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const { slugs, unknown } = parseSlugList(raw, allowed);
      if (unknown.length > 0) {
        const names = unknown.map((slug) => `'${slug}'`).join(", ");
        ctx.addIssue({
          code: "custom",
          message: `unknown ${kind} ${names}; expected one of ${allowed.join(", ")}`,
        });
        return z.NEVER;
      }
      return slugs;
    });
}

/** `?operator=a,b` as sent over HTTP; empty or missing means "all". */
export const operatorListParam = slugListParam<OperatorSlug>("operator", OPERATOR_SLUGS);
/** `?sector=a,b` as sent over HTTP; empty or missing means "all". */
export const sectorListParam = slugListParam<SectorSlug>("sector", SECTOR_SLUGS);

export const seriesFilterQuerySchema = z.object({
  operator: operatorListParam,
  sector: sectorListParam,
});

/**
 * The two words every layer shares, defined once:
 * - a series filter: which operators and which sectors a view, a subscription or a query asks
 *   for (lists; an empty list means "all");
 * - a series reference: ONE live series, an operator × sector pair.
 * Every other spelling (the socket subscription, a playlist view, the dashboard view) is built
 * from these schemas, and the types are inferred from them.
 */
export const seriesFilterSchema = z
  .object({
    /** Empty means every operator. */
    operators: z.array(operatorSlugSchema).max(OPERATOR_SLUGS.length).default([]),
    /** Empty means every sector. */
    sectors: z.array(sectorSlugSchema).max(SECTOR_SLUGS.length).default([]),
  })
  .strict();
export type SeriesFilter = z.infer<typeof seriesFilterSchema>;

export const seriesRefSchema = z.object({ operator: operatorSlugSchema, sector: sectorSlugSchema });
export type SeriesRef = z.infer<typeof seriesRefSchema>;

/** The query string the API reads a filter from (`operator=a,b&sector=c`); the inverse of the params above. */
export function filterSearchParams(filter: SeriesFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.operators.length) params.set("operator", filter.operators.join(","));
  if (filter.sectors.length) params.set("sector", filter.sectors.join(","));
  return params;
}
