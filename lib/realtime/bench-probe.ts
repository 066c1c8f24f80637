/**
 * Hooks for the browser benchmark (bench/browser.ts), which defines `window.__pulseBench`
 * before the page loads. Without it these cost one property read; nothing is recorded, so a
 * wall screen's memory does not grow.
 */
export interface PulseBenchHooks {
  /**
   * A tick's values are on every chart: `paintedAtMs` is the browser clock after the paint. A
   * revised tick (same `seq`) is reported again once painted; `values` tells the versions apart.
   */
  tickPainted?(seq: number, tickInstantMs: number, paintedAtMs: number, values: readonly (number | null)[]): void;
  /** A chart redrew all its data (a new filter or window): how many points and how long, paint included. */
  chartRebuilt?(info: { label: string; points: number; ms: number }): void;
}

export function benchHooks(): PulseBenchHooks | undefined {
  return typeof window === "undefined" ? undefined : (window as { __pulseBench?: PulseBenchHooks }).__pulseBench;
}

/** Runs `callback` after the browser has painted the current frame. */
export function afterPaint(callback: () => void): void {
  requestAnimationFrame(() => setTimeout(callback, 0));
}
