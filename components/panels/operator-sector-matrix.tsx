"use client";

import { formatCount, formatCountCell } from "@/lib/domain/format";
import { OPERATOR_COLORS, SECTOR_COLORS, viridis } from "@/lib/domain/palette";
import { groupByOperator, groupBySector } from "@/lib/domain/aggregate";
import { provenanceAt } from "@/lib/contracts/realtime";
import { SERIES_PROVENANCES, type SeriesProvenance } from "@/lib/contracts/ingest";
import { SERIES_MARK } from "@/components/ui/provenance-badge";
import { operatorName, sectorName } from "@/lib/i18n/names";
import { LiveProvenanceBadge } from "./simulated-badge";
import { Panel } from "@/components/ui/panel";
import { PanelAge } from "./panel-age";
import { useStale } from "@/components/providers/live-context";
import { useView } from "@/components/providers/view-context";
import { useViewLive } from "./use-view-data";

/**
 * Live value of every operator × sector on screen, coloured from fewest to most connections, each
 * cell marked with where its value comes from (a legend below says which marks are in use).
 */
export function OperatorSectorMatrix() {
  const { view, messages } = useView();
  const stale = useStale();
  const { live } = useViewLive();
  const latest = live?.ticks.at(-1);
  const series = live?.series ?? [];
  const operators = groupByOperator(series);
  const sectors = groupBySector(series);
  const values = latest?.v ?? [];
  // A square-root scale, so the small sectors are not all the same dark colour beside energy.
  const max = Math.sqrt(Math.max(1, ...values.map((value) => value ?? 0)));
  const provenanceOf = (index: number): SeriesProvenance => provenanceAt(latest?.p, index);
  const shown = new Set(series.map((_, index) => provenanceOf(index)));
  const titles: Record<SeriesProvenance, string> = {
    measured: messages.provenance.measured,
    stale: messages.provenance.stale,
    simulated: messages.provenance.simulated,
    none: messages.provenance.none,
  };
  const indexOf = (operator: string, sector: string) => series.findIndex((entry) => entry.operator === operator && entry.sector === sector);

  return (
    <Panel
      age={<PanelAge />}
      id="matrix"
      title={messages.matrix.heading}
      stale={stale}
      badge={<LiveProvenanceBadge />}
    >
      <div className="overflow-x-auto">
        <table className="w-full table-fixed border-separate border-spacing-1 text-xs">
          <caption className="caption-bottom pt-2 text-left text-xs text-ink-muted">{messages.matrix.caption}</caption>
          {/* Fixed layout: the seven columns share the width, so the table never runs out of its panel. */}
          <colgroup>
            <col className="w-[17%]" />
          </colgroup>
          <thead>
            <tr>
              <td />
              {sectors.map((sector) => (
                <th key={sector.slug} scope="col" title={sectorName(sector.slug, view.lang)} className="overflow-hidden text-ellipsis px-0.5 pb-1 text-left align-bottom text-[0.6rem] font-medium leading-tight text-ink-muted">
                  <span aria-hidden className="block h-2 w-2 rounded-full" style={{ background: SECTOR_COLORS[sector.slug] }} />
                  {sectorName(sector.slug, view.lang)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {operators.map((operator) => (
              <tr key={operator.slug}>
                <th scope="row" className="break-words pr-2 text-left text-xs font-medium text-ink-muted">
                  <span aria-hidden className="mr-1 inline-block h-2 w-2 rounded-full" style={{ background: OPERATOR_COLORS[operator.slug] }} />
                  {operatorName(operator.slug, view.lang)}
                </th>
                {sectors.map((sector) => {
                  const index = indexOf(operator.slug, sector.slug);
                  const value = index >= 0 ? values[index] : undefined;
                  const provenance = index >= 0 ? provenanceOf(index) : "none";
                  const known = value !== undefined && value !== null;
                  const colour = viridis(known ? Math.sqrt(value) / max : 0);
                  const mark = SERIES_MARK[provenance];
                  return (
                    <td
                      key={sector.slug}
                      data-cell={`${operator.slug}:${sector.slug}`}
                      data-series={`${operator.slug}/${sector.slug}`}
                      data-provenance={provenance}
                      title={`${known ? formatCount(value, view.lang) : messages.provenance.none} · ${titles[provenance]}`}
                      className={`truncate rounded px-1 py-2 text-right font-semibold tabular-nums ${provenance === "stale" ? "opacity-60 outline-2 outline-dashed outline-warn" : ""}`}
                      // No value: no colour on the scale, so "no data" never reads as "very few".
                      style={known ? { background: colour.background, color: colour.text } : undefined}
                    >
                      {mark.symbol ? (
                        <span aria-hidden className="float-left text-[0.6rem] leading-4">
                          {mark.symbol}
                        </span>
                      ) : null}
                      {known ? formatCountCell(value, view.lang) : "—"}
                      {provenance === "simulated" ? null : <span className="sr-only"> ({titles[provenance]})</span>}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
        {shown.size > 1 || !shown.has("simulated") ? (
          <ul data-provenance-legend className="mt-1 flex flex-wrap gap-x-3 text-xs text-ink-muted" aria-label={messages.provenance.legend}>
            {SERIES_PROVENANCES.filter((provenance) => shown.has(provenance)).map((provenance) => (
              <li key={provenance}>
                <span aria-hidden className={`mr-1 ${SERIES_MARK[provenance].className}`}>
                  {SERIES_MARK[provenance].symbol || "▪"}
                </span>
                {titles[provenance]}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </Panel>
  );
}
