"use client";

import { useMemo } from "react";
import { groupByOperator, groupBySector } from "@/lib/domain/aggregate";
import { formatAge } from "@/lib/domain/format";
import { OPERATOR_COLORS, SECTOR_COLORS } from "@/lib/domain/palette";
import { operatorName, sectorName } from "@/lib/i18n/names";
import { ChartFigure } from "@/components/charts/chart-figure";
import { StreamingChart, type SeriesSpec } from "@/components/charts/streaming-chart";
import { HistoryProvenanceBadge, LiveProvenanceBadge } from "./simulated-badge";
import { CsvExport } from "./csv-export";
import { Panel } from "@/components/ui/panel";
import { PanelAge } from "./panel-age";
import { useStale } from "@/components/providers/live-context";
import { useView } from "@/components/providers/view-context";
import { useChartSource } from "./use-view-data";

/** Streaming time series: the total, each operator, and the sectors as stacked areas. */
export function ConnectionsOverTime() {
  const { view, messages } = useView();
  const stale = useStale();
  const { series, source, drawnResolutionMs, historyProvenance } = useChartSource();
  const byOperator = useMemo(() => groupByOperator(series), [series]);
  const bySector = useMemo(() => groupBySector(series), [series]);
  const common = source;

  const totalSpecs = useMemo<SeriesSpec[]>(() => [{ id: "total", label: messages.series.total, color: "#2dd4bf" }], [messages]);
  const operatorSpecs = useMemo<SeriesSpec[]>(
    () => byOperator.map((group) => ({ id: group.slug, label: operatorName(group.slug, view.lang), color: OPERATOR_COLORS[group.slug] })),
    [byOperator, view.lang],
  );
  const sectorSpecs = useMemo<SeriesSpec[]>(
    () => bySector.map((group) => ({ id: group.slug, label: sectorName(group.slug, view.lang), color: SECTOR_COLORS[group.slug], fill: true, width: 1 })),
    [bySector, view.lang],
  );

  return (
    <Panel
      age={<PanelAge />}
      id="over-time"
      title={messages.series.heading}
      stale={stale}
      badge={
        <>
          <CsvExport panel={messages.series.heading} />
          {historyProvenance ? <HistoryProvenanceBadge provenance={historyProvenance} /> : <LiveProvenanceBadge />}
        </>
      }
      className="lg:col-span-2"
    >
      {drawnResolutionMs !== null ? (
        <p className="-mt-2 mb-2 text-xs text-ink-muted">{messages.series.historyNote(formatAge(drawnResolutionMs, view.lang))}</p>
      ) : null}
      <div className="grid gap-4 xl:grid-cols-3 wall:min-h-0 wall:flex-1 wall:gap-[1em]">
        <ChartFigure caption={messages.series.total} heightClass="h-56">
          <StreamingChart {...common} kind="total" specs={totalSpecs} ariaLabel={messages.series.total} legend={false} />
        </ChartFigure>
        <ChartFigure caption={messages.series.byOperator} heightClass="h-56">
          <StreamingChart {...common} kind="operators" specs={operatorSpecs} ariaLabel={messages.series.byOperator} />
        </ChartFigure>
        <ChartFigure caption={messages.series.bySector} heightClass="h-56">
          <StreamingChart {...common} kind="sectors" specs={sectorSpecs} stacked ariaLabel={messages.series.bySector} />
        </ChartFigure>
      </div>
    </Panel>
  );
}
