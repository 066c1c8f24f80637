import { useContext } from "react";
import { WallContext } from "@/components/providers/wall-context";

export { CHART_THEME } from "./chart-theme-colors";

/** Chart text follows the wall's type scale (about 0.7 of it); 12px elsewhere. */
export function useChartFontSize(): number {
  const wall = useContext(WallContext);
  if (!wall || typeof window === "undefined") return 12;
  return Math.round(Math.min(30, Math.max(11, window.innerWidth * 0.0075)));
}
