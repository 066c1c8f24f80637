"use client";

import { useQuery } from "@tanstack/react-query";
import type { Baseline } from "@/lib/contracts/baselines";
import { OPERATORS, SECTORS } from "@/lib/contracts/catalog";
import { formatFigure } from "@/lib/domain/format";
import { baselinesQueryOptions } from "@/lib/queries/baselines";
import { ProvenanceBadge } from "@/components/ui/provenance-badge";

const GROUPS: { title: string; metrics: string[] }[] = [
  { title: "Share of global M2M connections, 2013", metrics: ["global-connection-share", "asia-stated-share"] },
  { title: "Asia, 2013", metrics: ["asia-connections"] },
  { title: "Net additions, 2010–2013", metrics: ["net-additions"] },
  {
    title: "Sector facts",
    metrics: ["smart-meters-installed", "smart-meters-deploying", "etc-lanes", "etc-provinces", "etc-drivers", "smart-cities"],
  },
];

function sourceLine(baseline: Baseline): string {
  return baseline.attribution ? `${baseline.source}; ${baseline.attribution}` : baseline.source;
}

function subjectOf(baseline: Baseline): string {
  if (baseline.operator) return OPERATORS[baseline.operator].name;
  if (baseline.sector) return SECTORS[baseline.sector].name;
  return baseline.scope;
}

function BaselineRow({ baseline }: { baseline: Baseline }) {
  return (
    <li className="border-t border-panel-border py-2 first:border-t-0" data-baseline={baseline.key}>
      <div className="flex items-baseline justify-between gap-3">
        <span className="text-sm text-ink-muted">
          {baseline.label}
          {baseline.provenance === "assumption" || baseline.scope === "China" ? ` · ${subjectOf(baseline)}` : ""}
        </span>
        <span className="shrink-0 text-lg font-semibold tabular-nums">{formatFigure(baseline.value, baseline.unit)}</span>
      </div>
      <div className="mt-1 flex flex-wrap items-center gap-2 text-xs text-ink-muted">
        <ProvenanceBadge provenance={baseline.provenance} title={sourceLine(baseline)} />
        <span>{baseline.provenance === "reported" ? `Source: ${sourceLine(baseline)}` : baseline.note}</span>
        {baseline.provenance === "reported" && baseline.note ? <span>({baseline.note})</span> : null}
      </div>
      {baseline.caveat ? (
        <p className="mt-1 text-xs text-warn" role="note">
          <span aria-hidden>⚠ </span>Inconsistent in the report: {baseline.caveat}
        </p>
      ) : null}
    </li>
  );
}

export function ReportBaselinesPanel() {
  const { data, error, isPending } = useQuery(baselinesQueryOptions());
  if (isPending) return <ReportBaselinesSkeleton />;
  if (error) return <p className="text-warn">Report baselines are unavailable: {error.message}</p>;

  const reported = data.baselines.filter((baseline) => baseline.provenance === "reported");
  const assumptions = data.baselines.filter((baseline) => baseline.provenance === "assumption");

  return (
    <section aria-labelledby="baselines-heading" className="space-y-4">
      <h2 id="baselines-heading" className="text-xl font-semibold">
        Report baselines
      </h2>
      <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
        {GROUPS.map((group) => {
          const rows = reported.filter((baseline) => group.metrics.includes(baseline.metric));
          if (rows.length === 0) return null;
          return (
            <article key={group.title} className="rounded-lg border border-panel-border bg-panel p-4">
              <h3 className="mb-2 font-medium">{group.title}</h3>
              <ul>
                {rows.map((baseline) => (
                  <BaselineRow key={baseline.key} baseline={baseline} />
                ))}
              </ul>
            </article>
          );
        })}
        {assumptions.length > 0 ? (
          <article className="rounded-lg border border-dashed border-assumed/60 bg-panel p-4">
            <h3 className="mb-1 font-medium">Assumptions (not in the report)</h3>
            <p className="mb-2 text-xs text-ink-muted">
              The report gives no split by operator or sector; the simulator uses these.
            </p>
            <ul>
              {assumptions.map((baseline) => (
                <BaselineRow key={baseline.key} baseline={baseline} />
              ))}
            </ul>
          </article>
        ) : null}
      </div>
    </section>
  );
}

export function ReportBaselinesSkeleton() {
  return (
    <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3" aria-busy="true" aria-label="Loading report baselines">
      {[0, 1, 2].map((index) => (
        <div key={index} className="h-48 animate-pulse rounded-lg border border-panel-border bg-panel" />
      ))}
    </div>
  );
}
