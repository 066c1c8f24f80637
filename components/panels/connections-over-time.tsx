"use client";

import { useCallback, useMemo } from "react";
import { groupByOperator, groupBySector, sumOf } from "@/lib/domain/aggregate";
import { formatAge } from "@/lib/domain/format";
import { OPERATOR_COLORS, SECTOR_COLORS } from "@/lib/domain/palette";
import { operatorName, sectorName } from "@/lib/i18n/names";
import { ChartFigure } from "@/components/charts/chart-figure";
import { StreamingChart, type SeriesSpec } from "@/components/charts/streaming-chart";
import { HistoryProvenanceBadge, LiveProvenanceBadge } from "./simulated-badge";
import { Panel } from "@/components/ui/panel";
import { PanelAge } from "./panel-age";
import { useStale } from "@/components/providers/live-context";
import { useView } from "@/components/providers/view-context";
import { useChartFormat } from "./chart-format";
import { useChartSource } from "./use-view-data";

/** Streaming time series: the total, each operator, and the sectors as stacked areas. */
export function ConnectionsOverTime() {
  const { view, messages } = useView();
  const stale = useStale();
  const { series, source, drawnResolutionMs, historyProvenance } = useChartSource();
  const { formatX, formatY } = useChartFormat();
  const byOperator = useMemo(() => groupByOperator(series), [series]);
  const bySector = useMemo(() => groupBySector(series), [series]);
  const common = { ...source, formatX, formatY };

  const totalSpecs = useMemo<SeriesSpec[]>(() => [{ id: "total", label: messages.series.total, color: "#2dd4bf" }], [messages]);
  const operatorSpecs = useMemo<SeriesSpec[]>(
    () => byOperator.map((group) => ({ id: group.slug, label: operatorName(group.slug, view.lang), color: OPERATOR_COLORS[group.slug] })),
    [byOperator, view.lang],
  );
  const sectorSpecs = useMemo<SeriesSpec[]>(
    () => bySector.map((group) => ({ id: group.slug, label: sectorName(group.slug, view.lang), color: SECTOR_COLORS[group.slug], fill: true, width: 1 })),
    [bySector, view.lang],
  );
  const projectTotal = useCallback((values: readonly (number | null)[]) => [sumOf(values)], []);
  const projectOperators = useCallback((values: readonly (number | null)[]) => byOperator.map((group) => sumOf(values, group.indexes)), [byOperator]);
  const projectSectors = useCallback((values: readonly (number | null)[]) => bySector.map((group) => sumOf(values, group.indexes)), [bySector]);

  return (
    <Panel
      age={<PanelAge />}
      id="over-time"
      title={messages.series.heading}
      stale={stale}
      badge={historyProvenance ? <HistoryProvenanceBadge provenance={historyProvenance} /> : <LiveProvenanceBadge />}
      className="lg:col-span-2"
    >
      {drawnResolutionMs !== null ? (
        <p className="-mt-2 mb-2 text-xs text-ink-muted">{messages.series.historyNote(formatAge(drawnResolutionMs, view.lang))}</p>
      ) : null}
      <div className="grid gap-4 xl:grid-cols-3 wall:min-h-0 wall:flex-1 wall:gap-[1em]">
        <ChartFigure caption={messages.series.total} heightClass="h-56">
          <StreamingChart {...common} specs={totalSpecs} project={projectTotal} ariaLabel={messages.series.total} legend={false} />
        </ChartFigure>
        <ChartFigure caption={messages.series.byOperator} heightClass="h-56">
          <StreamingChart {...common} specs={operatorSpecs} project={projectOperators} ariaLabel={messages.series.byOperator} />
        </ChartFigure>
        <ChartFigure caption={messages.series.bySector} heightClass="h-56">
          <StreamingChart {...common} specs={sectorSpecs} project={projectSectors} stacked ariaLabel={messages.series.bySector} />
        </ChartFigure>
      </div>
    </Panel>
  );
}
