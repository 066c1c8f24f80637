import { OPERATOR_SLUGS, SECTOR_SLUGS } from "@/lib/contracts/catalog";
import { parseSlugList } from "@/lib/contracts/filters";
import { DEFAULT_VIEW, LANGUAGES, THEMES, TIME_WINDOWS, zoomRangeParamsSchema, type DashboardView, type Language, type ZoomRange } from "@/lib/contracts/view";

/**
 * Everything a view of the dashboard is, kept in the URL so that it can be bookmarked, shared,
 * put on a wall screen and restored by back, forward and reload:
 *   /?operator=china-mobile,china-unicom&sector=energy,transport&window=15m&lang=zh&theme=light
 * and, zoomed into a range by dragging across a chart, `&from=2026-11-25T08:00:00.000Z&to=…`
 * (ISO 8601 or milliseconds, as the history API takes them).
 * This module only reads and writes that URL; the words themselves live in lib/contracts/view.ts.
 */

/** Something in the URL that could not be used and was dropped. */
export interface UrlNotice {
  parameter: "operator" | "sector" | "window" | "lang" | "theme" | "from" | "to";
  value: string;
}

type Params = URLSearchParams | Record<string, string | string[] | undefined>;

function read(params: Params, name: string): string | undefined {
  if (params instanceof URLSearchParams) return params.getAll(name).join(",") || undefined;
  const value = params[name];
  return Array.isArray(value) ? value.join(",") : value;
}

function pick<T extends string>(raw: string | undefined, allowed: readonly T[], fallback: T, parameter: UrlNotice["parameter"], notices: UrlNotice[]): T {
  if (raw === undefined || raw === "") return fallback;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  notices.push({ parameter, value: raw });
  return fallback;
}

/** Reads a view from URL parameters. Never throws: what it cannot use it drops, with a notice. */
export function parseDashboardView(params: Params): { view: DashboardView; notices: UrlNotice[] } {
  const notices: UrlNotice[] = [];
  const operators = parseSlugList(read(params, "operator"), OPERATOR_SLUGS);
  const sectors = parseSlugList(read(params, "sector"), SECTOR_SLUGS);
  notices.push(...operators.unknown.map((value) => ({ parameter: "operator" as const, value })));
  notices.push(...sectors.unknown.map((value) => ({ parameter: "sector" as const, value })));
  const view: DashboardView = {
    // Selecting every operator (or sector) is the same view as selecting none.
    operators: operators.slugs.length === OPERATOR_SLUGS.length ? [] : operators.slugs,
    sectors: sectors.slugs.length === SECTOR_SLUGS.length ? [] : sectors.slugs,
    window: pick(read(params, "window"), TIME_WINDOWS, DEFAULT_VIEW.window, "window", notices),
    lang: pick(read(params, "lang"), LANGUAGES, DEFAULT_VIEW.lang, "lang", notices),
    theme: pick(read(params, "theme"), THEMES, DEFAULT_VIEW.theme, "theme", notices),
  };
  const range = readRange(params, notices);
  return { view: range ? { ...view, range } : view, notices };
}

/** A zoomed range: both ends, each an instant, at least a few minutes apart; else dropped with a notice. */
function readRange(params: Params, notices: UrlNotice[]): ZoomRange | undefined {
  const from = read(params, "from");
  const to = read(params, "to");
  if (from === undefined && to === undefined) return undefined;
  const parsed = zoomRangeParamsSchema.safeParse({ from: from ?? "", to: to ?? "" });
  if (parsed.success) return parsed.data;
  notices.push({ parameter: "from", value: (from ?? "").slice(0, 40) }, { parameter: "to", value: (to ?? "").slice(0, 40) });
  return undefined;
}

/** The query string of a view, leaving out defaults; "" for the default view. */
export function dashboardSearch(view: DashboardView): string {
  const params = new URLSearchParams();
  if (view.operators.length) params.set("operator", OPERATOR_SLUGS.filter((slug) => view.operators.includes(slug)).join(","));
  if (view.sectors.length) params.set("sector", SECTOR_SLUGS.filter((slug) => view.sectors.includes(slug)).join(","));
  if (view.window !== DEFAULT_VIEW.window) params.set("window", view.window);
  if (view.lang !== DEFAULT_VIEW.lang) params.set("lang", view.lang);
  if (view.theme !== DEFAULT_VIEW.theme) params.set("theme", view.theme);
  if (view.range) {
    params.set("from", new Date(view.range.from).toISOString());
    params.set("to", new Date(view.range.to).toISOString());
  }
  // Commas read better in a URL someone types or shares than %2C.
  const search = params.toString().replace(/%2C/g, ",").replace(/%3A/g, ":");
  return search ? `?${search}` : "";
}

/** `path` in `lang`: English is the default and needs no parameter (the operators' pages take only `lang`). */
export const withLang = (path: string, lang: Language) => (lang === DEFAULT_VIEW.lang ? path : `${path}?lang=${lang}`);
