"use client";

import { useQuery } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";
import { OPERATOR_SLUGS } from "@/lib/contracts/catalog";
import { frameAtOrBefore, groupByOperator, groupBySector, sumOf } from "@/lib/domain/aggregate";
import { BAND_TOLERANCE } from "@/lib/domain/anomaly";
import { SECTOR_COLORS, SEVERITY_COLORS } from "@/lib/domain/palette";
import { seriesIndex } from "@/lib/domain/series";
import { expectedMeanLevels } from "@/lib/domain/simulator/model";
import { operatorName, sectorName } from "@/lib/i18n/names";
import { alertsQueryOptions } from "@/lib/queries/alerts";
import { throwWhenEmpty } from "@/lib/queries/query-client";
import { ChartFigure } from "@/components/charts/chart-figure";
import { StreamingChart, type SeriesSpec } from "@/components/charts/streaming-chart";
import { CHART_THEME } from "@/components/charts/chart-theme";
import { LiveProvenanceBadge } from "./simulated-badge";
import { Panel } from "@/components/ui/panel";
import { PanelAge } from "./panel-age";
import { useStale } from "@/components/providers/live-context";
import { useView } from "@/components/providers/view-context";
import { useChartFormat } from "./chart-format";
import { useChartSource } from "./use-view-data";

// Both charts ask for the expected levels of the same instants; compute each once. Bounded: a
// day of per-minute buckets plus the live window, then it starts again.
const expectedCache = new Map<string, number[]>();
function expectedAt(t: number, spanMs: number): number[] {
  const key = `${t}:${spanMs}`;
  let levels = expectedCache.get(key);
  if (!levels) {
    if (expectedCache.size > 4_000) expectedCache.clear();
    levels = expectedMeanLevels(t, spanMs);
    expectedCache.set(key, levels);
  }
  return levels;
}

// Operators are told apart by line style here, since colour already says the sector.
const OPERATOR_DASH: Record<(typeof OPERATOR_SLUGS)[number], number[]> = { "china-mobile": [], "china-unicom": [6, 3], "china-telecom": [2, 2] };

/** Each series against its expected band, with alerts marked where they were raised. */
export function LiveVsExpected() {
  const { view, messages } = useView();
  const stale = useStale();
  const { filter, live, series, source } = useChartSource();
  const alerts = useQuery({ ...alertsQueryOptions(filter), throwOnError: throwWhenEmpty }).data?.alerts;
  const { formatX, formatY } = useChartFormat();
  const modelIndexes = useMemo(() => series.map((entry) => seriesIndex(entry.operator, entry.sector)), [series]);
  const band = CHART_THEME[view.theme].band;
  const common = { ...source, formatX };

  const totalSpecs = useMemo<SeriesSpec[]>(
    () => [
      { id: "low", label: messages.band.bandLabel, color: band, width: 1 },
      { id: "high", label: messages.band.bandLabel, color: band, width: 1, fill: "-1", fillColor: band },
      { id: "observed", label: messages.band.observed, color: "#2dd4bf" },
      { id: "alerts", label: messages.band.alert, color: SEVERITY_COLORS.critical, markers: true },
    ],
    [messages, band],
  );
  const projectTotal = useCallback(
    (values: readonly (number | null)[], t: number, spanMs: number) => {
      const expected = expectedAt(t, spanMs);
      const expectedTotal = modelIndexes.reduce((total, index) => total + expected[index]!, 0);
      return [expectedTotal * (1 - BAND_TOLERANCE), expectedTotal * (1 + BAND_TOLERANCE), sumOf(values), null];
    },
    [modelIndexes],
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
  const projectDeviation = useCallback(
    (values: readonly (number | null)[], t: number, spanMs: number) => {
      const expected = expectedAt(t, spanMs);
      const deviations = values.map((value, position) => {
        const level = expected[modelIndexes[position]!]!;
        return value === null || level === 0 ? null : ((value - level) / level) * 100;
      });
      return [-BAND_TOLERANCE * 100, BAND_TOLERANCE * 100, ...deviations, null];
    },
    [modelIndexes],
  );

  // Alerts on the charts: on the total where it stood when raised, and at their own departure.
  const ticks = live?.ticks;
  const markers = useMemo(() => {
    const total: { specId: string; x: number; y: number }[] = [];
    const deviation: { specId: string; x: number; y: number }[] = [];
    for (const alert of alerts ?? []) {
      const at = Date.parse(alert.raisedAt);
      const frame = ticks ? frameAtOrBefore(ticks, at) : undefined;
      const observedTotal = frame ? sumOf(frame.v) : null;
      if (observedTotal !== null) total.push({ specId: "alerts", x: at, y: observedTotal });
      deviation.push({ specId: "alerts", x: at, y: ((alert.observed - alert.expected) / alert.expected) * 100 });
    }
    return { total, deviation };
  }, [alerts, ticks]);
  const formatPct = useCallback((value: number) => `${value > 0 ? "+" : ""}${value.toFixed(1)}%`, []);

  return (
    <Panel
      age={<PanelAge />}
      id="expected"
      title={messages.band.heading}
      stale={stale}
      badge={<LiveProvenanceBadge />}
      className="lg:col-span-2"
    >
      <p className="-mt-2 mb-2 text-xs text-ink-muted wall:mt-0 wall:text-[0.65em]">{messages.band.note}</p>
      <div className="grid gap-4 xl:grid-cols-2 wall:min-h-0 wall:flex-1 wall:gap-[1em]">
        <ChartFigure caption={messages.band.total} heightClass="h-64">
          <StreamingChart {...common} specs={totalSpecs} project={projectTotal} markers={markers.total} formatY={formatY} ariaLabel={messages.band.total} legend={false} />
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
          <StreamingChart {...common} specs={deviationSpecs} project={projectDeviation} markers={markers.deviation} formatY={formatPct} ariaLabel={messages.band.deviation} legend={false} />
        </ChartFigure>
      </div>
    </Panel>
  );
}
