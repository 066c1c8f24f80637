"use client";

import { useCallback } from "react";
import type { TimeWindow } from "@/lib/contracts/view";
import { formatClock, formatCountShort, formatDateTime } from "@/lib/domain/format";
import { useView } from "@/components/providers/view-context";

/** Axis and tooltip formatters for the view's language and window, stable between ticks. */
export function useChartFormat() {
  const { view } = useView();
  const { lang, window } = view;
  const formatX = useCallback((t: number) => formatTimeAxis(t, window, lang), [window, lang]);
  const formatY = useCallback((value: number) => formatCountShort(value, lang), [lang]);
  return { formatX, formatY };
}

function formatTimeAxis(t: number, window: TimeWindow, lang: "en" | "zh"): string {
  if (window === "7d") return formatDateTime(t, lang);
  return formatClock(t, lang, window === "5m" || window === "15m");
}
