import { z } from "zod";
import { seriesFilterSchema } from "./filters";
import { DEFAULT_VIEW, timeWindowSchema } from "./view";

export const MIN_DWELL_SECONDS = 5;
export const MAX_DWELL_SECONDS = 3600;
export const MAX_VIEWS = 50;

/** One view of a rotation: a filter set and time window, shown for `dwellSeconds`. */
export const playlistViewSchema = z
  .object({
    title: z.string().trim().max(80, "expected at most 80 characters").nullable().default(null),
    ...seriesFilterSchema.shape,
    window: timeWindowSchema.default(DEFAULT_VIEW.window),
    dwellSeconds: z
      .number({ error: "expected a number of seconds" })
      .int("expected whole seconds")
      .min(MIN_DWELL_SECONDS, `expected at least ${MIN_DWELL_SECONDS} seconds`)
      .max(MAX_DWELL_SECONDS, `expected at most ${MAX_DWELL_SECONDS} seconds`),
  })
  .strict();

export const playlistSlugSchema = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/, "expected 1–48 lowercase letters, digits and dashes, not starting or ending with a dash");

export const playlistInputSchema = z
  .object({
    slug: playlistSlugSchema,
    name: z.string().trim().min(1, "expected a name").max(80, "expected at most 80 characters"),
    views: z.array(playlistViewSchema).min(1, "expected at least one view").max(MAX_VIEWS, `expected at most ${MAX_VIEWS} views`),
  })
  .strict();

/** An edit replaces the name and the whole ordered list of views; the slug is the address and stays. */
export const playlistUpdateSchema = playlistInputSchema.omit({ slug: true });

export type PlaylistView = z.output<typeof playlistViewSchema>;
export type PlaylistInput = z.output<typeof playlistInputSchema>;
export type PlaylistUpdate = z.output<typeof playlistUpdateSchema>;

export const playlistSchema = z.object({
  slug: z.string(),
  name: z.string(),
  views: z.array(playlistViewSchema),
  updatedAt: z.iso.datetime(),
});
export type Playlist = z.infer<typeof playlistSchema>;

export const playlistsResponseSchema = z.object({ playlists: z.array(playlistSchema) });
export const playlistResponseSchema = z.object({ playlist: playlistSchema });

export const displayTokenSchema = z.object({
  id: z.number().int(),
  playlist: z.string(),
  label: z.string(),
  createdAt: z.iso.datetime(),
  revokedAt: z.iso.datetime().nullable(),
});
export type DisplayToken = z.infer<typeof displayTokenSchema>;

export const createDisplayTokenSchema = z.object({ label: z.string().trim().min(1, "expected a label").max(80, "expected at most 80 characters") }).strict();

/** The token itself appears once, in the answer to its creation, with the URL to open on the screen. */
export const createdDisplayTokenSchema = z.object({ token: displayTokenSchema, secret: z.string(), url: z.string() });
export const displayTokensResponseSchema = z.object({ tokens: z.array(displayTokenSchema) });
