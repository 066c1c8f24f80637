"use client";

import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useEffect, useSyncExternalStore } from "react";
import type { AlertsResponse } from "@/lib/contracts/alerts";
import type { Heartbeat } from "@/lib/contracts/displays";
import type { SeriesFilter } from "@/lib/contracts/filters";
import type { ServerInfo, StreamSubscribed, Tick } from "@/lib/contracts/realtime";
import { filterKey } from "@/lib/domain/series";
import { upsertAlert } from "@/lib/queries/alerts";
import { filterShows } from "@/lib/domain/series";
import { LIVE_CAPACITY, appendTicks, liveQueryKey, type LiveWindow } from "@/lib/queries/live";
import { StreamClient, type StreamStatus } from "./stream-client";

export interface StreamState {
  status: StreamStatus;
  /** When the last tick arrived (browser clock, ms), 0 before the first. */
  lastTickAt: number;
  info: ServerInfo | null;
}

/**
 * One socket per browser tab, shared by every component that shows live data. It writes what
 * it receives into the React Query cache (the live window of the current filter, the alert
 * feeds), so components read live data the same way they read anything else.
 */
let state: StreamState = { status: "connecting", lastTickAt: 0, info: null };
const SERVER_STATE: StreamState = state;
const listeners = new Set<() => void>();

/** What a wall screen reacts to beyond data: a new build, a remote reload, a revoked token. */
export type StreamEvent = { type: "hello"; info: ServerInfo } | { type: "reload-requested" } | { type: "revoked" } | { type: "connect-error"; message: string };
const eventListeners = new Set<(event: StreamEvent) => void>();
const emit = (event: StreamEvent) => eventListeners.forEach((listener) => listener(event));

function setState(change: Partial<StreamState>): void {
  state = { ...state, ...change };
  for (const listener of listeners) listener();
}

let shared: { client: StreamClient; users: number; filterKey: string; closeTimer?: ReturnType<typeof setTimeout> } | undefined;

/**
 * Ticks are written to the cache once per animation frame, not once per message: a screen
 * never redraws more often than it paints, however fast ticks come (the soak test sends
 * hundreds a second). While the tab is hidden, frames stop, so a timer takes over.
 */
function createTickBatcher(queryClient: QueryClient) {
  let pending: { subscription: StreamSubscribed; ticks: Tick[] } | undefined;
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (!pending) return;
    const { subscription, ticks } = pending;
    pending = undefined;
    queryClient.setQueryData<LiveWindow>(liveQueryKey(subscription.filter), (window) => appendTicks(window ?? { ...subscription, ticks: [] }, ticks));
    setState({ lastTickAt: Date.now() });
  };
  return {
    add(ticks: Tick[], subscription: StreamSubscribed) {
      if (pending && filterKey(pending.subscription.filter) !== filterKey(subscription.filter)) pending = undefined;
      pending ??= { subscription, ticks: [] };
      pending.ticks.push(...ticks);
      if (pending.ticks.length > LIVE_CAPACITY) pending.ticks.splice(0, pending.ticks.length - LIVE_CAPACITY);
      if (scheduled) return;
      scheduled = true;
      if (document.hidden) setTimeout(flush, 250);
      else requestAnimationFrame(flush);
    },
    /** A snapshot replaces the window: ticks held for it are older and go. */
    clear() {
      pending = undefined;
    },
  };
}

function createClient(queryClient: QueryClient, filter: SeriesFilter): StreamClient {
  let wasLive = false;
  const batcher = createTickBatcher(queryClient);
  return new StreamClient({
    filter,
    snapshotTicks: LIVE_CAPACITY,
    // WebSocket straight away (one less round of HTTP requests per reconnect); long-polling only
    // where a proxy refuses WebSockets.
    socketOptions: { transports: ["websocket", "polling"], tryAllTransports: true },
    handlers: {
      onSnapshot: (subscription) => {
        batcher.clear();
        queryClient.setQueryData<LiveWindow>(liveQueryKey(subscription.filter), subscription);
        if (subscription.ticks.length) setState({ lastTickAt: Date.now() });
      },
      onTicks: (ticks, subscription) => batcher.add(ticks, subscription),
      onAlert: (_, alert) => {
        // Every cached alert feed that shows this alert gets it, newest first.
        for (const query of queryClient.getQueryCache().findAll({ queryKey: ["alerts"] })) {
          const [, operators, sectors] = query.queryKey as [string, SeriesFilter["operators"], SeriesFilter["sectors"]];
          if (!filterShows({ operators, sectors }, alert)) continue;
          queryClient.setQueryData<AlertsResponse>(query.queryKey, (feed) => upsertAlert(feed ?? { alerts: [] }, alert));
        }
      },
      onStatus: (status) => {
        // Back after a gap: the live window is resumed by the client; alerts and history are fetched again.
        if (status === "live" && wasLive) {
          void queryClient.invalidateQueries({ queryKey: ["alerts"] });
          void queryClient.invalidateQueries({ queryKey: ["history"] });
        }
        if (status === "live") wasLive = true;
        setState({ status });
      },
      onHello: (info) => {
        setState({ info });
        emit({ type: "hello", info });
      },
      onReloadRequested: () => emit({ type: "reload-requested" }),
      onRevoked: () => emit({ type: "revoked" }),
      onConnectError: (message) => emit({ type: "connect-error", message }),
    },
  });
}

function acquire(queryClient: QueryClient, filter: SeriesFilter): void {
  const key = filterKey(filter);
  if (!shared) {
    shared = { client: createClient(queryClient, filter), users: 0, filterKey: key };
  } else if (shared.filterKey !== key) {
    shared.client.setFilter(filter);
    shared.filterKey = key;
  }
  clearTimeout(shared.closeTimer);
  shared.users++;
}

function release(): void {
  if (!shared) return;
  shared.users--;
  const current = shared;
  // Kept a moment so that a filter change (unmount, then mount) reuses the same socket.
  if (current.users === 0) {
    current.closeTimer = setTimeout(() => {
      if (shared === current && current.users === 0) {
        current.client.close();
        shared = undefined;
        setState({ status: "connecting" });
      }
    }, 5_000);
  }
}

/** Streams `filter` into the query cache while mounted. */
export function useStreamSubscription(filter: SeriesFilter): void {
  const queryClient = useQueryClient();
  const key = filterKey(filter);
  useEffect(() => {
    acquire(queryClient, filter);
    return release;
    // `key` stands for `filter`: a new array with the same slugs is the same subscription.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [queryClient, key]);
}

/** The connection state now (it changes with every tick's `lastTickAt`: subscribe with care). */
export function getStreamState(): StreamState {
  return state;
}

/** Calls `listener` whenever the connection state changes, including each tick's `lastTickAt`. */
export function subscribeStreamState(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Streams `filter` into the query cache while mounted; returns the connection state (re-rendering on every tick). */
export function useLiveStream(filter: SeriesFilter): StreamState {
  useStreamSubscription(filter);
  return useSyncExternalStore(subscribeStreamState, getStreamState, () => SERVER_STATE);
}

/** Calls `listener` with every stream event until the returned function is called. */
export function onStreamEvent(listener: (event: StreamEvent) => void): () => void {
  eventListeners.add(listener);
  return () => eventListeners.delete(listener);
}

/** Sends a wall screen's heartbeat over the tab's one socket. */
export function sendHeartbeat(heartbeat: Heartbeat): void {
  shared?.client.sendHeartbeat(heartbeat);
}
