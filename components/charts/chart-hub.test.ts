import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import type { Tick } from "@/lib/contracts/realtime";
import { ChartHub } from "./chart-hub";
import type { ChartConfig, FromHub } from "./chart-protocol";

const tick = (s: number): Tick => ({ s, t: s * 1000, v: [s] });

/** A hub whose frames are shown only when the test says so. */
function hubWithFrames() {
  const posted: FromHub[] = [];
  let frame: (() => void)[] = [];
  const hub = new ChartHub(
    (message) => posted.push(message),
    (callback) => frame.push(callback),
  );
  const showFrame = () => {
    const callbacks = frame;
    frame = [];
    for (const callback of callbacks) callback();
  };
  return { hub, posted, showFrame, waiting: () => frame.length };
}

describe("ChartHub's painted reports", () => {
  it("reports the newest tick once per frame, however many ticks were drawn before it", () => {
    const { hub, posted, showFrame, waiting } = hubWithFrames();
    hub.receive({ type: "live-reset", stream: "all", ticks: [tick(1)] });
    for (let s = 2; s <= 50; s++) hub.receive({ type: "live-append", stream: "all", ticks: [tick(s)] });
    // Ticks faster than frames: one report waits, not fifty.
    expect(waiting()).toBe(1);
    showFrame();
    expect(posted.filter((message) => message.type === "painted")).toEqual([expect.objectContaining({ type: "painted", stream: "all", seq: 50 })]);

    hub.receive({ type: "live-append", stream: "all", ticks: [tick(51)] });
    showFrame();
    expect(posted.filter((message) => message.type === "painted").map((message) => (message as { seq: number }).seq)).toEqual([50, 51]);
  });

  it("keeps one report per stream", () => {
    const { hub, posted, showFrame, waiting } = hubWithFrames();
    hub.receive({ type: "live-reset", stream: "a", ticks: [tick(1)] });
    hub.receive({ type: "live-reset", stream: "b", ticks: [tick(7)] });
    hub.receive({ type: "live-append", stream: "a", ticks: [tick(2)] });
    expect(waiting()).toBe(1);
    showFrame();
    const painted = posted.filter((message) => message.type === "painted") as { stream: string; seq: number }[];
    expect(painted.map(({ stream, seq }) => [stream, seq])).toEqual([
      ["a", 2],
      ["b", 7],
    ]);
  });
});

/**
 * A canvas for Chart.js in Node: BasicPlatform only asks it for a 2D context, and every drawing
 * call on that context is accepted and does nothing.
 */
function fakeCanvas(): HTMLCanvasElement {
  const canvas = { width: 300, height: 150 } as { width: number; height: number; getContext?: () => unknown };
  const context: object = new Proxy(
    { canvas, measureText: (text: string) => ({ width: String(text).length * 6 }) },
    { get: (target, key) => (key in target ? target[key as keyof typeof target] : () => undefined), set: () => true },
  );
  canvas.getContext = () => context;
  return canvas as unknown as HTMLCanvasElement;
}

function chartConfig(label: string): ChartConfig {
  return {
    kind: "total",
    specs: [{ id: "total", label: "Total", color: "#36c" }],
    series: [{ operator: "china-mobile", sector: "energy" }],
    stacked: false,
    legend: false,
    label,
    theme: "dark",
    lang: "en",
    window: "5m",
    windowMs: 300_000,
    fontSize: 12,
    percent: false,
    stream: "all",
    historyKey: null,
    markers: [],
    range: null,
  };
}

describe("ChartHub's reports while frames do not come", () => {
  // A worker's animation frames can stop (Chromium skips them while one of its canvases has too many
  // frames unshown): whatever waits for the frame must stay bounded and hold no disposed chart.
  it("waits with one callback however many charts are rebuilt, and drops a disposed chart's report", () => {
    const { hub, posted, showFrame, waiting } = hubWithFrames();
    hub.receive({ type: "live-reset", stream: "all", ticks: [tick(1), tick(2)] });
    // A wall rotating: each view's charts made, drawn (a rebuild each), then disposed, with no frame shown.
    for (let id = 1; id <= 30; id++) {
      hub.receive({ type: "create", id, canvas: fakeCanvas() as unknown as OffscreenCanvas, width: 300, height: 150, dpr: 1, config: chartConfig(`chart ${id}`) });
      hub.receive({ type: "live-append", stream: "all", ticks: [tick(id + 2)] });
      if (id < 30) hub.receive({ type: "dispose", id });
    }
    expect(waiting()).toBe(1);

    showFrame();
    const rebuilt = posted.filter((message) => message.type === "rebuilt");
    expect(rebuilt).toEqual([expect.objectContaining({ type: "rebuilt", id: 30, label: "chart 30" })]);
    const painted = posted.filter((message) => message.type === "painted") as Extract<FromHub, { type: "painted" }>[];
    expect(painted.map(({ seq, geometries }) => [seq, geometries.map(([id]) => id)])).toEqual([[32, [30]]]);
    expect(waiting()).toBe(0);
  });

  it("holds neither a replaced window nor a disposed chart while the frame is awaited", async () => {
    const { hub, waiting } = hubWithFrames();
    const { replaced, disposed } = (() => {
      const window = [tick(1), tick(2)];
      const canvas = fakeCanvas();
      hub.receive({ type: "live-reset", stream: "all", ticks: window });
      hub.receive({ type: "create", id: 1, canvas: fakeCanvas() as unknown as OffscreenCanvas, width: 300, height: 150, dpr: 1, config: chartConfig("kept") });
      hub.receive({ type: "create", id: 2, canvas: canvas as unknown as OffscreenCanvas, width: 300, height: 150, dpr: 1, config: chartConfig("disposed") });
      hub.receive({ type: "dispose", id: 2 });
      // A new window (a resubscription): chart 1 is rebuilt from it.
      hub.receive({ type: "live-reset", stream: "all", ticks: [tick(5), tick(6)] });
      return { replaced: new WeakRef(window), disposed: new WeakRef(canvas) };
    })();
    expect(waiting()).toBeGreaterThan(0);
    // A WeakRef's target is kept until the current job ends; then a full collection may take it.
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    expect(replaced.deref()).toBeUndefined();
    expect(disposed.deref()).toBeUndefined();
  });
});

/** V8's full collection, reached without starting Node with --expose-gc. */
function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}
