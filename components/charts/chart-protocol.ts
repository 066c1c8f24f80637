import type { PackedHistory } from "@/lib/domain/packed-history";
import type { SeriesRef } from "@/lib/contracts/filters";
import type { Tick } from "@/lib/contracts/realtime";
import type { Language, Theme, TimeWindow } from "@/lib/contracts/view";

/**
 * What the page and the chart worker say to each other. The page hands over data and view
 * changes only; projecting series into lines, bucketing, stacking, the expected band and all
 * drawing happen on the other side (components/charts/chart-hub.ts), in the worker when the
 * browser can draw there, else on the page's thread with the same code.
 */

/** Points per line at most: drawing more points than a chart has pixels costs time and shows nothing more. */
export const CHART_MAX_POINTS = 300;

/** How a chart turns the view's series into lines: computed by the hub from the series list. */
export type ChartKind = "total" | "operators" | "sectors" | "band" | "deviation";

export interface SeriesSpec {
  id: string;
  label: string;
  color: string;
  /** Area fill: true to the axis (stacked areas), or "+1"/"-1" to the next/previous dataset (bands). */
  fill?: boolean | string;
  /** Fill colour where it differs from the line colour (bands). */
  fillColor?: string;
  dash?: number[];
  width?: number;
  /** Drawn as points only (alert markers). */
  markers?: boolean;
}

/** An alert on a chart: `y` null means "where the observed total stood at `x`" (found by the hub). */
export interface ChartMarker {
  x: number;
  y: number | null;
}

export interface ChartConfig {
  kind: ChartKind;
  specs: SeriesSpec[];
  /** The view's series, in the order of a tick's values. */
  series: SeriesRef[];
  stacked: boolean;
  legend: boolean;
  /** The chart's caption, for the benchmark's reports and exports. */
  label: string;
  theme: Theme;
  lang: Language;
  window: TimeWindow;
  windowMs: number;
  /** Chart text size in CSS pixels (the wall's type scale reaches the chart through it). */
  fontSize: number;
  /** Values are percentages (departure from expected) rather than connection counts. */
  percent: boolean;
  /** The live stream drawn (its filter key), or null in a history-only view. */
  stream: string | null;
  /** The history drawn before the live ticks (a key given by the page), or null. */
  historyKey: number | null;
  markers: ChartMarker[];
  /** A zoomed range: the x axis shows exactly this, and the live edge does not move it. */
  range: { from: number; to: number } | null;
}

/** Where a chart's plot area is and what time its edges stand for: lets the page map a drag to times. */
export interface ChartGeometry {
  left: number;
  right: number;
  top: number;
  bottom: number;
  min: number;
  max: number;
}

export interface PngLabels {
  title: string;
  lines: string[];
}

export type ToHub =
  | { type: "create"; id: number; canvas?: OffscreenCanvas; width: number; height: number; dpr: number; config: ChartConfig }
  | { type: "config"; id: number; config: ChartConfig }
  | { type: "resize"; id: number; width: number; height: number; dpr: number }
  | { type: "pointer"; id: number; kind: "mousemove" | "mouseout" | "click"; x: number; y: number }
  | { type: "dispose"; id: number }
  | { type: "history"; key: number; history: PackedHistory }
  | { type: "forget-history"; key: number }
  /** A fresh window for a stream (a new subscription, or the first ticks seen). */
  | { type: "live-reset"; stream: string; ticks: Tick[] }
  /** Ticks after the last one sent; the first may have that one's `s`: a revision, which replaces it. */
  | { type: "live-append"; stream: string; ticks: Tick[] }
  | { type: "png"; id: number; request: number; labels: PngLabels };

export type FromHub =
  /** Every chart drawing `stream` shows the tick `seq`; `at` is the clock after that frame. */
  | { type: "painted"; stream: string; seq: number; at: number; geometries: [number, ChartGeometry][] }
  | { type: "rebuilt"; id: number; label: string; points: number; ms: number }
  | { type: "tooltip"; id: number; title: string | null; lines: string[] }
  /** After a chart was rebuilt or resized (a tick's moves come with "painted"). */
  | { type: "geometry"; id: number; geometry: ChartGeometry }
  | { type: "png"; request: number; blob: Blob | null };
