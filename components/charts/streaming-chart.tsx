"use client";

import { useEffect, useMemo, useRef, useState, type RefObject } from "react";
import type { SeriesRef } from "@/lib/contracts/filters";
import type { HistoryResponse } from "@/lib/contracts/history";
import type { Language, Theme, TimeWindow } from "@/lib/contracts/view";
import { chartClient, type ChartListener } from "./chart-client";
import type { ChartConfig, ChartGeometry, ChartKind, ChartMarker, PngLabels, SeriesSpec } from "./chart-protocol";
import { useChartFontSize } from "./chart-theme";

export type { SeriesSpec } from "./chart-protocol";

export interface StreamingChartProps {
  kind: ChartKind;
  specs: readonly SeriesSpec[];
  /** The view's series, in the order of a tick's values. */
  series: readonly SeriesRef[];
  /** Older data drawn before the live ticks (or alone, in a history view). */
  history: HistoryResponse | null;
  /** The live stream drawn (its filter key), or null for a history-only view. */
  stream: string | null;
  markers?: readonly ChartMarker[];
  timeWindow: TimeWindow;
  windowMs: number;
  /** A zoomed range (dashboard only): the axis shows exactly it. */
  range?: { from: number; to: number } | null;
  stacked?: boolean;
  percent?: boolean;
  theme: Theme;
  lang: Language;
  ariaLabel: string;
  legend?: boolean;
  /** Called with the chart's handle once it exists: PNG export and the plot's geometry for drag-zoom. */
  handleRef?: RefObject<ChartHandle | null>;
}

export interface ChartHandle {
  png(labels: PngLabels): Promise<Blob | null>;
  geometry(): ChartGeometry | null;
}

/**
 * A streaming line chart drawn by the page's chart hub (in the chart worker where the browser
 * can draw off the page's thread). This component owns only the canvas element, its size and the
 * pointer events it forwards; the data reach the hub as ticks (LiveChartFeed) and history.
 */
export function StreamingChart(props: StreamingChartProps) {
  const { kind, specs, series, history, stream, markers, timeWindow, windowMs, range, stacked, percent, theme, lang, ariaLabel, legend = true, handleRef } = props;
  const box = useRef<HTMLDivElement>(null);
  const chartId = useRef<number | null>(null);
  const geometryRef = useRef<ChartGeometry | null>(null);
  const [tooltip, setTooltip] = useState<string>("");
  const fontSize = useChartFontSize();

  const config = useMemo<Omit<ChartConfig, "historyKey">>(
    () => ({
      kind,
      specs: specs.map((spec) => ({ ...spec })),
      series: series.map((entry) => ({ operator: entry.operator, sector: entry.sector })),
      stacked: !!stacked,
      legend,
      label: ariaLabel,
      theme,
      lang,
      window: timeWindow,
      windowMs,
      fontSize,
      percent: !!percent,
      stream,
      markers: (markers ?? []).map((marker) => ({ x: marker.x, y: marker.y })),
      range: range ?? null,
    }),
    [kind, specs, series, stacked, legend, ariaLabel, theme, lang, timeWindow, windowMs, fontSize, percent, stream, markers, range],
  );
  // Posted only when something in it changed, not on every render.
  const configKey = useMemo(() => JSON.stringify(config), [config]);
  const latest = useRef({ config, history, configKey });
  // Declared first, so the mount below reads this render's props.
  useEffect(() => {
    latest.current = { config, history, configKey };
  });
  const sent = useRef<{ configKey: string; history: HistoryResponse | null } | null>(null);

  useEffect(() => {
    const container = box.current;
    if (!container) return;
    const client = chartClient();
    // The canvas is made here, not rendered: a canvas handed to a worker cannot be handed again,
    // and React may mount an effect twice (strict mode), so each mount gets its own.
    const canvas = document.createElement("canvas");
    canvas.className = "block h-full w-full";
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", latest.current.config.label);
    container.prepend(canvas);
    const rect = container.getBoundingClientRect();
    const listener: ChartListener = {
      tooltip: (title, lines) => setTooltip(title === null ? "" : [title, ...lines].join("\n")),
      geometry: (geometry) => {
        geometryRef.current = geometry;
        // For tests and the curious: the hub has drawn this chart, and where.
        container.dataset.drawn = client.inWorker ? "worker" : "page";
      },
    };
    const { config: initial, history: initialHistory, configKey: initialKey } = latest.current;
    const id = client.create(canvas, { width: rect.width, height: rect.height, dpr: window.devicePixelRatio || 1 }, initial, initialHistory, listener);
    chartId.current = id;
    sent.current = { configKey: initialKey, history: initialHistory };

    let size = { width: rect.width, height: rect.height, dpr: window.devicePixelRatio || 1 };
    const resize = () => {
      const next = { width: container.clientWidth, height: container.clientHeight, dpr: window.devicePixelRatio || 1 };
      if (next.width === size.width && next.height === size.height && next.dpr === size.dpr) return;
      size = next;
      client.resize(id, next.width, next.height, next.dpr);
    };
    const observer = new ResizeObserver(resize);
    observer.observe(container);
    // A new devicePixelRatio (browser zoom, another screen) fires a window resize.
    window.addEventListener("resize", resize);

    // Pointer events go to the hub at most once a frame (Chart.js needs no more for its tooltip).
    let pending: { kind: "mousemove" | "mouseout" | "click"; x: number; y: number } | null = null;
    let frame = 0;
    const flush = () => {
      frame = 0;
      if (pending) client.pointer(id, pending.kind, pending.x, pending.y);
      pending = null;
    };
    const at = (event: MouseEvent) => {
      const bounds = canvas.getBoundingClientRect();
      return { x: event.clientX - bounds.left, y: event.clientY - bounds.top };
    };
    const move = (event: PointerEvent) => {
      pending = { kind: "mousemove", ...at(event) };
      frame ||= requestAnimationFrame(flush);
    };
    const leave = () => {
      pending = null;
      client.pointer(id, "mouseout", 0, 0);
    };
    const click = (event: MouseEvent) => client.pointer(id, "click", at(event).x, at(event).y);
    canvas.addEventListener("pointermove", move);
    canvas.addEventListener("pointerleave", leave);
    canvas.addEventListener("click", click);

    return () => {
      observer.disconnect();
      window.removeEventListener("resize", resize);
      if (frame) cancelAnimationFrame(frame);
      canvas.removeEventListener("pointermove", move);
      canvas.removeEventListener("pointerleave", leave);
      canvas.removeEventListener("click", click);
      client.dispose(id);
      canvas.remove();
      chartId.current = null;
    };
  }, []);

  useEffect(() => {
    const id = chartId.current;
    if (id === null) return;
    if (sent.current?.configKey === configKey && sent.current.history === history) return;
    sent.current = { configKey, history };
    chartClient().configure(id, config, history);
  }, [config, configKey, history]);

  useEffect(() => {
    if (!handleRef) return;
    const handle: ChartHandle = {
      png: (labels) => (chartId.current === null ? Promise.resolve(null) : chartClient().png(chartId.current, labels)),
      geometry: () => geometryRef.current,
    };
    handleRef.current = handle;
    return () => {
      handleRef.current = null;
    };
  }, [handleRef]);

  return (
    <div ref={box} className="relative h-full w-full" data-chart={ariaLabel}>
      {/* What the tooltip drawn on the canvas says, for screen readers (and tests). */}
      <div role="status" data-chart-tooltip className="sr-only">
        {tooltip}
      </div>
    </div>
  );
}
