"use client";

import { useEffect, useMemo } from "react";
import type { Playlist } from "@/lib/contracts/playlists";
import type { DashboardView } from "@/lib/contracts/view";
import { AlertsFeed } from "@/components/panels/alerts-feed";
import { ConnectionsOverTime } from "@/components/panels/connections-over-time";
import { KpiTiles } from "@/components/panels/kpi-tiles";
import { LiveVsExpected } from "@/components/panels/live-vs-expected";
import { OperatorSectorMatrix } from "@/components/panels/operator-sector-matrix";
import { PanelBoundary } from "@/components/panels/panel-boundary";
import { WallContext } from "@/components/providers/wall-context";
import { ConnectionStatus } from "@/components/dashboard/connection-status";
import { LiveProvider, useClock, useLive } from "@/components/providers/live-context";
import { LiveAge } from "@/components/panels/panel-age";
import { TickPaintProbe } from "@/components/dashboard/tick-paint-probe";
import { FixedViewProvider, useView } from "@/components/providers/view-context";
import { useRotation } from "./use-rotation";
import { useHeartbeat, usePixelShift, useSelfUpdate, useWakeLock } from "./use-screen-care";
import { WallClock } from "./wall-clock";

/** As many alerts as a wall panel shows legibly; the rest are on the dashboard. */
const WALL_ALERTS = 6;

/** Over the panels while no tick has come for two intervals: the values stay, marked stale. */
function StaleOverlay() {
  const live = useLive();
  const { messages } = useView();
  if (!live.stale || !live.ticking) return null;
  return (
    <div data-stale-overlay className="pointer-events-none absolute inset-x-0 top-[12vh] z-10 flex justify-center">
      <div role="status" className="rounded-lg border border-warn bg-canvas/90 px-[1.2em] py-[0.6em] text-[1.2em] font-semibold text-warn shadow-lg">
        {live.status === "reconnecting" ? messages.status.reconnecting : messages.status.stale} · <LiveAge format={messages.status.lastUpdateAgo} />
      </div>
    </div>
  );
}

/** Shown for three seconds after a key is used, and never otherwise: the wall has no visible controls. */
function KeyHint({ lastKey, paused, position, title }: { lastKey: { at: number } | null; paused: boolean; position: string; title: string }) {
  const nowMs = useClock();
  if (!lastKey || nowMs - lastKey.at > 3_000) return null;
  return (
    <div data-key-hint className="absolute bottom-[3vh] left-1/2 z-20 -translate-x-1/2 rounded-lg bg-canvas/90 px-[1em] py-[0.5em] text-[1.1em] shadow-lg">
      {paused ? "⏸" : "▶"} {position} · {title}
    </div>
  );
}

function Revoked() {
  return (
    <div data-revoked className="absolute inset-0 z-30 grid place-items-center bg-canvas text-center text-[1.6em]">
      <div>
        <p>This screen&apos;s access to M2M Pulse has been revoked.</p>
        <p lang="zh-CN">此屏幕的访问权限已被撤销。</p>
      </div>
    </div>
  );
}

function WallPanels() {
  const { messages } = useView();
  return (
    <main className="grid min-h-0 flex-1 grid-cols-3 grid-rows-[minmax(0,1fr)_minmax(0,1fr)] gap-[1vh]">
      <PanelBoundary id="over-time" title={messages.series.heading} className="lg:col-span-2">
        <ConnectionsOverTime />
      </PanelBoundary>
      <PanelBoundary id="matrix" title={messages.matrix.heading}>
        <OperatorSectorMatrix />
      </PanelBoundary>
      <PanelBoundary id="expected" title={messages.band.heading} className="lg:col-span-2">
        <LiveVsExpected />
      </PanelBoundary>
      <PanelBoundary id="alerts" title={messages.alerts.heading}>
        <AlertsFeed limit={WALL_ALERTS} />
      </PanelBoundary>
    </main>
  );
}

/**
 * A wall screen: no controls, no cursor, sized to the screen, rotating through a playlist (or
 * showing one view from the URL), keeping itself awake, healthy and up to date.
 */
export function WallScreen({ baseView, playlist, buildId }: { baseView: DashboardView; playlist: Playlist | null; buildId: string }) {
  const views = useMemo(
    () => playlist?.views ?? [{ title: null, operators: baseView.operators, sectors: baseView.sectors, window: baseView.window, dwellSeconds: 3600 }],
    [playlist, baseView],
  );
  const rotation = useRotation(playlist?.slug ?? null, views);
  const current = views[rotation.index]!;
  const view: DashboardView = useMemo(
    // A wall never zooms: a range in its address is not used.
    () => ({ ...baseView, operators: current.operators, sectors: current.sectors, window: current.window, range: undefined }),
    [baseView, current],
  );
  const [dx, dy] = usePixelShift();
  const { revoked } = useSelfUpdate(buildId);
  useWakeLock();
  useHeartbeat({ playlist: playlist?.slug ?? null, viewIndex: playlist ? rotation.index : null, viewTitle: current.title ?? playlist?.name ?? null, buildId });

  useEffect(() => {
    document.documentElement.lang = view.lang === "zh" ? "zh-CN" : "en";
    document.documentElement.dataset.theme = view.theme;
  }, [view.lang, view.theme]);

  const position = `${rotation.index + 1} / ${views.length}`;
  return (
    <WallContext.Provider value>
      <FixedViewProvider view={view}>
        <LiveProvider filter={{ operators: view.operators, sectors: view.sectors }}>
          <WallHeaderAndPanels
            title={current.title ?? playlist?.name ?? null}
            position={playlist ? position : null}
            index={rotation.index}
            count={views.length}
            shift={[dx, dy]}
          />
          {/* Mounted once a key is used: until then nothing re-renders with the clock. */}
          {rotation.lastKey ? <KeyHint lastKey={rotation.lastKey} paused={rotation.paused} position={position} title={current.title ?? ""} /> : null}
          {revoked ? <Revoked /> : null}
          <TickPaintProbe />
        </LiveProvider>
      </FixedViewProvider>
    </WallContext.Provider>
  );
}

function WallHeaderAndPanels({ title, position, index, count, shift }: { title: string | null; position: string | null; index: number; count: number; shift: [number, number] }) {
  const { messages } = useView();
  return (
    <>
      <div className="flex h-full flex-col gap-[1vh] p-[1.2vh] transition-transform duration-[3000ms]" style={{ transform: `translate(${shift[0]}px, ${shift[1]}px)` }}>
        <header className="flex items-center justify-between gap-[1em]">
          <div className="min-w-0">
            <h1 className="truncate text-[1.6em] font-bold leading-tight">
              {messages.title}
              {title ? <span data-view-title className="font-normal text-ink-muted"> · {title}</span> : null}
            </h1>
            {position ? (
              <div data-rotation={position} data-rotation-index={index} className="mt-[0.2em] flex gap-[0.3em]" aria-label={position}>
                {Array.from({ length: count }, (_, dot) => (
                  <span key={dot} className={`h-[0.35em] w-[1.6em] rounded-full ${dot === index ? "bg-accent" : "bg-panel-border"}`} />
                ))}
              </div>
            ) : null}
          </div>
          <div className="flex items-center gap-[1.2em]">
            <ConnectionStatus />
            <WallClock />
          </div>
        </header>
        <PanelBoundary id="kpi" title={messages.kpi.heading}>
          <KpiTiles />
        </PanelBoundary>
        <WallPanels />
      </div>
      <StaleOverlay />
    </>
  );
}
