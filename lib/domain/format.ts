import type { Language } from "@/lib/contracts/view";

const LOCALE: Record<Language, string> = { en: "en-US", zh: "zh-CN" };

// Building an Intl formatter costs far more than using one, and charts format every axis label
// on every tick: keep one per locale and options.
const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function numberFormat(locale: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) numberFormats.set(key, (format = new Intl.NumberFormat(locale, options)));
  return format;
}

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) dateFormats.set(key, (format = new Intl.DateTimeFormat(locale, options)));
  return format;
}

/** Formats a baseline figure with its unit: "40%", "4,600 lanes", "5.1 million drivers". */
export function formatFigure(value: number, unit: string, locale = "en"): string {
  const number = numberFormat(locale, { maximumFractionDigits: 1 }).format(value);
  if (unit === "percent") return `${number}%`;
  if (unit.startsWith("percent ")) return `${number}% ${unit.slice("percent ".length)}`;
  return `${number} ${unit}`;
}

/** A connection count in a few characters: "8.4M", "912k", "45". */
export function formatCompactCount(value: number, locale = "en"): string {
  return numberFormat(locale, { notation: "compact", maximumFractionDigits: 1 }).format(value);
}

/**
 * A count as people of each language read it: "26,613,114" in English; in Chinese counted in
 * 万 (10⁴) and 亿 (10⁸), "2,661.3万" and "1.23亿", the way Chinese operators report them.
 */
export function formatCount(value: number, lang: Language): string {
  if (lang === "zh") {
    if (Math.abs(value) >= 1e8) return `${numberFormat("zh-CN", { maximumFractionDigits: 2 }).format(value / 1e8)}亿`;
    if (Math.abs(value) >= 1e4) return `${numberFormat("zh-CN", { maximumFractionDigits: 1 }).format(value / 1e4)}万`;
  }
  return numberFormat(LOCALE[lang], { maximumFractionDigits: 0 }).format(value);
}

/** Short form for chart axes and dense cells: "26.6M" / "2661万". */
export function formatCountShort(value: number, lang: Language): string {
  if (lang === "zh") {
    if (Math.abs(value) >= 1e8) return `${numberFormat("zh-CN", { maximumFractionDigits: 1 }).format(value / 1e8)}亿`;
    if (Math.abs(value) >= 1e4) return `${numberFormat("zh-CN", { maximumFractionDigits: 0 }).format(value / 1e4)}万`;
    return numberFormat("zh-CN").format(value);
  }
  return formatCompactCount(value, LOCALE[lang]);
}

/** A few characters for a dense table cell: "8.8M", "820K" in English; "881万", "8.24万" in Chinese. */
export function formatCountCell(value: number, lang: Language): string {
  if (lang === "zh") {
    if (Math.abs(value) >= 1e8) return `${numberFormat("zh-CN", { maximumSignificantDigits: 2 }).format(value / 1e8)}亿`;
    if (Math.abs(value) >= 1e4) return `${numberFormat("zh-CN", { maximumSignificantDigits: 3 }).format(value / 1e4)}万`;
    return numberFormat("zh-CN").format(value);
  }
  return numberFormat(LOCALE[lang], { notation: "compact", maximumSignificantDigits: 2 }).format(value);
}

/** A signed percentage with a real minus sign: "+1.2%", "−0.4%", "0.0%". */
export function formatChangePct(ratio: number, lang: Language): string {
  const pct = ratio * 100;
  const number = numberFormat(LOCALE[lang], { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(Math.abs(pct));
  if (number === "0.0") return "0.0%";
  return `${pct > 0 ? "+" : "−"}${number}%`;
}

/**
 * Times are shown in China Standard Time, where the networks are: the same on every screen
 * and on the server's first render, whatever the viewer's time zone.
 */
export const DISPLAY_TIME_ZONE = "Asia/Shanghai";

export function formatClock(instantMs: number, lang: Language, withSeconds = true): string {
  return dateFormat(LOCALE[lang], {
    timeZone: DISPLAY_TIME_ZONE,
    hour: "2-digit",
    minute: "2-digit",
    ...(withSeconds ? { second: "2-digit" } : {}),
    hour12: false,
  }).format(instantMs);
}

export function formatDateTime(instantMs: number, lang: Language): string {
  return dateFormat(LOCALE[lang], {
    timeZone: DISPLAY_TIME_ZONE,
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  }).format(instantMs);
}

/** How long ago, in the largest sensible unit: "4 s", "3 min", "2 h". */
export function formatAge(ms: number, lang: Language): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const [value, unit] = seconds < 90 ? [seconds, "second"] : seconds < 5400 ? [Math.round(seconds / 60), "minute"] : [Math.round(seconds / 3600), "hour"];
  return numberFormat(LOCALE[lang], { style: "unit", unit, unitDisplay: "short" }).format(value);
}
