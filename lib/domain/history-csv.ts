import type { HistoryResponse } from "@/lib/contracts/history";

/** China has one offset all year (no daylight saving): times in a CSV are written with it. */
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** An instant as ISO 8601 in China's time, with its offset: "2026-11-25T16:00:00+08:00". */
export function chinaIsoTime(instantMs: number): string {
  return `${new Date(instantMs + CHINA_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}

export interface CsvHeaders {
  time: string;
  operator: string;
  sector: string;
  mean: string;
  min: string;
  max: string;
  provenance: string;
}

/** A field as CSV writes it: quoted when it holds a comma, quote or line break. */
function field(value: string | number | null): string {
  if (value === null) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A history answer as CSV: one row per series and bucket (time, operator, sector, mean, min,
 * max, provenance), the header row in the caller's language. The provenance column is the
 * series' own over the range: measured, simulated, mixed or none.
 */
export function historyCsv(history: HistoryResponse, headers: CsvHeaders): string {
  const lines = [[headers.time, headers.operator, headers.sector, headers.mean, headers.min, headers.max, headers.provenance].map(field).join(",")];
  for (const series of history.series) {
    const provenance = series.provenance;
    history.buckets.forEach((bucket, index) => {
      lines.push([chinaIsoTime(bucket), series.operator, series.sector, series.mean[index] ?? null, series.min[index] ?? null, series.max[index] ?? null, provenance].map(field).join(","));
    });
  }
  return `${lines.join("\r\n")}\r\n`;
}
