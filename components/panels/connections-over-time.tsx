"use client";

import { useCallback, useMemo } from "react";
import { groupByOperator, groupBySector, sumOf } from "@/lib/domain/aggregate";
import { WINDOW_MS, isLiveWindow } from "@/lib/domain/dashboard-url";
import { filterKey } from "@/lib/domain/series";
import { OPERATOR_COLORS, SECTOR_COLORS } from "@/lib/domain/palette";
import { operatorName, sectorName } from "@/lib/i18n/names";
import { StreamingChart, type SeriesSpec } from "@/components/charts/streaming-chart";
import { ProvenanceBadge } from "@/components/ui/provenance-badge";
import { Panel } from "@/components/ui/panel";
import { useStale } from "@/components/dashboard/live-context";
import { useView } from "@/components/dashboard/view-context";
import { useChartFormat } from "./chart-format";
import { useViewHistory, useViewLive } from "./use-view-data";

/** Streaming time series: the total, each operator, and the sectors as stacked areas. */
export function ConnectionsOverTime() {
  const { view, messages } = useView();
  const stale = useStale();
  const { filter, live } = useViewLive();
  const history = useViewHistory(filter);
  const { formatX, formatY } = useChartFormat();
  const series = useMemo(() => live?.series ?? [], [live?.series]);
  const byOperator = useMemo(() => groupByOperator(series), [series]);
  const bySector = useMemo(() => groupBySector(series), [series]);

  const showLive = isLiveWindow(view.window);
  const liveKey = `${filterKey(filter)}:${showLive ? "live" : "history"}:${series.length}`;
  const common = {
    history: history.frames,
    live: showLive ? (live?.ticks ?? []) : null,
    liveKey,
    windowMs: WINDOW_MS[view.window],
    theme: view.theme,
    formatX,
    formatY,
  };

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
      id="over-time"
      title={messages.series.heading}
      stale={stale}
      badge={<ProvenanceBadge provenance="simulated" label={messages.provenance.simulated} title={messages.provenance.simulatedNote} />}
      className="lg:col-span-2"
    >
      {history.resolutionSeconds !== null && !showLive ? (
        <p className="-mt-2 mb-2 text-xs text-ink-muted">{messages.series.historyNote(`${history.resolutionSeconds / 60} min`)}</p>
      ) : null}
      <div className="grid gap-4 xl:grid-cols-3 wall:min-h-0 wall:flex-1 wall:gap-[1em]">
        <figure className="flex min-w-0 flex-col wall:min-h-0">
          <figcaption className="mb-1 text-sm text-ink-muted wall:text-[0.75em]">{messages.series.total}</figcaption>
          <div className="h-56 wall:h-auto wall:min-h-0 wall:flex-1">
            <StreamingChart {...common} specs={totalSpecs} project={projectTotal} ariaLabel={messages.series.total} legend={false} />
          </div>
        </figure>
        <figure className="flex min-w-0 flex-col wall:min-h-0">
          <figcaption className="mb-1 text-sm text-ink-muted wall:text-[0.75em]">{messages.series.byOperator}</figcaption>
          <div className="h-56 wall:h-auto wall:min-h-0 wall:flex-1">
            <StreamingChart {...common} specs={operatorSpecs} project={projectOperators} ariaLabel={messages.series.byOperator} />
          </div>
        </figure>
        <figure className="flex min-w-0 flex-col wall:min-h-0">
          <figcaption className="mb-1 text-sm text-ink-muted wall:text-[0.75em]">{messages.series.bySector}</figcaption>
          <div className="h-56 wall:h-auto wall:min-h-0 wall:flex-1">
            <StreamingChart {...common} specs={sectorSpecs} project={projectSectors} stacked ariaLabel={messages.series.bySector} />
          </div>
        </figure>
      </div>
    </Panel>
  );
}
