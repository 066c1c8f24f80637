"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { OPERATOR_SLUGS } from "@/lib/contracts/catalog";
import { groupByOperator, groupBySector } from "@/lib/domain/aggregate";
import { SECTOR_COLORS, SEVERITY_COLORS } from "@/lib/domain/palette";
import { operatorName, sectorName } from "@/lib/i18n/names";
import { alertsQueryOptions } from "@/lib/queries/alerts";
import { throwWhenEmpty } from "@/lib/queries/query-client";
import { ChartFigure } from "@/components/charts/chart-figure";
import { StreamingChart, type SeriesSpec } from "@/components/charts/streaming-chart";
import { CHART_THEME } from "@/components/charts/chart-theme";
import { LiveProvenanceBadge } from "./simulated-badge";
import { CsvExport } from "./csv-export";
import { Panel } from "@/components/ui/panel";
import { PanelAge } from "./panel-age";
import { useStale } from "@/components/providers/live-context";
import { useView } from "@/components/providers/view-context";
import { useChartSource } from "./use-view-data";

// Operators are told apart by line style here, since colour already says the sector.
const OPERATOR_DASH: Record<(typeof OPERATOR_SLUGS)[number], number[]> = { "china-mobile": [], "china-unicom": [6, 3], "china-telecom": [2, 2] };

/** Each series against its expected band, with alerts marked where they were raised. */
export function LiveVsExpected() {
  const { view, messages } = useView();
  const stale = useStale();
  const { filter, series, source } = useChartSource();
  const alerts = useQuery({ ...alertsQueryOptions(filter), throwOnError: throwWhenEmpty }).data?.alerts;
  const band = CHART_THEME[view.theme].band;
  const common = source;

  const totalSpecs = useMemo<SeriesSpec[]>(
    () => [
      { id: "low", label: messages.band.bandLabel, color: band, width: 1 },
      { id: "high", label: messages.band.bandLabel, color: band, width: 1, fill: "-1", fillColor: band },
      { id: "observed", label: messages.band.observed, color: "#2dd4bf" },
      { id: "alerts", label: messages.band.alert, color: SEVERITY_COLORS.critical, markers: true },
    ],
    [messages, band],
  );

  const deviationSpecs = useMemo<SeriesSpec[]>(
    () => [
      { id: "band-low", label: messages.band.bandLabel, color: band, width: 1 },
      { id: "band-high", label: messages.band.bandLabel, color: band, width: 1, fill: "-1", fillColor: band },
      ...series.map((entry) => ({
        id: `${entry.operator}:${entry.sector}`,
        label: `${operatorName(entry.operator, view.lang)} · ${sectorName(entry.sector, view.lang)}`,
        color: SECTOR_COLORS[entry.sector],
        dash: OPERATOR_DASH[entry.operator],
        width: 1.5,
      })),
      { id: "alerts", label: messages.band.alert, color: SEVERITY_COLORS.critical, markers: true },
    ],
    [series, messages, view.lang, band],
  );
  // Alerts on the charts: on the total where it stood when raised (the hub finds that), and at their own departure.
  const markers = useMemo(() => {
    const raised = (alerts ?? []).map((alert) => ({ at: Date.parse(alert.raisedAt), departure: ((alert.observed - alert.expected) / alert.expected) * 100 }));
    return { total: raised.map(({ at }) => ({ x: at, y: null })), deviation: raised.map(({ at, departure }) => ({ x: at, y: departure })) };
  }, [alerts]);

  return (
    <Panel
      age={<PanelAge />}
      id="expected"
      title={messages.band.heading}
      stale={stale}
      badge={
        <>
          <CsvExport panel={messages.band.heading} />
          <LiveProvenanceBadge />
        </>
      }
      className="lg:col-span-2"
    >
      <p className="-mt-2 mb-2 text-xs text-ink-muted wall:mt-0 wall:text-[0.65em]">{messages.band.note}</p>
      <div className="grid gap-4 xl:grid-cols-2 wall:min-h-0 wall:flex-1 wall:gap-[1em]">
        <ChartFigure caption={messages.band.total} heightClass="h-64">
          <StreamingChart {...common} kind="band" specs={totalSpecs} markers={markers.total} ariaLabel={messages.band.total} legend={false} />
        </ChartFigure>
        <ChartFigure
          caption={messages.band.deviation}
          heightClass="h-64"
          footer={
            <p className="mt-1 flex flex-wrap gap-x-3 gap-y-0.5 text-xs text-ink-muted wall:text-[0.65em]" data-deviation-key>
            {groupBySector(series).map((group) => (
              <span key={group.slug} className="inline-flex items-center gap-1">
                <span aria-hidden className="inline-block h-2 w-3 rounded-sm" style={{ background: SECTOR_COLORS[group.slug] }} />
                {sectorName(group.slug, view.lang)}
              </span>
            ))}
            {groupByOperator(series).map((group) => (
              <span key={group.slug} className="inline-flex items-center gap-1">
                <svg aria-hidden width="18" height="6">
                  <line x1="0" y1="3" x2="18" y2="3" stroke="currentColor" strokeWidth="1.5" strokeDasharray={OPERATOR_DASH[group.slug].join(" ") || undefined} />
                </svg>
                {operatorName(group.slug, view.lang)}
              </span>
            ))}
          </p>
          }
        >
          <StreamingChart {...common} kind="deviation" percent specs={deviationSpecs} markers={markers.deviation} ariaLabel={messages.band.deviation} legend={false} />
        </ChartFigure>
      </div>
    </Panel>
  );
}
