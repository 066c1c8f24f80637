import { BasicPlatform, Chart, type ChartDataset, type ChartOptions } from "chart.js";
import type { Tick } from "@/lib/contracts/realtime";
import { frameAtOrBefore, groupByOperator, groupBySector, sumOf, type Frame } from "@/lib/domain/aggregate";
import { packedHistoryFrames } from "@/lib/domain/packed-history";
import { BAND_TOLERANCE } from "@/lib/domain/anomaly";
import { formatClock, formatCountShort, formatDateTime } from "@/lib/domain/format";
import { seriesIndex } from "@/lib/domain/series";
import { expectedMeanLevels } from "@/lib/domain/simulator/model";
import type { TimeWindow } from "@/lib/contracts/view";
import { CHART_THEME } from "./chart-theme-colors";
import { CHART_MAX_POINTS, type ChartConfig, type ChartGeometry, type FromHub, type PngLabels, type ToHub } from "./chart-protocol";
import "./register";

/**
 * Every streaming chart of a page, drawn by Chart.js: in the chart worker (chart.worker.ts) on
 * OffscreenCanvases, or on the page's thread where the browser cannot draw off it. It keeps the
 * page's history and live ticks per stream, projects them into each chart's lines, buckets,
 * stacks, computes the expected band, draws, and answers pointer events (Chart.js's own
 * listeners need a DOM: BasicPlatform has none, so events are handed in).
 */

/** `v` is the dataset's own value where `y` is a stacked sum (the tooltip shows `v`). */
type Point = { x: number; y: number | null; v?: number | null };


/** Live ticks kept per stream: the longest live window (1 hour at one tick a second) and some. */
const LIVE_KEEP_MS = 3_700_000;

// Both band charts ask for the expected levels of the same instants; compute each once. Bounded:
// a day of per-minute buckets plus the live window, then it starts again.
const expectedCache = new Map<string, number[]>();
function expectedAt(t: number, spanMs: number): number[] {
  const key = `${t}:${spanMs}`;
  let levels = expectedCache.get(key);
  if (!levels) {
    if (expectedCache.size > 4_000) expectedCache.clear();
    levels = expectedMeanLevels(t, spanMs);
    expectedCache.set(key, levels);
  }
  return levels;
}

type Projection = (values: readonly (number | null)[], t: number, spanMs: number) => (number | null)[];

/** The lines a chart of `kind` draws from a frame of the view's series, one y per spec. */
function projection(config: ChartConfig): Projection {
  const { series } = config;
  switch (config.kind) {
    case "total":
      return (values) => [sumOf(values)];
    case "operators": {
      const groups = groupByOperator(series);
      return (values) => groups.map((group) => sumOf(values, group.indexes));
    }
    case "sectors": {
      const groups = groupBySector(series);
      return (values) => groups.map((group) => sumOf(values, group.indexes));
    }
    case "band": {
      const modelIndexes = series.map((entry) => seriesIndex(entry.operator, entry.sector));
      return (values, t, spanMs) => {
        const expected = expectedAt(t, spanMs);
        const expectedTotal = modelIndexes.reduce((total, index) => total + expected[index]!, 0);
        return [expectedTotal * (1 - BAND_TOLERANCE), expectedTotal * (1 + BAND_TOLERANCE), sumOf(values), null];
      };
    }
    case "deviation": {
      const modelIndexes = series.map((entry) => seriesIndex(entry.operator, entry.sector));
      return (values, t, spanMs) => {
        const expected = expectedAt(t, spanMs);
        const deviations = values.map((value, position) => {
          const level = expected[modelIndexes[position]!]!;
          return value === null || level === 0 ? null : ((value - level) / level) * 100;
        });
        return [-BAND_TOLERANCE * 100, BAND_TOLERANCE * 100, ...deviations, null];
      };
    }
  }
}

/** Time axis and tooltip labels: dates for a week, clock times (with seconds for short windows) else. */
export function formatTimeAxis(t: number, window: TimeWindow, lang: "en" | "zh"): string {
  if (window === "7d") return formatDateTime(t, lang);
  return formatClock(t, lang, window === "5m" || window === "15m");
}

function formatValue(config: ChartConfig, value: number): string {
  return config.percent ? `${value > 0 ? "+" : ""}${value.toFixed(1)}%` : formatCountShort(value, config.lang);
}

type Canvas = OffscreenCanvas | HTMLCanvasElement;

interface Stream {
  ticks: Tick[];
  /** Counts the fresh windows (new subscriptions): each redraws the stream's charts whole. */
  version: number;
  updatedAt: number;
}

class HubChart {
  readonly chart: Chart<"line", Point[]>;
  config: ChartConfig;
  private project: Projection;
  /** What is drawn, to tell a rebuild from an append. */
  private drawn = { configVersion: -1, historyKey: null as number | null, stream: null as string | null, streamVersion: -1, lastSeq: -Infinity, lastTick: null as Tick | null };
  private configVersion = 0;
  private bucket = -Infinity;
  private sums: number[] = [];
  private counts: number[] = [];
  /** Per line, the y the newest frame added to the current bucket (null: none): taken out again when that tick is revised. */
  private lastAdded: (number | null)[] = [];
  private lastTooltip = "";

  constructor(
    readonly id: number,
    readonly canvas: Canvas,
    config: ChartConfig,
    private readonly hub: ChartHub,
  ) {
    this.config = config;
    this.project = projection(config);
    // Chart.js draws on an OffscreenCanvas too (its docs: "Parallel rendering with web workers"); its types only name the DOM canvas.
    this.chart = new Chart<"line", Point[]>(canvas as HTMLCanvasElement, { type: "line", data: { datasets: [] }, options: this.options(), platform: BasicPlatform });
    this.chart.data.datasets = this.datasets();
  }

  setConfig(config: ChartConfig): void {
    const before = this.config;
    this.config = config;
    this.project = projection(config);
    this.configVersion++;
    const specsChanged = JSON.stringify(before.specs) !== JSON.stringify(config.specs) || before.stacked !== config.stacked;
    if (specsChanged) this.chart.data.datasets = this.datasets();
    if (before.theme !== config.theme || before.lang !== config.lang || before.fontSize !== config.fontSize || before.legend !== config.legend || before.window !== config.window) {
      this.chart.options = this.options();
    }
  }

  private datasets(): ChartDataset<"line", Point[]>[] {
    const { specs, stacked } = this.config;
    return specs.map((spec, index) => ({
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
      order: spec.markers ? -1 : 0,
    }));
  }

  private options(): ChartOptions<"line"> {
    const config = this.config;
    const colors = CHART_THEME[config.theme];
    const font = { size: config.fontSize };
    return {
      animation: false,
      responsive: false,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      spanGaps: false,
      devicePixelRatio: this.chart?.options.devicePixelRatio ?? 1,
      // Lines only: no point elements to size, style or draw on every tick.
      elements: { point: { radius: 0, hoverRadius: 3, hitRadius: 4 }, line: { tension: 0 } },
      interaction: { mode: "nearest", axis: "x", intersect: false },
      plugins: {
        legend: {
          display: config.legend,
          labels: { color: colors.text, font, boxWidth: config.fontSize, filter: (item) => !this.config.specs[item.datasetIndex ?? 0]?.markers },
        },
        tooltip: {
          callbacks: {
            title: (items) => (items[0] ? formatTimeAxis(items[0].parsed.x ?? 0, this.config.window, this.config.lang) : ""),
            label: (item) => `${item.dataset.label}: ${formatValue(this.config, (item.raw as Point).v ?? item.parsed.y ?? 0)}`,
          },
        },
        // Our own bucketing keeps lines short.
        decimation: { enabled: false },
      },
      scales: {
        x: {
          type: "linear",
          grid: { color: colors.grid },
          ticks: { color: colors.text, font, maxTicksLimit: 6, maxRotation: 0, sampleSize: 6, callback: (value) => formatTimeAxis(Number(value), this.config.window, this.config.lang) },
        },
        y: { grid: { color: colors.grid }, ticks: { color: colors.text, font, maxTicksLimit: 6, sampleSize: 6, callback: (value) => formatValue(this.config, Number(value)) } },
      },
    };
  }

  resize(width: number, height: number, dpr: number): void {
    this.chart.options.devicePixelRatio = dpr;
    this.chart.resize(Math.max(1, Math.round(width)), Math.max(1, Math.round(height)));
    this.hub.post({ type: "geometry", id: this.id, geometry: this.geometry() });
  }

  geometry() {
    const { chartArea, scales } = this.chart;
    return { left: chartArea?.left ?? 0, right: chartArea?.right ?? 0, top: chartArea?.top ?? 0, bottom: chartArea?.bottom ?? 0, min: scales.x?.min ?? 0, max: scales.x?.max ?? 0 };
  }

  /** Hands a pointer event to Chart.js (tooltips, hover, legend clicks) and tells the page what the tooltip says. */
  pointer(kind: "mousemove" | "mouseout" | "click", x: number, y: number): void {
    const event = { type: kind, chart: this.chart, native: { type: kind }, x, y };
    (this.chart as unknown as { _eventHandler(event: unknown): void })._eventHandler(event);
    this.reportTooltip();
  }

  private reportTooltip(): void {
    const tooltip = this.chart.tooltip;
    const visible = !!tooltip && tooltip.opacity > 0 && tooltip.getActiveElements().length > 0;
    const title = visible ? (tooltip.title ?? []).join(" ") : null;
    const lines = visible ? tooltip.body.flatMap((body) => body.lines) : [];
    const key = `${title}|${lines.join("|")}`;
    if (key === this.lastTooltip) return;
    this.lastTooltip = key;
    this.hub.post({ type: "tooltip", id: this.id, title, lines });
  }

  /**
   * Brings the chart up to date with its stream and history: a full rebuild when what it shows
   * changed (view, history, a new live window), else the new ticks appended. Returns whether it drew.
   */
  draw(): boolean {
    const config = this.config;
    const history = config.historyKey === null ? [] : (this.hub.history(config.historyKey) ?? []);
    const stream = config.stream === null ? undefined : this.hub.stream(config.stream);
    const live = config.stream === null ? null : (stream?.ticks ?? []);
    const datasets = this.chart.data.datasets;
    const specs = config.specs;
    const lineIds = specs.map((spec) => (spec.markers ? null : spec.id));
    const state = this.drawn;
    const rebuild =
      state.configVersion !== this.configVersion ||
      state.historyKey !== config.historyKey ||
      state.stream !== config.stream ||
      state.streamVersion !== (stream?.version ?? -1);
    const rebuildStarted = rebuild ? performance.now() : 0;
    // A full redraw fills fresh arrays and hands them over whole: pushing thousands of points one
    // by one into arrays Chart.js watches costs it a re-parse per point.
    const targets: Point[][] = rebuild ? specs.map(() => []) : datasets.map((dataset) => dataset.data);
    // At most CHART_MAX_POINTS points per line, whatever the window: frames are averaged into buckets of
    // windowMs / CHART_MAX_POINTS (1 s for 5 minutes, 3 s for 15, 12 s for an hour).
    const windowMs = config.range ? config.range.to - config.range.from : config.windowMs;
    const bucketMs = Math.max(1, windowMs / CHART_MAX_POINTS);
    if (rebuild) this.bucket = -Infinity;
    let changed = rebuild;
    const stacked = config.stacked;
    const pushFrame = (values: readonly (number | null)[], t: number, spanMs = 0) => {
      changed = true;
      const ys = this.project(values, t, spanMs);
      const bucket = Math.floor(t / bucketMs) * bucketMs;
      const same = bucket === this.bucket;
      if (!same) {
        this.bucket = bucket;
        this.sums = specs.map(() => 0);
        this.counts = specs.map(() => 0);
      }
      // Stacked areas are summed here, once per point, rather than by Chart.js's stacking, which
      // walks every dataset for every point on every update.
      let below = 0;
      this.lastAdded = specs.map(() => null);
      lineIds.forEach((id, index) => {
        const points = targets[index];
        if (id === null || !points) return;
        const y = ys[index];
        if (y !== null && y !== undefined) {
          this.sums[index]! += y;
          this.counts[index]!++;
          this.lastAdded[index] = y;
        }
        const mean = this.counts[index] ? this.sums[index]! / this.counts[index]! : null;
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

    const range = config.range;
    const inRange = (t: number) => !range || (t >= range.from - bucketMs && t <= range.to);
    if (rebuild) {
      const firstLive = live?.[0]?.t ?? Infinity;
      for (const frame of history) if (frame.t < firstLive && inRange(frame.t)) pushFrame(frame.values, frame.t, frame.spanMs);
      for (const tick of live ?? []) if (inRange(tick.t)) pushFrame(tick.v, tick.t);
      state.lastSeq = live?.at(-1)?.s ?? -Infinity;
      state.lastTick = live?.at(-1) ?? null;
    } else if (live && !range) {
      let first = live.length;
      while (first > 0 && live[first - 1]!.s > state.lastSeq) first--;
      const held = live[first - 1];
      if (held && held.s === state.lastSeq && held !== state.lastTick) {
        // The newest tick drawn was revised: its frame leaves the bucket and the revised one joins
        // it (the same bucket, so the last point is replaced rather than a new one added).
        this.lastAdded.forEach((y, index) => {
          if (y === null) return;
          this.sums[index]! -= y;
          this.counts[index]!--;
        });
        first--;
      }
      for (let index = first; index < live.length; index++) pushFrame(live[index]!.v, live[index]!.t);
      state.lastSeq = live.at(-1)?.s ?? state.lastSeq;
      state.lastTick = live.at(-1) ?? state.lastTick;
    }
    Object.assign(state, { configVersion: this.configVersion, historyKey: config.historyKey, stream: config.stream, streamVersion: stream?.version ?? -1 });

    // The window ends at the newest point; older points fall off the front. A zoomed range is fixed.
    const newest = range ? range.to : (live?.at(-1)?.t ?? history.at(-1)?.t ?? 0);
    const oldest = range ? range.from : newest - windowMs;
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
    if (rebuild) {
      specs.forEach((spec, index) => {
        if (!spec.markers) return;
        targets[index] = config.markers.flatMap((marker) => {
          const y = marker.y ?? this.observedTotalAt(marker.x, live, history);
          return y === null ? [] : [{ x: marker.x, y }];
        });
      });
      targets.forEach((points, index) => (datasets[index]!.data = points));
    }
    const x = this.chart.options.scales?.x;
    if (x && (x.min !== oldest || x.max !== newest)) {
      x.min = oldest;
      x.max = newest;
      changed = true;
    }
    if (!changed) return false;
    this.chart.update("none");
    if (rebuild) {
      const points = datasets.reduce((total, dataset) => total + dataset.data.length, 0);
      this.hub.reportRebuilt(this.id, config.label, points, rebuildStarted);
      this.hub.post({ type: "geometry", id: this.id, geometry: this.geometry() });
    }
    return true;
  }

  private observedTotalAt(t: number, live: readonly Tick[] | null, history: readonly Frame[]): number | null {
    const tick = live ? frameAtOrBefore(live, t) : undefined;
    if (tick && t - tick.t < 5_000) return sumOf(tick.v);
    const frame = frameAtOrBefore(history, t);
    return frame ? sumOf(frame.values) : null;
  }

  /** The chart as shown, with a title and the lines (filter, window, provenance) above it, as a PNG. */
  async png(labels: PngLabels): Promise<Blob | null> {
    const source = this.canvas;
    const ratio = this.chart.currentDevicePixelRatio || 1;
    const font = 14 * ratio;
    const header = Math.round((labels.lines.length + 1) * font * 1.5 + font);
    const out = new OffscreenCanvas(source.width, source.height + header);
    const context = out.getContext("2d");
    if (!context) return null;
    const colors = CHART_THEME[this.config.theme];
    context.fillStyle = colors.canvas;
    context.fillRect(0, 0, out.width, out.height);
    context.fillStyle = colors.text;
    context.textBaseline = "top";
    context.font = `bold ${font * 1.15}px sans-serif`;
    context.fillText(labels.title, font, font * 0.6);
    context.font = `${font}px sans-serif`;
    labels.lines.forEach((line, index) => context.fillText(line, font, font * 0.6 + (index + 1) * font * 1.5));
    context.drawImage(source, 0, header);
    return out.convertToBlob({ type: "image/png" });
  }

  destroy(): void {
    this.chart.destroy();
  }
}

/** Runs after the frame being drawn has been shown: the next animation frame, then a task. */
type AfterFrame = (callback: () => void) => void;

export class ChartHub {
  private readonly charts = new Map<number, HubChart>();
  private readonly histories = new Map<number, Frame[]>();
  private readonly streams = new Map<string, Stream>();
  /** Per stream, the report of what is drawn that waits for the frame to be shown (drawStream). */
  private readonly paintReports = new Map<string, { seq: number; geometries: Map<number, ChartGeometry> }>();
  /** Per chart, its last rebuild, reported once the frame that shows it is (reportRebuilt). */
  private readonly rebuiltReports = new Map<number, { label: string; points: number; startedAt: number }>();
  /** Whether a frame callback is waiting: one for the whole hub, whatever waits for that frame. */
  private frameAwaited = false;

  constructor(
    readonly post: (message: FromHub) => void,
    private readonly afterFrame: AfterFrame,
  ) {}

  history(key: number): Frame[] | undefined {
    return this.histories.get(key);
  }

  stream(key: string): Stream | undefined {
    return this.streams.get(key);
  }

  receive(message: ToHub, canvas?: Canvas): void {
    switch (message.type) {
      case "create": {
        const target = message.canvas ?? canvas;
        if (!target) return;
        const chart = new HubChart(message.id, target, message.config, this);
        this.charts.set(message.id, chart);
        chart.resize(message.width, message.height, message.dpr);
        chart.draw();
        return;
      }
      case "config": {
        const chart = this.charts.get(message.id);
        if (!chart) return;
        chart.setConfig(message.config);
        chart.draw();
        this.forgetUnused();
        return;
      }
      case "resize": {
        const chart = this.charts.get(message.id);
        if (!chart) return;
        chart.resize(message.width, message.height, message.dpr);
        return;
      }
      case "pointer":
        this.charts.get(message.id)?.pointer(message.kind, message.x, message.y);
        return;
      case "dispose":
        this.charts.get(message.id)?.destroy();
        this.charts.delete(message.id);
        this.rebuiltReports.delete(message.id);
        for (const report of this.paintReports.values()) report.geometries.delete(message.id);
        this.forgetUnused();
        return;
      case "history":
        this.histories.set(message.key, packedHistoryFrames(message.history));
        for (const chart of this.charts.values()) if (chart.config.historyKey === message.key) chart.draw();
        return;
      case "forget-history":
        this.histories.delete(message.key);
        return;
      case "live-reset":
        this.streams.set(message.stream, { ticks: message.ticks, version: (this.streams.get(message.stream)?.version ?? 0) + 1, updatedAt: Date.now() });
        this.drawStream(message.stream);
        return;
      case "live-append": {
        const stream = this.streams.get(message.stream);
        if (!stream) {
          this.streams.set(message.stream, { ticks: message.ticks, version: 1, updatedAt: Date.now() });
        } else {
          stream.updatedAt = Date.now();
          for (const tick of message.ticks) {
            const last = stream.ticks.at(-1)?.s ?? -Infinity;
            if (tick.s > last) stream.ticks.push(tick);
            else if (tick.s === last) stream.ticks[stream.ticks.length - 1] = tick; // a revision
          }
          const oldest = (stream.ticks.at(-1)?.t ?? 0) - LIVE_KEEP_MS;
          let drop = 0;
          while (drop < stream.ticks.length && stream.ticks[drop]!.t < oldest) drop++;
          if (drop > 0) stream.ticks.splice(0, drop);
        }
        this.drawStream(message.stream);
        return;
      }
      case "png": {
        const chart = this.charts.get(message.id);
        const reply = (blob: Blob | null) => this.post({ type: "png", request: message.request, blob });
        if (!chart) return reply(null);
        chart.png(message.labels).then(reply, () => reply(null));
        return;
      }
    }
  }

  /**
   * Redraws the charts of a stream, then says (after the frame is shown) which tick they show. One
   * report per stream waits for the frame, whatever the tick rate: ticks drawn before the same frame
   * are shown together, so it names the newest and carries every chart's latest geometry. (One
   * callback per tick piled up when ticks came faster than the worker's frames: ~1 KB each, without
   * bound, in `npm run soak` at 200 ticks a second.)
   */
  private drawStream(key: string): void {
    // The axes moved with the tick: their new ends travel with the report.
    const drawn: [number, ChartGeometry][] = [];
    for (const chart of this.charts.values()) if (chart.config.stream === key && chart.draw()) drawn.push([chart.id, chart.geometry()]);
    const seq = this.streams.get(key)?.ticks.at(-1)?.s;
    if (seq === undefined) return;
    const waiting = this.paintReports.get(key);
    if (waiting) {
      waiting.seq = seq;
      for (const [id, geometry] of drawn) waiting.geometries.set(id, geometry);
    } else {
      this.paintReports.set(key, { seq, geometries: new Map(drawn) });
    }
    this.awaitFrame();
  }

  /** A chart was rebuilt: how long until the frame showing it is, for the benchmarks (one report per chart). */
  reportRebuilt(id: number, label: string, points: number, startedAt: number): void {
    this.rebuiltReports.set(id, { label, points, startedAt });
    this.awaitFrame();
  }

  /**
   * One frame callback for the whole hub, reporting plain figures kept here (a disposed chart's are
   * dropped). The worker's animation frames can stop coming (Chromium skips them, for one, while any
   * of the worker's OffscreenCanvases has too many frames not yet shown). A callback per rebuild
   * then waited for good, each holding everything its draw() had in scope: the chart, and the
   * stream's window and the history it was drawn from, long after they were replaced. In
   * `npm run soak` with the worker's frames stopped, that grew the worker's heap by ~3.6 MiB a minute.
   */
  private awaitFrame(): void {
    if (this.frameAwaited) return;
    this.frameAwaited = true;
    this.afterFrame(() => {
      this.frameAwaited = false;
      const now = performance.now();
      for (const [id, { label, points, startedAt }] of this.rebuiltReports) this.post({ type: "rebuilt", id, label, points, ms: now - startedAt });
      this.rebuiltReports.clear();
      for (const [stream, { seq, geometries }] of this.paintReports) this.post({ type: "painted", stream, seq, at: Date.now(), geometries: [...geometries] });
      this.paintReports.clear();
    });
  }

  /**
   * Streams and histories no chart draws any more are dropped, so a wall rotating through filters
   * keeps flat memory. A new filter's ticks may arrive before the charts switch to them, so a
   * stream fed in the last seconds is kept.
   */
  private forgetUnused(): void {
    const streams = new Set([...this.charts.values()].map((chart) => chart.config.stream));
    const histories = new Set([...this.charts.values()].map((chart) => chart.config.historyKey));
    const recent = Date.now() - 5_000;
    for (const [key, stream] of this.streams) if (!streams.has(key) && stream.updatedAt < recent) this.streams.delete(key);
    for (const key of this.histories.keys()) if (!histories.has(key)) this.histories.delete(key);
  }
}
