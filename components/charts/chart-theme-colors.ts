import type { Theme } from "@/lib/contracts/view";

/** Canvas cannot read CSS variables (and a worker has no CSS at all), so the chart colours live here too. */
export const CHART_THEME: Record<Theme, { grid: string; text: string; band: string; canvas: string }> = {
  dark: { grid: "rgba(159, 176, 200, 0.18)", text: "#c3cfdf", band: "rgba(159, 176, 200, 0.22)", canvas: "#0b1220" },
  light: { grid: "rgba(71, 85, 105, 0.18)", text: "#334155", band: "rgba(71, 85, 105, 0.16)", canvas: "#f5f7fb" },
};
