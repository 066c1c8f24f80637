import { z } from "zod";

/** What a wall screen says about itself every half minute (socket event display:heartbeat). */
export const heartbeatSchema = z
  .object({
    displayId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, "expected 8–64 letters, digits, dashes or underscores"),
    playlist: z.string().max(48).nullable(),
    viewIndex: z.number().int().min(0).max(1000).nullable(),
    viewTitle: z.string().max(120).nullable(),
    buildId: z.string().max(64),
    /** performance.memory.usedJSHeapSize where the browser offers it. */
    jsHeapBytes: z.number().nonnegative().max(64 * 2 ** 30).nullable(),
    /** Frames drawn per second over the last few seconds. */
    fps: z.number().nonnegative().max(1000).nullable(),
  })
  .strict();
export type Heartbeat = z.infer<typeof heartbeatSchema>;

export const displaySchema = z.object({
  id: z.string(),
  playlist: z.string().nullable(),
  viewTitle: z.string().nullable(),
  viewIndex: z.number().nullable(),
  buildId: z.string().nullable(),
  jsHeapBytes: z.number().nullable(),
  fps: z.number().nullable(),
  userAgent: z.string().nullable(),
  firstSeenAt: z.iso.datetime(),
  lastSeenAt: z.iso.datetime(),
  /** "ok": heard from within 90 s; "silent": not since. */
  health: z.enum(["ok", "silent"]),
  /** Whether it runs the build the server runs. */
  currentBuild: z.boolean(),
  /** Whether it has a socket open to this server now. */
  connected: z.boolean(),
});
export type Display = z.infer<typeof displaySchema>;
export const displaysResponseSchema = z.object({ displays: z.array(displaySchema), buildId: z.string() });
