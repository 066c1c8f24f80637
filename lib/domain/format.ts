/** Formats a baseline figure with its unit: "40%", "4,600 lanes", "5.1 million drivers". */
export function formatFigure(value: number, unit: string, locale = "en"): string {
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value);
  if (unit === "percent") return `${number}%`;
  if (unit.startsWith("percent ")) return `${number}% ${unit.slice("percent ".length)}`;
  return `${number} ${unit}`;
}

/** A connection count in a few characters: "8.4M", "912k", "45". */
export function formatCompactCount(value: number, locale = "en"): string {
  return new Intl.NumberFormat(locale, { notation: "compact", maximumFractionDigits: 1 }).format(value);
}
