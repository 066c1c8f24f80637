"use client";

import { useQuery } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";
import type { Baseline } from "@/lib/contracts/baselines";
import { formatCount } from "@/lib/domain/format";
import { OPERATOR_COLORS, SECTOR_COLORS } from "@/lib/domain/palette";
import type { Language } from "@/lib/contracts/view";
import type { Messages } from "@/lib/i18n/messages";
import { operatorName, sectorName } from "@/lib/i18n/names";
import { baselinesQueryOptions } from "@/lib/queries/baselines";
import { throwWhenEmpty } from "@/lib/queries/query-client";
import { BarChart } from "@/components/charts/bar-chart";
import { ProvenanceBadge } from "@/components/ui/provenance-badge";
import { Panel } from "@/components/ui/panel";
import { PanelAge } from "./panel-age";
import { useView } from "@/components/providers/view-context";

const REGION_COLOR = "#56B4E9";
const CHINA_COLOR = "#E69F00";

function sourceOf(baseline: Baseline): string {
  return baseline.attribution ? `${baseline.source}; ${baseline.attribution}` : baseline.source;
}

function number(value: number, lang: Language): string {
  return new Intl.NumberFormat(lang === "zh" ? "zh-CN" : "en-US", { maximumFractionDigits: 1 }).format(value);
}

function Caveat({ baseline, messages }: { baseline: Baseline; messages: Messages }) {
  if (!baseline.caveat) return null;
  return (
    <p role="note" className="mt-1 text-xs text-warn">
      <span aria-hidden>⚠ </span>
      {messages.baselines.inconsistency} {messages.caveats[baseline.key] ?? baseline.caveat}
    </p>
  );
}

/** The report's figures: regional shares, net additions, sector facts, and the assumptions beside them. */
export function ReportBaselinesPanel() {
  const { view, messages } = useView();
  const { data } = useQuery({ ...baselinesQueryOptions(), throwOnError: throwWhenEmpty });
  const baselines = useMemo(() => data?.baselines ?? [], [data]);
  const byKey = (key: string) => baselines.find((baseline) => baseline.key === key);
  const region = (baseline: Baseline) => messages.regions[baseline.scope] ?? baseline.scope;

  // Kept while the baselines are: the bar charts below redraw (on the page's thread) whenever
  // their data is a new array, and this panel re-renders on every view change (a new window or
  // filter), which has nothing to do with it.
  const shares = useMemo(() => baselines.filter((baseline) => baseline.metric === "global-connection-share"), [baselines]);
  const additions = useMemo(() => baselines.filter((baseline) => baseline.metric === "net-additions"), [baselines]);
  const assumptions = baselines.filter((baseline) => baseline.provenance === "assumption");
  const asiaStated = byKey("asia-2013.share");
  const asiaConnections = byKey("asia-2013.connections");
  const formatPct = useCallback((value: number) => `${value}%`, []);
  const formatMillions = useCallback((value: number) => messages.baselines.million(number(value, view.lang)), [messages, view.lang]);
  const shareLabels = useMemo(() => shares.map(region), [shares, messages]); // eslint-disable-line react-hooks/exhaustive-deps
  const shareValues = useMemo(() => shares.map((baseline) => baseline.value), [shares]);
  const shareColors = useMemo(() => shares.map(() => REGION_COLOR), [shares]);
  const additionLabels = useMemo(() => additions.map(region), [additions, messages]); // eslint-disable-line react-hooks/exhaustive-deps
  const additionValues = useMemo(() => additions.map((baseline) => baseline.value), [additions]);
  const additionColors = useMemo(() => additions.map((baseline) => (baseline.scope === "China" ? CHINA_COLOR : REGION_COLOR)), [additions]);
  const source = shares[0] ? sourceOf(shares[0]) : "";

  const facts = [
    { key: "energy.smart-meters-installed", text: messages.baselines.metersInstalled, sector: "energy" as const },
    { key: "energy.smart-meters-deploying", text: messages.baselines.metersDeploying, sector: "energy" as const },
    { key: "transport.etc-lanes", text: messages.baselines.tollLanes(number(byKey("transport.etc-provinces")?.value ?? 26, view.lang)), sector: "transport" as const },
    { key: "smart-city.cities-signed-up", text: messages.baselines.smartCities, sector: "smart-city" as const },
  ];

  return (
    <Panel
      age={<PanelAge />}
      id="baselines"
      title={messages.baselines.heading}
      badge={<ProvenanceBadge provenance="reported" label={messages.provenance.reported} title={source} />}
    >
      <div className="grid gap-4 xl:grid-cols-3">
        <figure className="min-w-0">
          <figcaption className="mb-1 text-sm font-medium">{messages.baselines.shares}</figcaption>
          <div className="h-48 wall:h-[22vh]">
            <BarChart labels={shareLabels} values={shareValues} colors={shareColors} theme={view.theme} formatValue={formatPct} ariaLabel={messages.baselines.shares} />
          </div>
          <ul className="mt-2 flex flex-wrap gap-x-3 gap-y-1 text-xs text-ink-muted">
            {shares.map((baseline) => (
              <li key={baseline.key} data-baseline={baseline.key} title={sourceOf(baseline)}>
                {region(baseline)} <span className="font-semibold text-ink">{formatPct(baseline.value)}</span>
                <Caveat baseline={baseline} messages={messages} />
              </li>
            ))}
          </ul>
          {asiaStated ? (
            <p data-baseline={asiaStated.key} className="mt-1 text-xs text-warn" role="note">
              <span aria-hidden>⚠ </span>
              {messages.baselines.inconsistency} {messages.caveats[asiaStated.key] ?? asiaStated.caveat}
            </p>
          ) : null}
          <p className="mt-1 text-xs text-ink-muted">{messages.provenance.source(source)}</p>
        </figure>
        <figure className="min-w-0">
          <figcaption className="mb-1 text-sm font-medium">{messages.baselines.additions}</figcaption>
          <div className="h-48 wall:h-[22vh]">
            <BarChart labels={additionLabels} values={additionValues} colors={additionColors} theme={view.theme} formatValue={formatMillions} ariaLabel={messages.baselines.additions} />
          </div>
          <ul className="mt-2 flex flex-wrap gap-x-3 gap-y-1 text-xs text-ink-muted">
            {additions.map((baseline) => (
              <li key={baseline.key} data-baseline={baseline.key} title={sourceOf(baseline)}>
                {region(baseline)} <span className="font-semibold text-ink">{number(baseline.value, view.lang)}</span>
              </li>
            ))}
          </ul>
          {asiaConnections ? <Caveat baseline={asiaConnections} messages={messages} /> : null}
          <p className="mt-1 text-xs text-ink-muted">{messages.provenance.source(source)}</p>
        </figure>
        <div className="min-w-0">
          <h3 className="mb-1 text-sm font-medium">{messages.baselines.facts}</h3>
          <ul className="grid grid-cols-2 gap-2">
            {facts.map((fact) => {
              const baseline = byKey(fact.key);
              if (!baseline) return null;
              // "180 million" in English, "1.8亿" in Chinese.
              const value = !baseline.unit.startsWith("million")
                ? number(baseline.value, view.lang)
                : view.lang === "zh"
                  ? formatCount(baseline.value * 1e6, view.lang)
                  : messages.baselines.million(number(baseline.value, view.lang));
              return (
                <li key={fact.key} data-baseline={fact.key} className="rounded-md border border-panel-border p-2" title={sourceOf(baseline)}>
                  <div className="flex items-center gap-1.5 text-xs text-ink-muted">
                    <span aria-hidden className="h-2 w-2 rounded-full" style={{ background: SECTOR_COLORS[fact.sector] }} />
                    {sectorName(fact.sector, view.lang)}
                  </div>
                  <div className="text-xl font-semibold tabular-nums">{value}</div>
                  <div className="text-xs text-ink-muted">{fact.text}</div>
                  <div className="mt-1 flex flex-wrap items-center gap-1 text-[0.7rem] text-ink-muted">
                    <ProvenanceBadge provenance="reported" label={messages.provenance.reported} title={sourceOf(baseline)} />
                    {baseline.attribution ?? ""}
                  </div>
                </li>
              );
            })}
          </ul>
        </div>
      </div>
      <details className="mt-4 rounded-md border border-dashed border-assumed/60 p-3">
        <summary className="cursor-pointer text-sm font-medium">
          {messages.baselines.assumptions} <ProvenanceBadge provenance="assumption" label={messages.provenance.assumption} />
        </summary>
        <p className="mt-2 text-xs text-ink-muted">{messages.baselines.assumptionsNote}</p>
        <ul className="mt-2 grid gap-2 text-sm md:grid-cols-2">
          {assumptions.map((baseline) => (
            <li key={baseline.key} data-baseline={baseline.key} title={baseline.note ?? undefined}>
              <span className="text-ink-muted">
                {baseline.operator ? (
                  <span style={{ color: OPERATOR_COLORS[baseline.operator] }} aria-hidden>
                    ●{" "}
                  </span>
                ) : null}
                {baseline.operator ? operatorName(baseline.operator, view.lang) : baseline.sector ? sectorName(baseline.sector, view.lang) : baseline.label}
                {": "}
              </span>
              <span className="font-semibold">{baseline.unit === "percent" ? formatPct(baseline.value) : `${number(baseline.value, view.lang)} ${baseline.unit}`}</span>{" "}
              <ProvenanceBadge provenance="assumption" label={messages.provenance.assumption} title={baseline.note ?? undefined} />
            </li>
          ))}
        </ul>
      </details>
    </Panel>
  );
}
