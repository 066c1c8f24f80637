"use client";

import type { ChartData, ChartDataset, ChartOptions, Chart as ChartJS } from "chart.js";
import { useEffect, useMemo, useRef } from "react";
import { Chart } from "react-chartjs-2";
import type { Tick } from "@/lib/contracts/realtime";
import type { Frame } from "@/lib/domain/aggregate";
import type { Theme } from "@/lib/contracts/view";
import { afterPaint, benchHooks } from "@/lib/realtime/bench-probe";
import { CHART_THEME, useChartFontSize } from "./chart-theme";
import "./register";

/** `v` is the dataset's own value where `y` is a stacked sum (the tooltip shows `v`). */
type Point = { x: number; y: number | null; v?: number | null };

/** Points per line at most (see the bucketing in the update effect). */
export const CHART_MAX_POINTS = 300;

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
  hidden?: boolean;
}

export interface StreamingChartProps {
  specs: readonly SeriesSpec[];
  /** Older frames (history); drawn before the first live tick. */
  history: readonly Frame[];
  /** Live ticks of the current subscription, oldest first, or null for a history-only view. */
  live: readonly Tick[] | null;
  /** Changes when the live window is replaced (a new filter): everything is redrawn then. */
  liveKey: string;
  /** Turns a frame's series values into one y per spec (null: no point); `spanMs` > 0 for a history bucket. */
  project: (values: readonly (number | null)[], t: number, spanMs: number) => readonly (number | null)[];
  /** Markers (alerts) as [specId, x, y] triples; drawn on the spec with `markers`. */
  markers?: readonly { specId: string; x: number; y: number }[];
  windowMs: number;
  stacked?: boolean;
  theme: Theme;
  formatX: (t: number) => string;
  formatY: (value: number) => string;
  ariaLabel: string;
  legend?: boolean;
}

/**
 * A Chart.js line chart for streaming data. The chart is created once; each new tick appends
 * one point per dataset and drops the points that left the window, then redraws without
 * animation. Arrays are bounded by the window, so a screen can run for days.
 */
export function StreamingChart(props: StreamingChartProps) {
  const { specs, history, live, liveKey, project, markers, windowMs, stacked, theme, formatX, formatY, ariaLabel, legend = true } = props;
  const chartRef = useRef<ChartJS<"line", Point[]> | undefined>(undefined);
  const rendered = useRef<{
    specKey: string;
    liveKey: string;
    history: readonly Frame[] | null;
    firstSeq: number;
    lastSeq: number;
    markers: StreamingChartProps["markers"] | null;
    windowMs: number;
    /** The bucket being filled (its start), and the running sums and counts of each dataset in it. */
    bucket: number;
    sums: number[];
    counts: number[];
  }>({
    markers: null,
    windowMs: 0,
    bucket: -Infinity,
    sums: [],
    counts: [],
    specKey: "",
    liveKey: "",
    history: null,
    firstSeq: Infinity,
    lastSeq: -Infinity,
  });
  const specKey = specs.map((spec) => `${spec.id}:${spec.label}:${spec.color}`).join("|");
  const specsRef = useRef(specs);
  useEffect(() => {
    specsRef.current = specs;
  });

  // One data array per dataset, owned here and mutated in place; the chart holds the same arrays.
  const data = useMemo<ChartData<"line", Point[]>>(
    () => ({
      datasets: specs.map(
        (spec, index): ChartDataset<"line", Point[]> => ({
          label: spec.label,
          data: [],
          borderColor: spec.color,
          backgroundColor: spec.fillColor ?? spec.color,
          // Stacked: each area fills down to the one below it (the first to the axis).
          fill: stacked ? (index === 0 ? "origin" : "-1") : (spec.fill ?? false),
          borderDash: spec.dash,
          borderWidth: spec.width ?? 2,
          pointRadius: spec.markers ? 5 : 0,
          pointHoverRadius: spec.markers ? 7 : 3,
          showLine: !spec.markers,
          hidden: spec.hidden,
          order: spec.markers ? -1 : 0,
        }),
      ),
    }),
    // The datasets change only with the set of series (a filter change); labels and colours follow the ids.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [specKey, stacked],
  );

  const fontSize = useChartFontSize();
  const options = useMemo<ChartOptions<"line">>(() => {
    const colors = CHART_THEME[theme];
    const font = { size: fontSize };
    return {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      spanGaps: false,
      // Lines only: no point elements to size, style or draw on every tick.
      elements: { point: { radius: 0, hoverRadius: 3, hitRadius: 4 }, line: { tension: 0 } },
      interaction: { mode: "nearest", axis: "x", intersect: false },
      plugins: {
        legend: { display: legend, labels: { color: colors.text, font, boxWidth: fontSize, filter: (item) => !specsRef.current[item.datasetIndex ?? 0]?.markers } },
        tooltip: {
          callbacks: {
            title: (items) => (items[0] ? formatX(items[0].parsed.x ?? 0) : ""),
            label: (item) => `${item.dataset.label}: ${formatY((item.raw as Point).v ?? item.parsed.y ?? 0)}`,
          },
        },
        // Our own bucketing keeps lines short; the plugin would swap the data arrays we update in place.
        decimation: { enabled: false },
      },
      scales: {
        x: { type: "linear", grid: { color: colors.grid }, ticks: { color: colors.text, font, maxTicksLimit: 6, maxRotation: 0, sampleSize: 6, callback: (value) => formatX(Number(value)) } },
        y: { grid: { color: colors.grid }, ticks: { color: colors.text, font, maxTicksLimit: 6, sampleSize: 6, callback: (value) => formatY(Number(value)) } },
      },
    };
    // Formatters follow the language; a new language re-renders the parent with new functions.
  }, [theme, legend, formatX, formatY, fontSize]);

  useEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    const datasets = chart.data.datasets;
    const state = rendered.current;
    const lineIds = specs.map((spec) => (spec.markers ? null : spec.id));

    // A full redraw fills fresh arrays and hands them over whole: pushing thousands of points one
    // by one into arrays Chart.js watches costs it a re-parse per point.
    const rebuild =
      state.specKey !== specKey ||
      state.liveKey !== liveKey ||
      state.history !== history ||
      state.windowMs !== windowMs ||
      (live?.[0]?.s ?? Infinity) < state.firstSeq;
    const bench = rebuild ? benchHooks() : undefined;
    const rebuildStarted = bench ? performance.now() : 0;
    const targets: Point[][] = rebuild ? specs.map(() => []) : datasets.map((dataset) => dataset.data);
    // At most CHART_MAX_POINTS points per line, whatever the window: frames are averaged into buckets of
    // windowMs / CHART_MAX_POINTS (1 s for 5 minutes, 3 s for 15, 12 s for an hour). Drawing more points
    // than a chart has pixels costs time on every tick and shows nothing more.
    const bucketMs = Math.max(1, windowMs / CHART_MAX_POINTS);
    if (rebuild) state.bucket = -Infinity;
    let changed = rebuild;
    const pushFrame = (values: readonly (number | null)[], t: number, spanMs = 0) => {
      changed = true;
      const ys = project(values, t, spanMs);
      const bucket = Math.floor(t / bucketMs) * bucketMs;
      const same = bucket === state.bucket;
      if (!same) {
        state.bucket = bucket;
        state.sums = specs.map(() => 0);
        state.counts = specs.map(() => 0);
      }
      // Stacked areas are summed here, once per point, rather than by Chart.js's stacking, which
      // walks every dataset for every point on every update.
      let below = 0;
      lineIds.forEach((id, index) => {
        const points = targets[index];
        if (id === null || !points) return;
        const y = ys[index];
        if (y !== null && y !== undefined) {
          state.sums[index]! += y;
          state.counts[index]!++;
        }
        const mean = state.counts[index] ? state.sums[index]! / state.counts[index]! : null;
        const point: Point = stacked ? { x: bucket, y: mean === null ? null : (below += mean), v: mean } : { x: bucket, y: mean };
        if (!same) points.push(point);
        else if (rebuild) points[points.length - 1] = point;
        else {
          // Replaced rather than mutated, so that Chart.js re-parses it.
          points.pop();
          points.push(point);
        }
      });
    };

    if (rebuild) {
      const firstLive = live?.[0]?.t ?? Infinity;
      for (const frame of history) if (frame.t < firstLive) pushFrame(frame.values, frame.t, frame.spanMs);
      for (const tick of live ?? []) pushFrame(tick.v, tick.t);
      state.firstSeq = live?.[0]?.s ?? Infinity;
      state.lastSeq = live?.at(-1)?.s ?? -Infinity;
    } else if (live) {
      for (const tick of live) {
        if (tick.s <= state.lastSeq) continue;
        pushFrame(tick.v, tick.t);
        state.lastSeq = tick.s;
      }
    }
    Object.assign(state, { specKey, liveKey, history, windowMs });

    // The window ends at the newest point; older points fall off the front.
    const newest = live?.at(-1)?.t ?? history.at(-1)?.t ?? 0;
    const oldest = newest - windowMs;
    lineIds.forEach((id, index) => {
      const points = targets[index];
      if (id === null || !points) return;
      let drop = 0;
      while (drop < points.length && points[drop]!.x < oldest) drop++;
      if (drop > 0) {
        points.splice(0, drop);
        changed = true;
      }
    });
    // Markers (alerts) change rarely: redrawn only when they do; the axis clips old ones.
    if (rebuild || state.markers !== markers) {
      changed = true;
      specs.forEach((spec, index) => {
        if (!spec.markers) return;
        targets[index] = (markers ?? []).filter((marker) => marker.specId === spec.id).map((marker) => ({ x: marker.x, y: marker.y }));
        if (!rebuild) datasets[index]!.data = targets[index]!;
      });
      state.markers = markers;
    }
    if (rebuild) targets.forEach((points, index) => (datasets[index]!.data = points));
    const x = chart.options.scales?.x;
    if (x && (x.min !== oldest || x.max !== newest)) {
      x.min = oldest;
      x.max = newest;
      changed = true;
    }
    // A re-render without new data (a parent's unrelated state) draws nothing.
    if (!changed) return;
    chart.update("none");
    if (bench?.chartRebuilt) {
      const points = datasets.reduce((total, dataset) => total + dataset.data.length, 0);
      afterPaint(() => bench.chartRebuilt?.({ label: ariaLabel, points, ms: performance.now() - rebuildStarted }));
    }
  });

  return (
    <div className="relative h-full w-full">
      <Chart ref={chartRef} type="line" data={data} options={options} role="img" aria-label={ariaLabel} />
    </div>
  );
}
