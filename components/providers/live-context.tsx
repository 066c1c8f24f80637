"use client";

import { hashKey, useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, useContext, useLayoutEffect, useMemo, useRef, useSyncExternalStore, type ReactNode } from "react";
import type { SeriesFilter, SeriesRef } from "@/lib/contracts/filters";
import { filterKey } from "@/lib/domain/series";
import { liveQueryKey, liveQueryOptions, type LiveWindow } from "@/lib/queries/live";
import { LiveUpdates } from "@/lib/realtime/live-updates";
import { getStreamState, subscribeStreamState, useStreamSubscription, type StreamState } from "@/lib/realtime/use-live-stream";
import { WallContext } from "./wall-context";

export interface LiveState {
  status: StreamState["status"];
  info: StreamState["info"];
  /** No tick for more than two tick intervals: the values on screen are the last good ones. */
  stale: boolean;
  /** A tick has arrived and the page's one-second clock runs: "updated 3 s ago" can be shown. */
  ticking: boolean;
}

const LiveContext = createContext<LiveState | null>(null);
// Panels only need to know whether they are stale; this context changes only when that flips, so
// the one-second clock and each tick do not re-render (and redraw) every chart.
const StaleContext = createContext(false);
const LiveWindowContext = createContext<LiveUpdates<LiveWindow> | null>(null);

const DEFAULT_TICK_MS = 1000;
/**
 * A wall's live numbers change at most about once a second, however fast ticks come: a little
 * under a second, so the server's one-second ticks are never held back by their jitter.
 */
const WALL_MIN_UPDATE_MS = 900;

/**
 * The page's one clock, ticking every second while anything listens: the stale check, every
 * "updated 3 s ago" and the wall's clock move together in one timer. While ticks come about once
 * a second, the clock moves with them (in the tick's frame) instead of a frame of its own, and its
 * timer only takes over when they stop. 0 until the first listener (and during server rendering),
 * so nothing time-dependent mismatches on hydration.
 */
const CLOCK_MS = 1000;
/**
 * While the clock follows the ticks, a tick this long after its last second moves it on (so fast
 * ticks move it about once a second), and its timer waits a little longer than a second for one.
 * Moved by its timer, it follows the next tick whenever that comes: that puts it in step.
 */
const CLOCK_BY_TICK_MS = 900;
const CLOCK_WAITS_FOR_TICK_MS = 1250;
let clockNow = 0;
let clockFollowsTicks = false;
let clockTimer: ReturnType<typeof setTimeout> | undefined;
let stopFollowingTicks: (() => void) | undefined;
let lastTickSeen = 0;
const clockListeners = new Set<() => void>();

function clockTick(byTick: boolean): void {
  clockNow = Date.now();
  clockFollowsTicks = byTick;
  clearTimeout(clockTimer);
  clockTimer = setTimeout(() => clockTick(false), byTick ? CLOCK_WAITS_FOR_TICK_MS : CLOCK_MS);
  for (const each of clockListeners) each();
}

export function subscribeClock(listener: () => void): () => void {
  if (clockListeners.size === 0) {
    clockNow = Date.now();
    clockFollowsTicks = false;
    clockTimer = setTimeout(() => clockTick(false), CLOCK_MS);
    lastTickSeen = getStreamState().lastTickAt;
    stopFollowingTicks = subscribeStreamState(() => {
      const { lastTickAt } = getStreamState();
      if (lastTickAt === lastTickSeen) return;
      lastTickSeen = lastTickAt;
      if (!clockFollowsTicks || Date.now() - clockNow >= CLOCK_BY_TICK_MS) clockTick(true);
    });
  }
  clockListeners.add(listener);
  return () => {
    clockListeners.delete(listener);
    if (clockListeners.size === 0) {
      clearTimeout(clockTimer);
      clockTimer = undefined;
      stopFollowingTicks?.();
      stopFollowingTicks = undefined;
    }
  };
}

/** The clock's last second (ms), 0 before it started. */
export function readClock(): number {
  return clockNow;
}

/** The clock, re-rendering every second: for what must be React (the wall's key hint). */
export function useClock(): number {
  return useSyncExternalStore(subscribeClock, readClock, () => 0);
}

const SERVER_LIVE_STATE: LiveState = { status: "connecting", info: null, stale: false, ticking: false };

/**
 * What the panels need of the connection, derived from the stream's state and the clock and kept
 * as one object while it stays the same: a tick (which moves `lastTickAt`) or a second of the
 * clock re-renders nothing unless staleness, the status or the server's info changed.
 */
function createLiveStateStore() {
  let snapshot = SERVER_LIVE_STATE;
  const read = (): LiveState => {
    const stream = getStreamState();
    const nowMs = clockNow;
    const tickMs = stream.info?.tickMs ?? DEFAULT_TICK_MS;
    const stale = stream.status !== "live" || (stream.lastTickAt > 0 && nowMs - stream.lastTickAt > 2.5 * Math.max(tickMs, 400));
    const next: LiveState = { status: stream.status, info: stream.info, stale: nowMs > 0 && stale, ticking: stream.lastTickAt > 0 && nowMs > 0 };
    if (next.status !== snapshot.status || next.info !== snapshot.info || next.stale !== snapshot.stale || next.ticking !== snapshot.ticking) snapshot = next;
    return snapshot;
  };
  const subscribe = (onChange: () => void) => {
    const stopStream = subscribeStreamState(onChange);
    const stopClock = subscribeClock(onChange);
    return () => {
      stopStream();
      stopClock();
    };
  };
  return { read, subscribe };
}

/**
 * The view's live window as the stream writes it into the query cache, handed to the numbers that
 * update themselves (useLiveWriter) without a React render per tick; on a wall about once a second.
 */
function createLiveWindow(queryClient: ReturnType<typeof useQueryClient>, filter: SeriesFilter, wall: boolean): LiveUpdates<LiveWindow> {
  const key = liveQueryKey(filter);
  const read = () => queryClient.getQueryData<LiveWindow>(key);
  const hash = hashKey(key);
  return new LiveUpdates<LiveWindow>({
    read,
    subscribe: (onChange) => queryClient.getQueryCache().subscribe((event) => event.query.queryHash === hash && onChange()),
    minIntervalMs: wall ? WALL_MIN_UPDATE_MS : 0,
    // A new window (a new filter, or a fresh snapshot after a gap) is shown at once.
    isUrgent: (shown, next) => shown?.series !== next.series,
  });
}

/** Streams `filter` for everything below and says how fresh the data is. */
export function LiveProvider({ filter, children }: { filter: SeriesFilter; children: ReactNode }) {
  useStreamSubscription(filter);
  // The window's first load (over HTTP where the server did not prefetch it). Its data is not read
  // here: a tick writing it must not re-render this (React Query re-renders on every change when
  // nothing is read, hence the one property named).
  useQuery({ ...liveQueryOptions(filter), notifyOnChangeProps: ["status"] });
  const queryClient = useQueryClient();
  const wall = useContext(WallContext);
  const store = useMemo(() => createLiveStateStore(), []);
  const live = useSyncExternalStore(store.subscribe, store.read, () => SERVER_LIVE_STATE);
  const key = filterKey(filter);
  // `key` stands for `filter`.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const liveWindow = useMemo(() => createLiveWindow(queryClient, filter, wall), [queryClient, key, wall]);
  return (
    <LiveContext.Provider value={live}>
      <StaleContext.Provider value={live.stale}>
        <LiveWindowContext.Provider value={liveWindow}>{children}</LiveWindowContext.Provider>
      </StaleContext.Provider>
    </LiveContext.Provider>
  );
}

/** Whether the data on screen is stale (see LiveState.stale), for panels. */
export function useStale(): boolean {
  return useContext(StaleContext);
}

export function useLive(): LiveState {
  const value = useContext(LiveContext);
  if (!value) throw new Error("useLive outside LiveProvider");
  return value;
}

function useLiveWindowSource(): LiveUpdates<LiveWindow> {
  const value = useContext(LiveWindowContext);
  if (!value) throw new Error("live window outside LiveProvider");
  return value;
}

/** What a panel's structure depends on: the series, and where each value comes from. Changes seldom. */
export interface LiveShape {
  series: readonly SeriesRef[];
  /** The newest tick's provenance codes (`p`), if there is a tick. */
  codes: string | undefined;
  hasTick: boolean;
}

const NO_SERIES: readonly SeriesRef[] = [];

/** The shape of what `source` shows, kept as one object while it stays the same. */
function createShapeStore(source: LiveUpdates<LiveWindow>) {
  let shape: LiveShape = { series: NO_SERIES, codes: undefined, hasTick: false };
  const read = () => {
    const window = source.current();
    const latest = window?.ticks.at(-1);
    const next = { series: window?.series ?? NO_SERIES, codes: latest?.p, hasTick: latest !== undefined };
    if (next.series !== shape.series || next.codes !== shape.codes || next.hasTick !== shape.hasTick) shape = next;
    return shape;
  };
  return { read, subscribe: (onChange: () => void) => source.subscribe(onChange) };
}

/**
 * The live window's shape, re-rendering only when it changes (a new filter or window, a series
 * turning measured or stale), and the window as now on screen, for a render's first values; the
 * values themselves move on through useLiveWriter.
 */
export function useLiveShape(): { shape: LiveShape; current: LiveWindow | undefined } {
  const source = useLiveWindowSource();
  const store = useMemo(() => createShapeStore(source), [source]);
  const shape = useSyncExternalStore(store.subscribe, store.read, store.read);
  return { shape, current: source.current() };
}

/** Hands `listener` (kept current in a ref) the window now and at each change `attach` reports. */
function useWindowListener(listener: (window: LiveWindow) => void, attach: "subscribe" | "watch", deps: readonly unknown[]): void {
  const source = useLiveWindowSource();
  const latest = useRef(listener);
  useLayoutEffect(() => {
    latest.current = listener;
  });
  useLayoutEffect(() => {
    const run = (window: LiveWindow) => latest.current(window);
    const window = source.current();
    if (window) run(window);
    return attach === "watch" ? source.watch(run) : source.subscribe(run);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [source, attach, ...deps]);
}

/**
 * Runs `write` with the view's live window whenever it moves on (every tick on the dashboard, about
 * once a second on a wall), and once after each mount: `write` sets the changed text and attributes
 * of elements the component rendered, so a tick costs no React render. It always sees the latest
 * props (it is kept in a ref).
 */
export function useLiveWriter(write: (window: LiveWindow) => void): void {
  useWindowListener(write, "subscribe", []);
}

/** Calls `watcher` with every live window at once, unthrottled (what the chart worker draws). */
export function useLiveWindowWatcher(watcher: (window: LiveWindow) => void, deps: readonly unknown[]): void {
  useWindowListener(watcher, "watch", deps);
}
