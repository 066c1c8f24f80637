import { z } from "zod";
import { seriesFilterSchema } from "./filters";

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

/** Everything a view of the dashboard is; the URL carries it (see lib/domain/dashboard-url.ts). */
export const dashboardViewSchema = seriesFilterSchema.extend({
  window: timeWindowSchema,
  lang: languageSchema,
  theme: themeSchema,
});
export type DashboardView = z.infer<typeof dashboardViewSchema>;

export const DEFAULT_VIEW: DashboardView = { operators: [], sectors: [], window: "15m", lang: "en", theme: "dark" };
