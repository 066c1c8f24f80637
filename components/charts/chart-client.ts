"use client";

import type { HistoryResponse } from "@/lib/contracts/history";
import type { Tick } from "@/lib/contracts/realtime";
import { benchHooks } from "@/lib/realtime/bench-probe";
import { packHistory } from "@/lib/domain/packed-history";
import type { ChartConfig, ChartGeometry, FromHub, PngLabels, ToHub } from "./chart-protocol";

/** A chart's own callbacks: what its tooltip says (mirrored for screen readers and tests) and where its plot is. */
export interface ChartListener {
  tooltip(title: string | null, lines: string[]): void;
  /** `redrawn`: the chart was rebuilt or resized, rather than moved on by a tick. */
  geometry(geometry: ChartGeometry, redrawn: boolean): void;
}

type Painted = Extract<FromHub, { type: "painted" }>;

/** Set by a test (or a browser known to misbehave) to draw on the page's thread even where a worker could. */
declare global {
  interface Window {
    __pulseChartsOnMainThread?: boolean;
  }
}

function canDrawInWorker(): boolean {
  return (
    typeof Worker !== "undefined" &&
    typeof OffscreenCanvas !== "undefined" &&
    typeof HTMLCanvasElement.prototype.transferControlToOffscreen === "function" &&
    !window.__pulseChartsOnMainThread
  );
}

/**
 * The page's end of the chart hub (components/charts/chart-hub.ts): one per page, shared by
 * every streaming chart on it. In a worker where the browser can draw on an OffscreenCanvas;
 * else the same hub is loaded on this thread and handed the canvases themselves. Either way,
 * this side only posts ticks, history, view changes and pointer events.
 */
class ChartClient {
  readonly inWorker: boolean;
  private readonly worker: Worker | null = null;
  /** The page-thread hub, once loaded, and what was sent before it was. */
  private local: { receive(message: ToHub, canvas?: HTMLCanvasElement): void } | null = null;
  private readonly queue: { message: ToHub; canvas?: HTMLCanvasElement }[] = [];
  private nextId = 1;
  private nextRequest = 1;
  private nextHistoryKey = 1;
  private readonly listeners = new Map<number, ChartListener>();
  private readonly painted = new Set<(message: Painted) => void>();
  private readonly pngRequests = new Map<number, (blob: Blob | null) => void>();
  /** Histories the hub holds, and which chart draws which: a history no chart draws is forgotten on both sides. */
  private readonly historyKeys = new Map<HistoryResponse, number>();
  private readonly chartHistory = new Map<number, number | null>();
  /** Per stream, the last tick handed over and the first of its window (to tell an append from a new window, and a revised last tick). */
  private readonly streams = new Map<string, { firstSeq: number; lastSeq: number; first: Tick; last: Tick }>();

  constructor() {
    this.inWorker = canDrawInWorker();
    if (this.inWorker) {
      // Turbopack bundles the worker and its imports (Chart.js, the domain code) as its own entry.
      this.worker = new Worker(new URL("./chart.worker.ts", import.meta.url), { name: "pulse-charts" });
      this.worker.onmessage = (event: MessageEvent<FromHub>) => this.receive(event.data);
    } else {
      void import("./chart-hub").then(({ ChartHub }) => {
        const hub = new ChartHub(
          (message) => this.receive(message),
          (callback) => requestAnimationFrame(() => setTimeout(callback, 0)),
        );
        this.local = hub;
        for (const { message, canvas } of this.queue.splice(0)) hub.receive(message, canvas);
      });
    }
  }

  private send(message: ToHub, transfer: Transferable[] = [], canvas?: HTMLCanvasElement): void {
    if (this.worker) this.worker.postMessage(message, transfer);
    else if (this.local) this.local.receive(message, canvas);
    else this.queue.push({ message, canvas });
  }

  private receive(message: FromHub): void {
    switch (message.type) {
      case "painted":
        for (const [id, geometry] of message.geometries) this.listeners.get(id)?.geometry(geometry, false);
        for (const listener of this.painted) listener(message);
        return;
      case "rebuilt":
        benchHooks()?.chartRebuilt?.({ label: message.label, points: message.points, ms: message.ms });
        return;
      case "tooltip":
        this.listeners.get(message.id)?.tooltip(message.title, message.lines);
        return;
      case "geometry":
        this.listeners.get(message.id)?.geometry(message.geometry, true);
        return;
      case "png":
        this.pngRequests.get(message.request)?.(message.blob);
        this.pngRequests.delete(message.request);
        return;
    }
  }

  /** Hands `canvas` over to the hub (for good, in worker mode) and draws `config` on it. */
  create(canvas: HTMLCanvasElement, size: { width: number; height: number; dpr: number }, config: Omit<ChartConfig, "historyKey">, history: HistoryResponse | null, listener: ChartListener): number {
    const id = this.nextId++;
    this.listeners.set(id, listener);
    const historyKey = this.postHistory(history);
    this.chartHistory.set(id, historyKey);
    const full = { ...config, historyKey };
    if (this.worker) {
      const offscreen = canvas.transferControlToOffscreen();
      this.send({ type: "create", id, canvas: offscreen, ...size, config: full }, [offscreen]);
    } else {
      this.send({ type: "create", id, ...size, config: full }, [], canvas);
    }
    return id;
  }

  configure(id: number, config: Omit<ChartConfig, "historyKey">, history: HistoryResponse | null): void {
    const historyKey = this.postHistory(history);
    this.chartHistory.set(id, historyKey);
    this.send({ type: "config", id, config: { ...config, historyKey } });
    this.forgetHistories();
  }

  resize(id: number, width: number, height: number, dpr: number): void {
    this.send({ type: "resize", id, width, height, dpr });
  }

  pointer(id: number, kind: "mousemove" | "mouseout" | "click", x: number, y: number): void {
    this.send({ type: "pointer", id, kind, x, y });
  }

  dispose(id: number): void {
    this.listeners.delete(id);
    this.chartHistory.delete(id);
    this.send({ type: "dispose", id });
    this.forgetHistories();
  }

  png(id: number, labels: PngLabels): Promise<Blob | null> {
    const request = this.nextRequest++;
    return new Promise((resolve) => {
      this.pngRequests.set(request, resolve);
      this.send({ type: "png", id, request, labels });
    });
  }

  /**
   * The stream's newest window as the page holds it: only ticks the hub has not seen are posted
   * (the last one it has again when that was revised: the hub replaces it), the whole window when
   * it is a new one (a new subscription, or a gap).
   */
  feed(stream: string, ticks: readonly Tick[]): void {
    const first = ticks[0];
    const last = ticks.at(-1);
    if (!first || !last) return;
    const known = this.streams.get(stream);
    // A page feeds one stream at a time: a filter it comes back to is sent whole again.
    for (const key of this.streams.keys()) if (key !== stream) this.streams.delete(key);
    if (known && last.s <= known.lastSeq && known.first === first && !(last.s === known.lastSeq && last !== known.last)) return;
    const continues = known && first.s <= known.lastSeq + 1 && last.s >= known.lastSeq && first.s >= known.firstSeq;
    if (continues) {
      let start = ticks.length;
      while (start > 0 && ticks[start - 1]!.s > known.lastSeq) start--;
      // The tick the hub holds last, revised since (the window holds a new object for it).
      if (start > 0 && ticks[start - 1]!.s === known.lastSeq && ticks[start - 1] !== known.last) start--;
      if (start < ticks.length) this.send({ type: "live-append", stream, ticks: ticks.slice(start) });
    } else {
      this.send({ type: "live-reset", stream, ticks: ticks.slice() });
    }
    this.streams.set(stream, { firstSeq: known && continues ? known.firstSeq : first.s, lastSeq: last.s, first, last });
  }

  onPainted(listener: (message: Painted) => void): () => void {
    this.painted.add(listener);
    return () => this.painted.delete(listener);
  }

  private postHistory(history: HistoryResponse | null): number | null {
    if (!history) return null;
    let key = this.historyKeys.get(history);
    if (key === undefined) {
      key = this.nextHistoryKey++;
      this.historyKeys.set(history, key);
      const { packed, transfer } = packHistory(history);
      this.send({ type: "history", key, history: packed }, transfer);
    }
    return key;
  }

  private forgetHistories(): void {
    const used = new Set(this.chartHistory.values());
    for (const [history, key] of this.historyKeys) {
      if (used.has(key)) continue;
      this.historyKeys.delete(history);
      this.send({ type: "forget-history", key });
    }
  }
}

let client: ChartClient | undefined;

/** The page's chart client, made on first use (in the browser only). */
export function chartClient(): ChartClient {
  client ??= new ChartClient();
  return client;
}
