import { useContext } from "react";
import { WallContext } from "@/components/providers/wall-context";
import type { Theme } from "@/lib/contracts/view";

/** Canvas cannot read CSS variables cheaply on every frame, so the chart colours live here too. */
export const CHART_THEME: Record<Theme, { grid: string; text: string; band: string }> = {
  dark: { grid: "rgba(159, 176, 200, 0.18)", text: "#c3cfdf", band: "rgba(159, 176, 200, 0.22)" },
  light: { grid: "rgba(71, 85, 105, 0.18)", text: "#334155", band: "rgba(71, 85, 105, 0.16)" },
};

/** Chart text follows the wall's type scale (about 0.7 of it); 12px elsewhere. */
export function useChartFontSize(): number {
  const wall = useContext(WallContext);
  if (!wall || typeof window === "undefined") return 12;
  return Math.round(Math.min(30, Math.max(11, window.innerWidth * 0.0075)));
}
