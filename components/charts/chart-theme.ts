import type { Theme } from "@/lib/domain/dashboard-url";

/** Canvas cannot read CSS variables cheaply on every frame, so the chart colours live here too. */
export const CHART_THEME: Record<Theme, { grid: string; text: string; band: string }> = {
  dark: { grid: "rgba(159, 176, 200, 0.18)", text: "#c3cfdf", band: "rgba(159, 176, 200, 0.22)" },
  light: { grid: "rgba(71, 85, 105, 0.18)", text: "#334155", band: "rgba(71, 85, 105, 0.16)" },
};
