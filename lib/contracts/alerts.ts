import { z } from "zod";
import { operatorSlugSchema, sectorSlugSchema } from "./catalog";
import { operatorListParam, sectorListParam } from "./filters";
import { isInstantInRange } from "./instant";

export const ALERT_KINDS = ["drop", "surge"] as const;
export const ALERT_SEVERITIES = ["info", "warning", "critical"] as const;
/** The data an alert was raised on (and the values of history rollups): the simulator's, or measured samples. */
export const DATA_PROVENANCES = ["simulated", "measured"] as const;
export type DataProvenance = (typeof DATA_PROVENANCES)[number];

export const alertSchema = z.object({
  id: z.number().int(),
  raisedAt: z.iso.datetime(),
  operator: operatorSlugSchema,
  /** null: the alert is about the operator's total across sectors. */
  sector: sectorSlugSchema.nullable(),
  kind: z.enum(ALERT_KINDS),
  severity: z.enum(ALERT_SEVERITIES),
  observed: z.number(),
  expected: z.number(),
  expectedLow: z.number(),
  expectedHigh: z.number(),
  message: z.string(),
  provenance: z.enum(DATA_PROVENANCES),
  resolvedAt: z.iso.datetime().nullable(),
});

export type Alert = z.infer<typeof alertSchema>;
export type AlertSeverity = Alert["severity"];
export type AlertKind = Alert["kind"];

export const alertsQuerySchema = z.object({
  operator: operatorListParam,
  sector: sectorListParam,
  limit: z.coerce
    .number({ error: "expected a number" })
    .int("expected a whole number")
    .min(1, "expected at least 1")
    .max(500, "expected at most 500")
    .default(50),
  /** Only alerts raised before this instant (for paging back in time). */
  before: z.iso
    .datetime({ error: "expected an ISO 8601 date-time such as 2026-11-25T08:00:00Z" })
    .refine((value) => isInstantInRange(Date.parse(value)), "expected a date-time between 1970 and 9999")
    .optional(),
  /** Only alerts that have not been resolved. */
  active: z.enum(["true", "false"], { error: "expected true or false" }).optional(),
});

export const alertsResponseSchema = z.object({ alerts: z.array(alertSchema) });
export type AlertsResponse = z.infer<typeof alertsResponseSchema>;
