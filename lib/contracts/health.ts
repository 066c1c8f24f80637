import { z } from "zod";
import { clusterHealthSchema } from "./cluster";

export const healthResponseSchema = z.object({
  status: z.enum(["ok", "degraded"]),
  version: z.string(),
  uptimeSeconds: z.number(),
  database: z.object({
    status: z.enum(["up", "down"]),
    /** Round trip of `SELECT 1`, or how long it took to fail. */
    latencyMs: z.number(),
    /** Which database the process uses: an external DATABASE_URL or the embedded one. */
    kind: z.enum(["external", "embedded"]),
    error: z.string().optional(),
  }),
  /** This node among the cluster's (docs/SCALING.md): one process on its own is "standalone". */
  cluster: clusterHealthSchema,
});

export type HealthResponse = z.infer<typeof healthResponseSchema>;
