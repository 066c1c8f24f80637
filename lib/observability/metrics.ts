import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/**
 * The product's Prometheus metrics: one registry per process, served at GET /metrics
 * (server/metrics-endpoint.ts). Every label set is bounded: route templates rather than paths,
 * error codes rather than messages, Prisma model and operation names rather than SQL.
 *
 * To add a metric elsewhere (notifications, ingest), call `counter`, `gauge` or `histogram`
 * with a `pulse_` name: they return the metric already registered under that name, so a module
 * loaded twice (the custom server and Next's bundled route handlers each load their own copy)
 * shares one metric, and `metricNames()` lists it for the Grafana dashboard test.
 */

interface MetricsState {
  registry: Registry;
  probes: Set<RealtimeProbe>;
  /** Sent since the last scrape: added up in plain numbers, since this runs for every packet to every socket. */
  unsent: { bytes: number; packets: number };
}

// On globalThis rather than module scope: the custom server and Next's route handlers load
// separate copies of this module, and both must count into the one registry /metrics serves.
const holder = globalThis as typeof globalThis & { __pulseMetrics?: MetricsState };

function state(): MetricsState {
  if (!holder.__pulseMetrics) {
    const registry = new Registry();
    // Process CPU, memory, GC, handles and event-loop lag (nodejs_eventloop_lag_p99_seconds and
    // friends come from perf_hooks.monitorEventLoopDelay, so no second monitor is needed).
    collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
    holder.__pulseMetrics = { registry, probes: new Set(), unsent: { bytes: 0, packets: 0 } };
  }
  return holder.__pulseMetrics;
}

export function metricsRegistry(): Registry {
  return state().registry;
}

function existing<T>(name: string): T | undefined {
  return metricsRegistry().getSingleMetric(name) as T | undefined;
}

/** A counter named `name` (created on first use); `collect` runs at each scrape, to add what was counted elsewhere. */
export function counter<L extends string = never>(name: string, help: string, labelNames: readonly L[] = [], collect?: (this: Counter<L>) => void): Counter<L> {
  return existing<Counter<L>>(name) ?? new Counter<L>({ name, help, labelNames: [...labelNames], registers: [metricsRegistry()], ...(collect ? { collect } : {}) });
}

/**
 * One packet of `bytes` queued for a client. Called for every packet to every socket (10,000 a
 * second with 1,000 screens at 10 ticks/s), so it only adds; the counters take the sums at scrape.
 */
export function countSent(bytes: number): void {
  const { unsent } = state();
  unsent.bytes += bytes;
  unsent.packets++;
}

/** A gauge named `name`; `collect` runs at each scrape to set its value(s). */
export function gauge<L extends string = never>(
  name: string,
  help: string,
  labelNames: readonly L[] = [],
  collect?: (this: Gauge<L>) => void | Promise<void>,
): Gauge<L> {
  return existing<Gauge<L>>(name) ?? new Gauge<L>({ name, help, labelNames: [...labelNames], registers: [metricsRegistry()], ...(collect ? { collect } : {}) });
}

/** A histogram named `name`, in seconds unless the name says otherwise. */
export function histogram<L extends string = never>(name: string, help: string, labelNames: readonly L[] = [], buckets?: number[]): Histogram<L> {
  return (
    existing<Histogram<L>>(name) ??
    new Histogram<L>({ name, help, labelNames: [...labelNames], registers: [metricsRegistry()], ...(buckets ? { buckets } : {}) })
  );
}

/** Every metric name the registry serves (default Node metrics included). */
export function metricNames(): string[] {
  return metricsRegistry()
    .getMetricsAsArray()
    .map((metric) => metric.name);
}

/** The Prometheus text exposition of every metric, and its content type. */
export async function renderMetrics(): Promise<{ body: string; contentType: string }> {
  const registry = metricsRegistry();
  return { body: await registry.metrics(), contentType: registry.contentType };
}

// ---------------------------------------------------------------------------------------------
// What a running live stream reports at each scrape. The server registers one probe per realtime
// server (tests and benchmarks start several in one process); the gauges add them up.

export const ROOM_KINDS = ["all", "operator", "sector", "operator_sector"] as const;
export type RoomKind = (typeof ROOM_KINDS)[number];
export const SOCKET_CLIENTS = ["account", "display", "anonymous"] as const;
export type SocketClient = (typeof SOCKET_CLIENTS)[number];
export const SCREEN_STATES = ["live", "stale", "silent"] as const;
export type ScreenState = (typeof SCREEN_STATES)[number];

export interface RealtimeProbe {
  /** Open sockets by who opened them. */
  sockets(): Record<SocketClient, number>;
  /** Sockets subscribed now, by the kind of filter their room carries. */
  subscriptions(): Record<RoomKind, number>;
  /** Finished rollup rows waiting to be written. */
  rollupBacklog(): number;
  /** Wall screens by state, from the database (so the newest probe alone answers); may fail, and the gauge is then left out. */
  screens(): Promise<Record<ScreenState, number>>;
}

/** Adds a live stream's numbers to the gauges; returns the function that takes them out again. */
export function registerRealtimeProbe(probe: RealtimeProbe): () => void {
  const { probes } = state();
  probes.add(probe);
  return () => probes.delete(probe);
}

function sumProbes<K extends string>(keys: readonly K[], read: (probe: RealtimeProbe) => Record<K, number>): Record<K, number> {
  const total = Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
  for (const probe of state().probes) {
    const values = read(probe);
    for (const key of keys) total[key] += values[key];
  }
  return total;
}

// ---------------------------------------------------------------------------------------------
// The product's own metrics. Buckets are chosen for what each measures.

const FAST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export const metrics = {
  socketsConnected: gauge("pulse_sockets_connected", "Open socket.io connections, by who opened them", ["client"], function () {
    this.reset();
    for (const [client, count] of Object.entries(sumProbes(SOCKET_CLIENTS, (probe) => probe.sockets()))) this.set({ client }, count);
  }),
  streamSubscriptions: gauge("pulse_stream_subscriptions", "Sockets subscribed to the live stream, by the kind of filter of their room", ["room_kind"], function () {
    this.reset();
    for (const [roomKind, count] of Object.entries(sumProbes(ROOM_KINDS, (probe) => probe.subscriptions()))) this.set({ room_kind: roomKind }, count);
  }),
  rollupBacklog: gauge("pulse_rollup_backlog_rows", "Finished per-minute rollup rows waiting to be written to the database", [], function () {
    let rows = 0;
    for (const probe of state().probes) rows += probe.rollupBacklog();
    this.set(rows);
  }),
  wallScreens: gauge("pulse_wall_screens", "Wall screens heard from, by state: live (socket open, current build), stale (heard from lately but no socket or an old build), silent (not heard from in 90 s)", ["state"], async function () {
    this.reset();
    // Screens are rows of the database, not of a live stream: adding up probes would count them twice.
    const newest = [...state().probes].pop();
    if (!newest) return;
    try {
      const counts = await newest.screens();
      for (const key of SCREEN_STATES) this.set({ state: key }, counts[key]);
    } catch {
      // The database is away: report no screen state rather than fail the whole scrape.
    }
  }),

  ticks: counter("pulse_ticks_total", "Simulator ticks produced and broadcast to the stream's rooms"),
  tickRevisions: counter("pulse_tick_revisions_total", "Newest ticks re-sent with measured samples accepted after they went out"),
  tickLateness: histogram("pulse_tick_lateness_seconds", "How long after its due time each tick was produced", [], [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5]),
  bytesSent: counter("pulse_stream_bytes_sent_total", "Bytes of socket.io packets queued for clients (ticks, answers, alerts)", [], function () {
    const { unsent } = state();
    this.inc(unsent.bytes);
    unsent.bytes = 0;
  }),
  packetsSent: counter("pulse_stream_packets_sent_total", "socket.io packets queued for clients", [], function () {
    const { unsent } = state();
    this.inc(unsent.packets);
    unsent.packets = 0;
  }),
  clientMessagesRefused: counter("pulse_client_messages_refused_total", "Client messages answered with an error, by error code", ["reason"]),
  socketsCutOff: counter("pulse_sockets_cut_off_total", "Sockets closed by the server, by reason", ["reason"]),
  handshakesRefused: counter("pulse_socket_handshakes_refused_total", "Socket handshakes refused, by reason", ["reason"]),

  httpRequests: counter("pulse_http_requests_total", "HTTP requests answered, by method, route template and status", ["method", "route", "status"]),
  httpDuration: histogram("pulse_http_request_duration_seconds", "Time from a request's arrival to the end of its answer, by method and route template", ["method", "route"], FAST_BUCKETS),

  dbQueryDuration: histogram("pulse_db_query_duration_seconds", "Prisma operations, by model, operation and outcome", ["model", "operation", "outcome"], FAST_BUCKETS),
  rollupFlushDuration: histogram("pulse_rollup_flush_duration_seconds", "Writing a batch of per-minute rollups, by outcome", ["outcome"], FAST_BUCKETS),
  alertChanges: counter("pulse_alert_changes_total", "Alerts raised, updated (worsened) and resolved, by severity", ["change", "severity"]),
  ingestSamples: counter("pulse_ingest_samples_total", "Measured samples that came in, by way in (http, influx, mqtt) and outcome (accepted, duplicate, refused; malformed = an MQTT message that was not a sample at all)", ["source", "outcome"]),
  leaseHeld: gauge("pulse_lease_held", "1 while this node holds the singletons' lease (rollups, alerts, retention, back-fill, MQTT ingest run here), 0 otherwise"),
  notifications: counter("pulse_notifications_total", "Notification delivery attempts by contact-point kind and outcome (sent; failed = dead-lettered after the last try; retrying)", ["kind", "outcome"]),
};
