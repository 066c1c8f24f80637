"use client";

import { useContext } from "react";
import { filterSearchParams } from "@/lib/contracts/filters";
import { WINDOW_MS } from "@/lib/contracts/view";
import { canonicalFilter } from "@/lib/domain/series";
import { HISTORY_POINTS } from "@/lib/queries/history";
import { useView } from "@/components/providers/view-context";
import { WallContext } from "@/components/providers/wall-context";

/**
 * A chart panel's data as CSV, from the history API (`format=csv`): the view's filter and time
 * (its window up to the server's now, or the zoomed range), headers in the view's language.
 * Not on a wall, which has no controls.
 */
export function CsvExport({ panel }: { panel: string }) {
  const { view, messages } = useView();
  const wall = useContext(WallContext);
  if (wall) return null;
  const params = filterSearchParams(canonicalFilter({ operators: view.operators, sectors: view.sectors }));
  if (view.range) {
    params.set("from", String(view.range.from));
    params.set("to", String(view.range.to));
  } else {
    params.set("span", String(WINDOW_MS[view.window] / 1000));
    if (view.window === "24h" || view.window === "7d") params.set("points", String(HISTORY_POINTS[view.window]));
  }
  params.set("format", "csv");
  params.set("lang", view.lang);
  return (
    <a
      href={`/api/history?${params}`}
      download
      data-export-csv
      aria-label={messages.exports.csvLabel(panel)}
      title={messages.exports.csvLabel(panel)}
      className="rounded border border-panel-border px-1.5 py-0.5 text-xs text-ink-muted hover:border-ink-muted hover:text-ink focus-visible:outline-2 focus-visible:outline-accent"
    >
      {messages.exports.csv}
    </a>
  );
}
