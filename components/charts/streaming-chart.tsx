"use client";

import type { ChartData, ChartDataset, ChartOptions, Chart as ChartJS } from "chart.js";
import { useEffect, useMemo, useRef } from "react";
import { Chart } from "react-chartjs-2";
import type { Tick } from "@/lib/contracts/realtime";
import type { Frame } from "@/lib/domain/aggregate";
import type { Theme } from "@/lib/domain/dashboard-url";
import { afterPaint, benchHooks } from "@/lib/realtime/bench-probe";
import { CHART_THEME, useChartFontSize } from "./chart-theme";
import "./register";

type Point = { x: number; y: number | null };

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
  const rendered = useRef<{ specKey: string; liveKey: string; history: readonly Frame[] | null; firstSeq: number; lastSeq: number }>({
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
        (spec): ChartDataset<"line", Point[]> => ({
          label: spec.label,
          data: [],
          borderColor: spec.color,
          backgroundColor: spec.fillColor ?? spec.color,
          fill: spec.fill ?? false,
          borderDash: spec.dash,
          borderWidth: spec.width ?? 2,
          pointRadius: spec.markers ? 5 : 0,
          pointHoverRadius: spec.markers ? 7 : 3,
          showLine: !spec.markers,
          hidden: spec.hidden,
          stack: stacked ? "stack" : undefined,
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
      interaction: { mode: "nearest", axis: "x", intersect: false },
      plugins: {
        legend: { display: legend, labels: { color: colors.text, font, boxWidth: fontSize, filter: (item) => !specsRef.current[item.datasetIndex ?? 0]?.markers } },
        tooltip: {
          callbacks: {
            title: (items) => (items[0] ? formatX(items[0].parsed.x ?? 0) : ""),
            label: (item) => `${item.dataset.label}: ${formatY(item.parsed.y ?? 0)}`,
          },
        },
        decimation: { enabled: true, algorithm: "min-max" },
      },
      scales: {
        x: { type: "linear", grid: { color: colors.grid }, ticks: { color: colors.text, font, maxTicksLimit: 6, callback: (value) => formatX(Number(value)) } },
        y: { stacked: !!stacked, grid: { color: colors.grid }, ticks: { color: colors.text, font, maxTicksLimit: 6, callback: (value) => formatY(Number(value)) } },
      },
    };
    // Formatters follow the language; a new language re-renders the parent with new functions.
  }, [theme, stacked, legend, formatX, formatY, fontSize]);

  useEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    const datasets = chart.data.datasets;
    const state = rendered.current;
    const lineIds = specs.map((spec) => (spec.markers ? null : spec.id));

    const pushFrame = (values: readonly (number | null)[], t: number, spanMs = 0) => {
      const ys = project(values, t, spanMs);
      lineIds.forEach((id, index) => {
        if (id !== null) datasets[index]?.data.push({ x: t, y: ys[index] ?? null });
      });
    };

    // Redraw everything for a new filter, new history, or when older ticks arrived in front of
    // what is drawn (the socket's full snapshot after the server-rendered first minute).
    const rebuild =
      state.specKey !== specKey || state.liveKey !== liveKey || state.history !== history || (live?.[0]?.s ?? Infinity) < state.firstSeq;
    const bench = rebuild ? benchHooks() : undefined;
    const rebuildStarted = bench ? performance.now() : 0;
    if (rebuild) {
      for (const dataset of datasets) dataset.data.length = 0;
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
    Object.assign(state, { specKey, liveKey, history });

    // The window ends at the newest point; older points fall off the front.
    const newest = live?.at(-1)?.t ?? history.at(-1)?.t ?? 0;
    const oldest = newest - windowMs;
    lineIds.forEach((id, index) => {
      const points = datasets[index]?.data;
      if (id === null || !points) return;
      let drop = 0;
      while (drop < points.length && points[drop]!.x < oldest) drop++;
      if (drop > 0) points.splice(0, drop);
    });
    specs.forEach((spec, index) => {
      if (!spec.markers) return;
      const points = datasets[index]!.data;
      points.length = 0;
      for (const marker of markers ?? []) if (marker.specId === spec.id && marker.x >= oldest) points.push({ x: marker.x, y: marker.y });
    });
    const x = chart.options.scales?.x;
    if (x) {
      x.min = oldest;
      x.max = newest;
    }
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
