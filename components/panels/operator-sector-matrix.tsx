"use client";

import { useRef, type CSSProperties } from "react";
import { formatCount, formatCountCell } from "@/lib/domain/format";
import { OPERATOR_COLORS, SECTOR_COLORS, viridis } from "@/lib/domain/palette";
import { groupByOperator, groupBySector } from "@/lib/domain/aggregate";
import { provenanceAt } from "@/lib/contracts/realtime";
import { SERIES_PROVENANCES, type SeriesProvenance } from "@/lib/contracts/ingest";
import type { Language } from "@/lib/contracts/view";
import { SERIES_MARK } from "@/components/ui/provenance-badge";
import { operatorName, sectorName } from "@/lib/i18n/names";
import { LiveProvenanceBadge } from "./simulated-badge";
import { Panel } from "@/components/ui/panel";
import { PanelAge } from "./panel-age";
import type { LiveWindow } from "@/lib/queries/live";
import { useLiveShape, useLiveWriter, useStale } from "@/components/providers/live-context";
import { useView } from "@/components/providers/view-context";
import { setAttribute, setStyleProperty, setText } from "./live-text";

/** What a cell shows for the newest tick: its figure, its tooltip and its colour on the scale. */
function cellLook(window: LiveWindow | undefined, index: number, lang: Language, noData: string, provenanceTitle: string) {
  const values = window?.ticks.at(-1)?.v ?? [];
  const value = index >= 0 ? values[index] : undefined;
  const known = value !== undefined && value !== null;
  // A square-root scale, so the small sectors are not all the same dark colour beside energy.
  const max = Math.sqrt(Math.max(1, ...values.map((each) => each ?? 0)));
  const colour = known ? viridis(Math.sqrt(value) / max) : null;
  return {
    text: known ? formatCountCell(value, lang) : "—",
    title: `${known ? formatCount(value, lang) : noData} · ${provenanceTitle}`,
    background: colour?.background ?? null,
    ink: colour?.text ?? null,
  };
}

/**
 * One cell. Its figure and colour move on with every tick without a React render (useLiveWriter
 * writes what changed); its provenance re-renders it. Its tooltip, the exact count, is written
 * only while the pointer is over the cell (and when it arrives): it changes with nearly every
 * tick, and a new `title` on 21 cells restyled all of them on every tick for a tooltip nobody
 * was looking at.
 */
function MatrixCell({ operator, sector, index, provenance, provenanceTitle, current }: { operator: string; sector: string; index: number; provenance: SeriesProvenance; provenanceTitle: string; current: LiveWindow | undefined }) {
  const { view, messages } = useView();
  const cell = useRef<HTMLTableCellElement>(null);
  const figure = useRef<HTMLSpanElement>(null);
  const shown = useRef<{ window: LiveWindow | undefined; hovered: boolean }>({ window: current, hovered: false });
  const lookOf = (window: LiveWindow | undefined) => cellLook(window, index, view.lang, messages.provenance.none, provenanceTitle);
  useLiveWriter((window) => {
    shown.current.window = window;
    const look = lookOf(window);
    setText(figure.current, look.text);
    if (shown.current.hovered) setAttribute(cell.current, "title", look.title);
    setStyleProperty(cell.current, "--cell-bg", look.background);
    setStyleProperty(cell.current, "--cell-ink", look.ink);
  });
  const hover = (hovered: boolean) => {
    shown.current.hovered = hovered;
    if (hovered) setAttribute(cell.current, "title", lookOf(shown.current.window).title);
  };
  const look = lookOf(current);
  const mark = SERIES_MARK[provenance];
  // No value: no colour on the scale (the custom properties are unset), so "no data" never reads as "very few".
  // Contained: a new figure or colour lays out and repaints this cell only.
  const colours = look.background && look.ink ? ({ "--cell-bg": look.background, "--cell-ink": look.ink } as CSSProperties) : undefined;
  return (
    <td
      ref={cell}
      data-cell={`${operator}:${sector}`}
      data-series={`${operator}/${sector}`}
      data-provenance={provenance}
      title={look.title}
      onPointerEnter={() => hover(true)}
      onPointerLeave={() => hover(false)}
      className={`truncate rounded bg-(--cell-bg) px-1 py-2 text-right font-semibold tabular-nums text-(color:--cell-ink) [contain:layout_paint] ${provenance === "stale" ? "opacity-60 outline-2 outline-dashed outline-warn" : ""}`}
      style={colours}
    >
      {mark.symbol ? (
        <span aria-hidden className="float-left text-[0.6rem] leading-4">
          {mark.symbol}
        </span>
      ) : null}
      <span ref={figure}>{look.text}</span>
      {provenance === "simulated" ? null : <span className="sr-only"> ({provenanceTitle})</span>}
    </td>
  );
}

/**
 * Live value of every operator × sector on screen, coloured from fewest to most connections, each
 * cell marked with where its value comes from (a legend below says which marks are in use).
 */
export function OperatorSectorMatrix() {
  const { view, messages } = useView();
  const stale = useStale();
  // Re-renders when the series or their provenance change; the figures move on in each cell.
  const { shape, current } = useLiveShape();
  const series = shape.series;
  const operators = groupByOperator(series);
  const sectors = groupBySector(series);
  const provenanceOf = (index: number): SeriesProvenance => provenanceAt(shape.codes, index);
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
                  const provenance = index >= 0 ? provenanceOf(index) : "none";
                  return <MatrixCell key={sector.slug} operator={operator.slug} sector={sector.slug} index={index} provenance={provenance} provenanceTitle={titles[provenance]} current={current} />;
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
