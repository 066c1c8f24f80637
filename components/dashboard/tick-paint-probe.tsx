"use client";

import { useEffect } from "react";
import { afterPaint, benchHooks } from "@/lib/realtime/bench-probe";
import { useViewLive } from "@/components/panels/use-view-data";

/**
 * Placed after every panel: its effect runs once all charts have taken the newest tick, so the
 * paint that follows is the one that shows it. Reports to the browser benchmark when present.
 */
export function TickPaintProbe() {
  const { live } = useViewLive();
  const latest = live?.ticks.at(-1);
  useEffect(() => {
    const bench = benchHooks();
    if (!bench?.tickPainted || !latest) return;
    afterPaint(() => bench.tickPainted?.(latest.s, latest.t, Date.now()));
  }, [latest]);
  return null;
}
