"use client";

import { useRef, type RefObject } from "react";
import { OPERATOR_SLUGS } from "@/lib/contracts/catalog";
import type { Language } from "@/lib/contracts/view";
import type { SeriesRef } from "@/lib/contracts/filters";
import { groupByOperator, kpiFigures, type Frame } from "@/lib/domain/aggregate";
import { formatChangePct, formatCount } from "@/lib/domain/format";
import { OPERATOR_COLORS } from "@/lib/domain/palette";
import { operatorName } from "@/lib/i18n/names";
import type { Messages } from "@/lib/i18n/messages";
import type { LiveWindow } from "@/lib/queries/live";
import { combineProvenance, countProvenance, provenanceParts } from "@/lib/domain/provenance";
import { LiveProvenanceBadge } from "./simulated-badge";
import { Panel } from "@/components/ui/panel";
import { PanelAge } from "./panel-age";
import { useLiveShape, useLiveWriter, useStale } from "@/components/providers/live-context";
import { useView } from "@/components/providers/view-context";
import { useHourHistory, useViewFilter } from "./use-view-data";
import { setText } from "./live-text";

/** The arrow and the percentage a change shows ("▲ " and "+1.2%"). */
function changeTexts(ratio: number | null, lang: Language, messages: Messages): { arrow: string; text: string } {
  const direction = ratio === null ? "none" : ratio > 0.0005 ? "up" : ratio < -0.0005 ? "down" : "flat";
  return { arrow: { up: "▲ ", down: "▼ ", flat: "", none: "" }[direction], text: ratio === null ? messages.kpi.noData : formatChangePct(ratio, lang) };
}

function Change({ texts, label, arrowRef, textRef }: { texts: { arrow: string; text: string }; label: string; arrowRef: RefObject<HTMLSpanElement | null>; textRef: RefObject<HTMLSpanElement | null> }) {
  return (
    <span className="whitespace-nowrap" title={label}>
      <span aria-hidden ref={arrowRef}>
        {texts.arrow}
      </span>
      <span ref={textRef} className="tabular-nums">
        {texts.text}
      </span>
      <span className="sr-only"> {label}</span>
    </span>
  );
}

interface Tile {
  id: string;
  label: string;
  color: string | undefined;
  indexes: number[] | undefined;
}

/**
 * One tile. Its figures move on with every tick without a React render: useLiveWriter writes the
 * changed texts in place. What it is made of (series, provenance) re-renders it.
 */
function KpiTile({ tile, series, codes, hour, current }: { tile: Tile; series: readonly SeriesRef[]; codes: string | undefined; hour: readonly Frame[]; current: LiveWindow | undefined }) {
  const { view, messages } = useView();
  const value = useRef<HTMLDivElement>(null);
  const minuteArrow = useRef<HTMLSpanElement>(null);
  const minuteText = useRef<HTMLSpanElement>(null);
  const hourArrow = useRef<HTMLSpanElement>(null);
  const hourText = useRef<HTMLSpanElement>(null);
  const texts = (window: LiveWindow | undefined) => {
    const figures = kpiFigures(window?.ticks ?? [], hour, tile.indexes);
    return {
      value: figures.value === null ? messages.kpi.noData : formatCount(figures.value, view.lang),
      minute: changeTexts(figures.minuteChange, view.lang, messages),
      hour: changeTexts(figures.hourChange, view.lang, messages),
    };
  };
  useLiveWriter((window) => {
    const shown = texts(window);
    setText(value.current, shown.value);
    setText(minuteArrow.current, shown.minute.arrow);
    setText(minuteText.current, shown.minute.text);
    setText(hourArrow.current, shown.hour.arrow);
    setText(hourText.current, shown.hour.text);
  });
  const initial = texts(current);

  // A tile sums several series: it says what they are made of, and which series when it is one.
  const counts = countProvenance(codes, series.length, tile.indexes);
  const provenance = combineProvenance(counts);
  const only = (tile.indexes?.length ?? series.length) === 1 ? series[tile.indexes?.[0] ?? 0] : undefined;
  return (
    <div
      data-kpi={tile.id}
      data-provenance={provenance}
      data-series={only ? `${only.operator}/${only.sector}` : undefined}
      className={`min-w-0 rounded-md border border-panel-border p-2 sm:p-3 ${provenance === "stale" ? "border-dashed border-warn" : ""}`}
    >
      <div className="flex items-center gap-2 text-sm text-ink-muted">
        {tile.color ? <span aria-hidden className="h-2.5 w-2.5 rounded-full" style={{ background: tile.color }} /> : null}
        {tile.label}
      </div>
      {/* Smaller figures on a phone, where two tiles share 390 px: "45,123,456" must fit its tile.
          Contained, with tabular figures: a new number lays out and repaints this box only. */}
      <div ref={value} data-kpi-value className="mt-1 text-[1.2em] font-semibold leading-tight tabular-nums [contain:layout_paint] sm:text-[1.75em]">
        {initial.value}
      </div>
      {provenance === "simulated" ? null : (
        <div data-kpi-provenance className={`text-xs ${provenance === "measured" ? "text-measured" : provenance === "stale" ? "text-warn" : "text-ink-muted"}`}>
          {messages.provenance.counts(provenanceParts(counts))}
        </div>
      )}
      <div className="mt-1 flex flex-wrap gap-x-3 text-xs text-ink-muted">
        <span>
          {messages.kpi.lastMinute} <Change texts={initial.minute} label={messages.kpi.changeMinute} arrowRef={minuteArrow} textRef={minuteText} />
        </span>
        <span>
          {messages.kpi.lastHour} <Change texts={initial.hour} label={messages.kpi.changeHour} arrowRef={hourArrow} textRef={hourText} />
        </span>
      </div>
    </div>
  );
}

/** Total live connections and each operator's, with the change over the last minute and hour. */
export function KpiTiles() {
  const { view, messages } = useView();
  const stale = useStale();
  const filter = useViewFilter();
  const hour = useHourHistory(filter);
  const { shape, current } = useLiveShape();

  const groups = groupByOperator(shape.series);
  const tiles: Tile[] = [
    { id: "total", label: messages.kpi.total, color: undefined, indexes: undefined },
    ...OPERATOR_SLUGS.flatMap((slug) => {
      const group = groups.find((entry) => entry.slug === slug);
      return group ? [{ id: slug, label: operatorName(slug, view.lang), color: OPERATOR_COLORS[slug], indexes: group.indexes }] : [];
    }),
  ];

  return (
    <Panel age={<PanelAge />} id="kpi" title={messages.kpi.heading} stale={stale} badge={<LiveProvenanceBadge />}>
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        {tiles.map((tile) => (
          <KpiTile key={tile.id} tile={tile} series={shape.series} codes={shape.codes} hour={hour} current={current} />
        ))}
      </div>
    </Panel>
  );
}
