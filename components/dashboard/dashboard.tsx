"use client";

import Link from "next/link";
import { useEffect } from "react";
import { dashboardSearch, withLang, type UrlNotice } from "@/lib/domain/dashboard-url";
import { AlertsFeed } from "@/components/panels/alerts-feed";
import { ConnectionsOverTime } from "@/components/panels/connections-over-time";
import { KpiTiles } from "@/components/panels/kpi-tiles";
import { LiveVsExpected } from "@/components/panels/live-vs-expected";
import { OperatorSectorMatrix } from "@/components/panels/operator-sector-matrix";
import { PanelBoundary } from "@/components/panels/panel-boundary";
import { ReportBaselinesPanel } from "@/components/panels/report-baselines-panel";
import { ConnectionStatus } from "./connection-status";
import { TickPaintProbe } from "./tick-paint-probe";
import { FilterBar } from "./filter-bar";
import { LiveProvider } from "@/components/providers/live-context";
import { UrlNotices } from "./url-notices";
import { ViewProvider, useView } from "@/components/providers/view-context";

function DashboardBody({ notices }: { notices: UrlNotice[] }) {
  const { view, messages } = useView();
  // The page's language and theme follow the URL (they are not known to the root layout).
  useEffect(() => {
    document.documentElement.lang = view.lang === "zh" ? "zh-CN" : "en";
    document.documentElement.dataset.theme = view.theme;
    document.title = messages.title;
  }, [view.lang, view.theme, messages.title]);

  return (
    <LiveProvider filter={{ operators: view.operators, sectors: view.sectors }}>
      <div className="mx-auto max-w-[2400px] space-y-4 p-4 lg:p-6">
        <header className="flex flex-wrap items-end justify-between gap-3">
          <div>
            <h1 className="text-2xl font-bold">{messages.title}</h1>
            <p className="text-sm text-ink-muted">{messages.subtitle}</p>
          </div>
          <div className="flex flex-col items-end gap-1">
            <ConnectionStatus />
            <span className="text-xs text-ink-muted">{messages.timeZone}</span>
            <nav aria-label={messages.nav.label} className="flex gap-3 text-xs">
              <Link className="text-ink-muted underline-offset-4 hover:text-ink hover:underline" href={`/wall${dashboardSearch(view)}`}>{messages.nav.wall}</Link>
              <Link className="text-ink-muted underline-offset-4 hover:text-ink hover:underline" href={withLang("/playlists", view.lang)}>{messages.nav.playlists}</Link>
              <Link className="text-ink-muted underline-offset-4 hover:text-ink hover:underline" href={withLang("/displays", view.lang)}>{messages.nav.displays}</Link>
            </nav>
          </div>
        </header>
        <UrlNotices notices={notices} />
        <FilterBar />
        <main className="grid gap-4 lg:grid-cols-3">
          <div className="lg:col-span-3">
            <PanelBoundary id="kpi" title={messages.kpi.heading}>
              <KpiTiles />
            </PanelBoundary>
          </div>
          <PanelBoundary id="over-time" title={messages.series.heading} className="lg:col-span-2">
            <ConnectionsOverTime />
          </PanelBoundary>
          <PanelBoundary id="alerts" title={messages.alerts.heading}>
            <AlertsFeed />
          </PanelBoundary>
          <PanelBoundary id="expected" title={messages.band.heading} className="lg:col-span-2">
            <LiveVsExpected />
          </PanelBoundary>
          <PanelBoundary id="matrix" title={messages.matrix.heading}>
            <OperatorSectorMatrix />
          </PanelBoundary>
          <div className="lg:col-span-3">
            <PanelBoundary id="baselines" title={messages.baselines.heading}>
              <ReportBaselinesPanel />
            </PanelBoundary>
          </div>
        </main>
        <TickPaintProbe />
      </div>
    </LiveProvider>
  );
}

/** The dashboard page: its view comes from the URL, its data from the query cache and the stream. */
export function Dashboard({ notices }: { notices: UrlNotice[] }) {
  return (
    <ViewProvider basePath="/">
      <DashboardBody notices={notices} />
    </ViewProvider>
  );
}
