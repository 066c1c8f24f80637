"use client";

import { OPERATOR_SLUGS } from "@/lib/contracts/catalog";
import { frameAtOrBefore, groupByOperator, relativeChange, sumOf } from "@/lib/domain/aggregate";
import { formatChangePct, formatCount } from "@/lib/domain/format";
import { OPERATOR_COLORS } from "@/lib/domain/palette";
import { operatorName } from "@/lib/i18n/names";
import { combineProvenance, countProvenance, provenanceParts } from "@/lib/domain/provenance";
import { LiveProvenanceBadge } from "./simulated-badge";
import { Panel } from "@/components/ui/panel";
import { PanelAge } from "./panel-age";
import { useStale } from "@/components/providers/live-context";
import { useView } from "@/components/providers/view-context";
import { useHourHistory, useViewLive } from "./use-view-data";

function Change({ ratio, label }: { ratio: number | null; label: string }) {
  const { view, messages } = useView();
  const direction = ratio === null ? "none" : ratio > 0.0005 ? "up" : ratio < -0.0005 ? "down" : "flat";
  return (
    <span className="whitespace-nowrap" title={label}>
      <span aria-hidden>{{ up: "▲ ", down: "▼ ", flat: "", none: "" }[direction]}</span>
      <span className="tabular-nums">{ratio === null ? messages.kpi.noData : formatChangePct(ratio, view.lang)}</span>
      <span className="sr-only"> {label}</span>
    </span>
  );
}

/** Total live connections and each operator's, with the change over the last minute and hour. */
export function KpiTiles() {
  const { view, messages } = useView();
  const stale = useStale();
  const { filter, live } = useViewLive();
  const hour = useHourHistory(filter);

  const ticks = live?.ticks ?? [];
  const latest = ticks.at(-1);
  const minuteAgo = latest ? frameAtOrBefore(ticks, latest.t - 60_000) : undefined;
  const hourAgo = latest ? (frameAtOrBefore(hour, latest.t - 3_600_000) ?? hour[0]) : undefined;
  const groups = live ? groupByOperator(live.series) : [];

  const tiles = [
    { id: "total", label: messages.kpi.total, color: undefined, indexes: undefined as number[] | undefined },
    ...OPERATOR_SLUGS.flatMap((slug) => {
      const group = groups.find((entry) => entry.slug === slug);
      return group ? [{ id: slug, label: operatorName(slug, view.lang), color: OPERATOR_COLORS[slug], indexes: group.indexes }] : [];
    }),
  ];

  return (
    <Panel
      age={<PanelAge />}
      id="kpi"
      title={messages.kpi.heading}
      stale={stale}
      badge={<LiveProvenanceBadge />}
    >
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        {tiles.map((tile) => {
          const value = latest ? sumOf(latest.v, tile.indexes) : null;
          // A tile sums several series: it says what they are made of, and which series when it is one.
          const counts = countProvenance(latest?.p, live?.series.length ?? 0, tile.indexes);
          const provenance = combineProvenance(counts);
          const only = live && (tile.indexes?.length ?? live.series.length) === 1 ? live.series[tile.indexes?.[0] ?? 0] : undefined;
          return (
            <div
              key={tile.id}
              data-kpi={tile.id}
              data-provenance={provenance}
              data-series={only ? `${only.operator}/${only.sector}` : undefined}
              className={`min-w-0 rounded-md border border-panel-border p-2 sm:p-3 ${provenance === "stale" ? "border-dashed border-warn" : ""}`}
            >
              <div className="flex items-center gap-2 text-sm text-ink-muted">
                {tile.color ? <span aria-hidden className="h-2.5 w-2.5 rounded-full" style={{ background: tile.color }} /> : null}
                {tile.label}
              </div>
              {/* Smaller figures on a phone, where two tiles share 390 px: "45,123,456" must fit its tile. */}
              <div data-kpi-value className="mt-1 text-[1.2em] font-semibold leading-tight tabular-nums sm:text-[1.75em]">
                {value === null ? messages.kpi.noData : formatCount(value, view.lang)}
              </div>
              {provenance === "simulated" ? null : (
                <div data-kpi-provenance className={`text-xs ${provenance === "measured" ? "text-measured" : provenance === "stale" ? "text-warn" : "text-ink-muted"}`}>
                  {messages.provenance.counts(provenanceParts(counts))}
                </div>
              )}
              <div className="mt-1 flex flex-wrap gap-x-3 text-xs text-ink-muted">
                <span>
                  {messages.kpi.lastMinute}{" "}
                  <Change ratio={relativeChange(minuteAgo ? sumOf(minuteAgo.v, tile.indexes) : null, value)} label={messages.kpi.changeMinute} />
                </span>
                <span>
                  {messages.kpi.lastHour}{" "}
                  <Change ratio={relativeChange(hourAgo ? sumOf(hourAgo.values, tile.indexes) : null, value)} label={messages.kpi.changeHour} />
                </span>
              </div>
            </div>
          );
        })}
      </div>
    </Panel>
  );
}
