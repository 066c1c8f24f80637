import { z } from "zod";
import { seriesFilterSchema } from "./filters";
import { instantParam } from "./instant";

/**
 * The core words of a dashboard view, defined once: the time windows, the languages, the themes
 * and the view itself (a series filter plus a window, a language and a theme). The URL parser
 * (lib/domain/dashboard-url.ts), playlists, the wall and the panels all take them from here.
 */
export const TIME_WINDOWS = ["5m", "15m", "1h", "24h", "7d"] as const;
export const timeWindowSchema = z.enum(TIME_WINDOWS, { error: `expected one of ${TIME_WINDOWS.join(", ")}` });
export type TimeWindow = z.infer<typeof timeWindowSchema>;

export const LANGUAGES = ["en", "zh"] as const;
export const languageSchema = z.enum(LANGUAGES);
export type Language = z.infer<typeof languageSchema>;

export const THEMES = ["dark", "light"] as const;
export const themeSchema = z.enum(THEMES);
export type Theme = z.infer<typeof themeSchema>;

/** Live windows are drawn from the stream; history windows from per-minute rollups. */
export const WINDOW_MS: Record<TimeWindow, number> = {
  "5m": 5 * 60_000,
  "15m": 15 * 60_000,
  "1h": 60 * 60_000,
  "24h": 24 * 3_600_000,
  "7d": 7 * 24 * 3_600_000,
};
export const isLiveWindow = (window: TimeWindow) => window === "5m" || window === "15m" || window === "1h";

/** The narrowest and widest time range a chart can be zoomed to (history is kept per minute). */
export const ZOOM_MIN_MS = 2 * 60_000;
export const ZOOM_MAX_DAYS = 31; // as far as the history API answers at once (MAX_HISTORY_RANGE_DAYS)
export const ZOOM_MAX_MS = ZOOM_MAX_DAYS * 86_400_000;

/** A time range the dashboard's charts are zoomed into (dragged across a chart); instants in ms. */
export const zoomRangeSchema = z
  .object({ from: z.number().int(), to: z.number().int() })
  .refine((range) => range.to - range.from >= ZOOM_MIN_MS, { error: `expected a range of at least ${ZOOM_MIN_MS / 60_000} minutes, from before to` })
  .refine((range) => range.to - range.from <= ZOOM_MAX_MS, { error: `expected a range of at most ${ZOOM_MAX_DAYS} days` });
export type ZoomRange = z.infer<typeof zoomRangeSchema>;

/** `from`/`to` as the URL has them: ISO 8601 or milliseconds, as the history API takes them. */
export const zoomRangeParamsSchema = z.object({ from: instantParam, to: instantParam }).pipe(zoomRangeSchema);

/** Everything a view of the dashboard is; the URL carries it (see lib/domain/dashboard-url.ts). */
export const dashboardViewSchema = seriesFilterSchema.extend({
  window: timeWindowSchema,
  lang: languageSchema,
  theme: themeSchema,
  /** Zoomed into this range (the dashboard only; a wall never zooms). */
  range: zoomRangeSchema.optional(),
});
export type DashboardView = z.infer<typeof dashboardViewSchema>;

export const DEFAULT_VIEW: DashboardView = { operators: [], sectors: [], window: "15m", lang: "en", theme: "dark" };
