import { z } from "zod";
import { INCIDENT_KINDS } from "@/lib/domain/simulator/incidents";
import { operatorSlugSchema, sectorSlugSchema } from "./catalog";

/** The simulator's kinds of incident, as every contract that carries one spells them. */
export const incidentKindSchema = z.enum(INCIDENT_KINDS);

export const triggerIncidentSchema = z
  .object({
    kind: incidentKindSchema,
    operator: operatorSlugSchema.optional(),
    sector: sectorSlugSchema.optional(),
    /** Fraction lost (outage, leak) or gained (surge) at full effect. */
    magnitude: z.number().gt(0, "expected more than 0").max(0.95, "expected at most 0.95").optional(),
    durationSeconds: z.number().int().min(10, "expected at least 10 seconds").max(3600, "expected at most 3600 seconds").optional(),
  })
  .strict()
  .superRefine((incident, ctx) => {
    // What each kind of incident applies to: an operator, a sector, or one series.
    const needs = { outage: ["operator"], surge: ["sector"], leak: ["operator", "sector"] } as const;
    for (const field of ["operator", "sector"] as const) {
      const needed = (needs[incident.kind] as readonly string[]).includes(field);
      if (needed && incident[field] === undefined) ctx.addIssue({ code: "custom", message: `a ${incident.kind} needs ${field === "operator" ? "an operator" : "a sector"}` });
      if (!needed && incident[field] !== undefined) ctx.addIssue({ code: "custom", message: `a ${incident.kind} applies to ${needs[incident.kind].join(" and ")} only, not ${field}` });
    }
  });

export type TriggerIncidentRequest = z.infer<typeof triggerIncidentSchema>;

export const incidentResponseSchema = z.object({
  incident: z.object({
    kind: incidentKindSchema,
    operator: operatorSlugSchema.nullable(),
    sector: sectorSlugSchema.nullable(),
    magnitude: z.number(),
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime(),
  }),
});
export type IncidentResponse = z.infer<typeof incidentResponseSchema>;
