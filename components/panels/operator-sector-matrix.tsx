"use client";

import { formatCount, formatCountCell } from "@/lib/domain/format";
import { OPERATOR_COLORS, SECTOR_COLORS, viridis } from "@/lib/domain/palette";
import { groupByOperator, groupBySector } from "@/lib/domain/aggregate";
import { operatorName, sectorName } from "@/lib/i18n/names";
import { SimulatedBadge } from "./simulated-badge";
import { Panel } from "@/components/ui/panel";
import { PanelAge } from "./panel-age";
import { useStale } from "@/components/providers/live-context";
import { useView } from "@/components/providers/view-context";
import { useViewLive } from "./use-view-data";

/** Live value of every operator × sector on screen, coloured from fewest to most connections. */
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
  const max = Math.sqrt(Math.max(1, ...values));
  const indexOf = (operator: string, sector: string) => series.findIndex((entry) => entry.operator === operator && entry.sector === sector);

  return (
    <Panel
      age={<PanelAge />}
      id="matrix"
      title={messages.matrix.heading}
      stale={stale}
      badge={<SimulatedBadge />}
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
                  const colour = viridis(value === undefined ? 0 : Math.sqrt(value) / max);
                  return (
                    <td
                      key={sector.slug}
                      data-cell={`${operator.slug}:${sector.slug}`}
                      title={value === undefined ? undefined : formatCount(value, view.lang)}
                      className="truncate rounded px-1 py-2 text-right font-semibold tabular-nums"
                      style={{ background: colour.background, color: colour.text }}
                    >
                      {value === undefined ? "—" : formatCountCell(value, view.lang)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}
