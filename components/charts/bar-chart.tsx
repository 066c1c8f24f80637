"use client";

import type { ChartData, ChartOptions } from "chart.js";
import { useMemo } from "react";
import { Bar } from "react-chartjs-2";
import type { Theme } from "@/lib/contracts/view";
import { CHART_THEME, useChartFontSize } from "./chart-theme";
import "./register";

/** A static horizontal bar chart for report figures (drawn once; report baselines do not tick). */
export function BarChart({
  labels,
  values,
  colors,
  theme,
  formatValue,
  ariaLabel,
}: {
  labels: string[];
  values: number[];
  colors: string[];
  theme: Theme;
  formatValue: (value: number) => string;
  ariaLabel: string;
}) {
  const data = useMemo<ChartData<"bar">>(() => ({ labels, datasets: [{ data: values, backgroundColor: colors, borderWidth: 0 }] }), [labels, values, colors]);
  const fontSize = useChartFontSize();
  const options = useMemo<ChartOptions<"bar">>(() => {
    const palette = CHART_THEME[theme];
    const font = { size: fontSize };
    return {
      indexAxis: "y",
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { display: false }, tooltip: { callbacks: { label: (item) => formatValue(Number(item.raw)) } } },
      scales: {
        x: { grid: { color: palette.grid }, ticks: { color: palette.text, font, callback: (value) => formatValue(Number(value)) } },
        y: { grid: { display: false }, ticks: { color: palette.text, font } },
      },
    };
  }, [theme, formatValue, fontSize]);
  return <Bar data={data} options={options} role="img" aria-label={ariaLabel} />;
}
