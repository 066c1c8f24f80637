import { z } from "zod";
import { operatorSlugSchema, sectorSlugSchema } from "./catalog";

/**
 * A figure is either *reported* (stated by the GSMA report, with its source) or an
 * *assumption* (something the product needs that the report does not give, with the
 * reasoning in `note`). The screen always says which.
 */
export const PROVENANCES = ["reported", "assumption"] as const;
export const provenanceSchema = z.enum(PROVENANCES);
export type Provenance = z.infer<typeof provenanceSchema>;

export const baselineSchema = z.object({
  /** Stable identifier, e.g. "global-share-2013.asia"; the seed upserts by it. */
  key: z.string(),
  /** What is measured, e.g. "global-connection-share". Figures of one metric chart together. */
  metric: z.string(),
  label: z.string(),
  value: z.number(),
  unit: z.string(),
  /** "2013", "2010-2013", "2013-02". */
  period: z.string(),
  /** Where the figure applies: "global", "Asia", "China". */
  scope: z.string(),
  operator: operatorSlugSchema.nullable(),
  sector: sectorSlugSchema.nullable(),
  provenance: provenanceSchema,
  source: z.string(),
  attribution: z.string().nullable(),
  note: z.string().nullable(),
  /** Set when the figure disagrees with another reported figure; says with which and how. */
  caveat: z.string().nullable(),
});

export type Baseline = z.infer<typeof baselineSchema>;

export const baselinesResponseSchema = z.object({ baselines: z.array(baselineSchema) });
export type BaselinesResponse = z.infer<typeof baselinesResponseSchema>;
