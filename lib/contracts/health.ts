import { z } from "zod";

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
  /** Present while the live stream runs. */
  cluster: z
    .object({
      /**
       * The node running the singletons (rollups, alerts, back-fill, retention, MQTT ingest):
       * "<host>:<pid>" (docs/SCALING.md); this server itself when standalone; null while no node
       * holds the lease (a takeover in progress) or the database cannot be asked.
       */
      leaseHolder: z.string().nullable(),
    })
    .optional(),
});

export type HealthResponse = z.infer<typeof healthResponseSchema>;
