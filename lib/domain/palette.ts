import type { OperatorSlug, SectorSlug } from "@/lib/contracts/catalog";

/**
 * One colour per operator and one per sector, the same on every chart, tile and screen.
 * Both sets are colour-blind safe: operators from IBM's accessible palette, sectors from
 * Okabe & Ito's. Operators and sectors never share a chart, so the sets may overlap in hue.
 */
export const OPERATOR_COLORS: Record<OperatorSlug, string> = {
  "china-mobile": "#648FFF",
  "china-unicom": "#DC267F",
  "china-telecom": "#FFB000",
};

export const SECTOR_COLORS: Record<SectorSlug, string> = {
  energy: "#E69F00",
  transport: "#56B4E9",
  "smart-city": "#009E73",
  automotive: "#F0E442",
  healthcare: "#0072B2",
  education: "#D55E00",
  retail: "#CC79A7",
};

export const SEVERITY_COLORS = { info: "#56B4E9", warning: "#E69F00", critical: "#D55E00" } as const;

/** Viridis, the perceptually even, colour-blind safe scale: 0 → dark purple, 1 → yellow. */
const VIRIDIS = ["#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89", "#35b779", "#6ece58", "#b5de2b", "#fde725"];

/** WCAG relative luminance of a #rrggbb colour. */
export function luminance(hex: string): number {
  const channel = (offset: number) => {
    const value = Number.parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** A cell colour for `position` in 0…1, with whichever of black or white text reads better on it. */
export function viridis(position: number): { background: string; text: string } {
  const index = Math.min(VIRIDIS.length - 1, Math.max(0, Math.round(position * (VIRIDIS.length - 1))));
  const background = VIRIDIS[index]!;
  return { background, text: contrastRatio(background, "#ffffff") >= contrastRatio(background, "#000000") ? "#ffffff" : "#000000" };
}
