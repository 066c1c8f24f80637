"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useContext, useEffect, useMemo, useRef, useState, type RefObject } from "react";
import type { SeriesRef } from "@/lib/contracts/filters";
import type { HistoryResponse } from "@/lib/contracts/history";
import type { Language, Theme, TimeWindow } from "@/lib/contracts/view";
import { chartClient, type ChartListener } from "./chart-client";
import type { ChartConfig, ChartGeometry, ChartKind, ChartMarker, PngLabels, SeriesSpec } from "./chart-protocol";
import { useChartFontSize } from "./chart-theme";
import { formatDateTime } from "@/lib/domain/format";
import { countProvenance, historyProvenanceParts, provenanceParts } from "@/lib/domain/provenance";
import { liveQueryKey, type LiveWindow } from "@/lib/queries/live";
import { operatorName, sectorName } from "@/lib/i18n/names";
import { useView } from "@/components/providers/view-context";
import { WallContext } from "@/components/providers/wall-context";

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
  /** Dashboard only: dragging across the chart zooms into that range (absent on a wall: it never zooms). */
  onZoom?: (range: { from: number; to: number }) => void;
}

/** The time labels of a zoomed range: dates beyond a day, seconds within a quarter of an hour. */
function axisWindowFor(spanMs: number): TimeWindow {
  if (spanMs > 86_400_000) return "7d";
  return spanMs <= 15 * 60_000 ? "15m" : "24h";
}

/**
 * A streaming line chart drawn by the page's chart hub (in the chart worker where the browser
 * can draw off the page's thread). This component owns only the canvas element, its size and the
 * pointer events it forwards; ticks reach the hub from TickPaintProbe, history and view changes from here.
 */
export function StreamingChart(props: StreamingChartProps) {
  const { kind, specs, series, history, stream, markers, timeWindow, windowMs, range, stacked, percent, theme, lang, ariaLabel, legend = true, onZoom } = props;
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
      // A zoomed range labels its axis as the window of its length would.
      window: range ? axisWindowFor(range.to - range.from) : timeWindow,
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
  const latest = useRef({ config, history, configKey, onZoom });
  // Declared first, so the mount below reads this render's props.
  useEffect(() => {
    latest.current = { config, history, configKey, onZoom };
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
    // A horizontal drag zooms; vertical swipes still scroll the page.
    canvas.style.touchAction = "pan-y";
    container.prepend(canvas);
    const rect = container.getBoundingClientRect();
    const listener: ChartListener = {
      tooltip: (title, lines) => setTooltip(title === null ? "" : [title, ...lines].join("\n")),
      geometry: (geometry, redrawn) => {
        geometryRef.current = geometry;
        // For tests and the curious: the hub has drawn this chart, and its axis. Not on every
        // tick: a DOM write per chart and tick would cost the page's thread what the worker saves.
        if (!redrawn) return;
        container.dataset.drawn = client.inWorker ? "worker" : "page";
        container.dataset.axis = `${Math.round(geometry.min)}-${Math.round(geometry.max)}`;
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

    // Drag-zoom: a band follows the pointer across the plot; on release the range is handed up.
    const selection = document.createElement("div");
    selection.className = "pointer-events-none absolute hidden border-x border-accent bg-accent/20";
    selection.dataset.zoomSelection = "";
    container.append(selection);
    let drag: { startX: number; x: number } | null = null;
    let dragged = false;
    const plotX = (x: number) => {
      const geometry = geometryRef.current;
      return geometry ? Math.min(geometry.right, Math.max(geometry.left, x)) : x;
    };
    const showSelection = () => {
      const geometry = geometryRef.current;
      if (!drag || !geometry) return;
      const [left, right] = [Math.min(drag.startX, drag.x), Math.max(drag.startX, drag.x)];
      Object.assign(selection.style, { left: `${left}px`, width: `${right - left}px`, top: `${geometry.top}px`, height: `${geometry.bottom - geometry.top}px` });
      selection.classList.toggle("hidden", right - left < 2);
    };
    const down = (event: PointerEvent) => {
      const geometry = geometryRef.current;
      if (!latest.current.onZoom || event.button !== 0 || !geometry) return;
      const { x, y } = at(event);
      if (x < geometry.left || x > geometry.right || y < geometry.top || y > geometry.bottom) return;
      drag = { startX: x, x };
      canvas.setPointerCapture(event.pointerId);
    };
    const up = () => {
      const geometry = geometryRef.current;
      const zoom = latest.current.onZoom;
      const finished = drag;
      drag = null;
      selection.classList.add("hidden");
      if (!finished || !geometry || !zoom || Math.abs(finished.x - finished.startX) < 8) return;
      dragged = true;
      const time = (x: number) => geometry.min + ((x - geometry.left) / (geometry.right - geometry.left)) * (geometry.max - geometry.min);
      const [from, to] = [time(Math.min(finished.startX, finished.x)), time(Math.max(finished.startX, finished.x))];
      zoom({ from: Math.round(from), to: Math.round(to) });
    };
    const move = (event: PointerEvent) => {
      pending = { kind: "mousemove", ...at(event) };
      frame ||= requestAnimationFrame(flush);
      if (drag) {
        drag.x = plotX(at(event).x);
        showSelection();
      }
    };
    const leave = () => {
      pending = null;
      client.pointer(id, "mouseout", 0, 0);
    };
    const click = (event: MouseEvent) => {
      // The click that ends a drag is not a legend click.
      if (dragged) {
        dragged = false;
        return;
      }
      client.pointer(id, "click", at(event).x, at(event).y);
    };
    canvas.addEventListener("pointerdown", down);
    canvas.addEventListener("pointerup", up);
    canvas.addEventListener("pointercancel", up);
    canvas.addEventListener("pointermove", move);
    canvas.addEventListener("pointerleave", leave);
    canvas.addEventListener("click", click);

    return () => {
      observer.disconnect();
      window.removeEventListener("resize", resize);
      if (frame) cancelAnimationFrame(frame);
      canvas.removeEventListener("pointerdown", down);
      canvas.removeEventListener("pointerup", up);
      canvas.removeEventListener("pointercancel", up);
      selection.remove();
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

  return (
    <div ref={box} className="relative h-full w-full" data-chart={ariaLabel}>
      <PngExport chartId={chartId} geometry={geometryRef} label={ariaLabel} history={history} />
      {/* What the tooltip drawn on the canvas says, for screen readers (and tests). */}
      <div role="status" data-chart-tooltip className="sr-only">
        {tooltip}
      </div>
    </div>
  );
}

/**
 * Downloads the chart as drawn (the hub's canvas, in the worker where it draws), with its title,
 * the view's filter, the time it spans and where the data come from burnt in. Not on a wall.
 */
function PngExport({ chartId, geometry, label, history }: { chartId: RefObject<number | null>; geometry: RefObject<ChartGeometry | null>; label: string; history: HistoryResponse | null | undefined }) {
  const { view, messages } = useView();
  const queryClient = useQueryClient();
  const wall = useContext(WallContext);
  if (wall) return null;
  const download = async () => {
    const id = chartId.current;
    const shown = geometry.current;
    if (id === null || !shown) return;
    const names = [...view.operators.map((slug) => operatorName(slug, view.lang)), ...view.sectors.map((slug) => sectorName(slug, view.lang))];
    // Where the drawn values come from, per series, as the panel's badge says it: the history's
    // when a history is drawn, else the newest live tick's.
    let provenanceLabel: string;
    if (history) {
      provenanceLabel = messages.provenance.history(historyProvenanceParts(history.series.map((series) => series.provenance)));
    } else {
      const live = queryClient.getQueryData<LiveWindow>(liveQueryKey({ operators: view.operators, sectors: view.sectors }));
      provenanceLabel = messages.provenance.counts(provenanceParts(countProvenance(live?.ticks.at(-1)?.p, live?.series.length ?? 0)));
    }
    const labels: PngLabels = {
      title: label,
      lines: [
        messages.exports.filter(names.length ? names.join(", ") : messages.exports.allSeries),
        messages.exports.time(formatDateTime(shown.min, view.lang), formatDateTime(shown.max, view.lang)),
        messages.exports.provenance(provenanceLabel),
      ],
    };
    const blob = await chartClient().png(id, labels);
    if (!blob) return;
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = `m2m-pulse-${label.toLowerCase().replace(/[^a-z0-9\u4e00-\u9fff]+/g, "-").replace(/^-|-$/g, "")}.png`;
    link.click();
    // After the click has started the download.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <button
      type="button"
      data-export-png
      onClick={download}
      aria-label={messages.exports.pngLabel(label)}
      title={messages.exports.pngLabel(label)}
      className="absolute -top-6 right-0 z-10 rounded border border-panel-border bg-panel px-1.5 py-0.5 text-xs text-ink-muted hover:border-ink-muted hover:text-ink focus-visible:outline-2 focus-visible:outline-accent"
    >
      {messages.exports.png}
    </button>
  );
}
