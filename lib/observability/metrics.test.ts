import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { counter, metricNames, metrics, registerRealtimeProbe, renderMetrics } from "./metrics";

interface DashboardPanel {
  title: string;
  type: string;
  targets?: { expr: string }[];
}

/** Series names a PromQL expression reads (label names, functions and keywords are not followed by `{` or `[`). */
function seriesIn(expr: string): string[] {
  return [...expr.matchAll(/\b([a-z_:][a-z0-9_:]*)\s*(?=\{|\[)/g)].map((match) => match[1]!).filter((name) => !["by", "rate", "increase", "sum", "max"].includes(name));
}

describe("the metrics registry", () => {
  it("hands out one metric per name, however often it is asked for", () => {
    expect(counter("pulse_ticks_total", "again")).toBe(metrics.ticks);
  });

  it("serves the product's metrics and Node's in the Prometheus text format", async () => {
    const { body, contentType } = await renderMetrics();
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const name of ["pulse_ticks_total", "pulse_http_request_duration_seconds", "nodejs_eventloop_lag_p99_seconds", "process_resident_memory_bytes"]) {
      expect(body).toContain(`# TYPE ${name} `);
    }
  });
});

describe("a live stream's probe", () => {
  const probe = (screens: () => Promise<{ live: number; stale: number; silent: number }>) =>
    registerRealtimeProbe({
      sockets: () => ({ account: 1, display: 2, anonymous: 3 }),
      subscriptions: () => ({ all: 4, operator: 0, sector: 1, operator_sector: 0 }),
      rollupBacklog: () => 42,
      screens,
    });

  it("is read at each scrape, and gone once unregistered", async () => {
    const unregister = probe(async () => ({ live: 5, stale: 1, silent: 2 }));
    const { body } = await renderMetrics();
    unregister();
    expect(body).toContain('pulse_sockets_connected{client="display"} 2');
    expect(body).toContain('pulse_stream_subscriptions{room_kind="all"} 4');
    expect(body).toContain("pulse_rollup_backlog_rows 42");
    expect(body).toContain('pulse_wall_screens{state="live"} 5');
    expect((await renderMetrics()).body).toContain('pulse_sockets_connected{client="display"} 0');
  });

  it("still serves every other metric while the database (and so the screens' state) is away", async () => {
    const unregister = probe(() => Promise.reject(new Error("connection refused")));
    const { body } = await renderMetrics();
    unregister();
    expect(body).toContain("pulse_rollup_backlog_rows 42");
    expect(body).not.toMatch(/^pulse_wall_screens\{/m);
  });
});

describe("docs/grafana-dashboard.json", () => {
  const dashboard = JSON.parse(readFileSync("docs/grafana-dashboard.json", "utf8")) as { panels: DashboardPanel[]; uid: string };

  it("queries only metrics the registry serves", () => {
    const served = new Set(metricNames());
    const queried = dashboard.panels.flatMap((panel) => (panel.targets ?? []).flatMap((target) => seriesIn(target.expr)));
    expect(queried.length).toBeGreaterThan(20);
    // A histogram is served under its name and read through _bucket, _count and _sum.
    const unknown = queried.filter((name) => !served.has(name) && !served.has(name.replace(/_(bucket|count|sum)$/, "")));
    expect(unknown).toEqual([]);
  });

  it("has a panel for every product metric", () => {
    const text = JSON.stringify(dashboard.panels);
    const product = metricNames().filter((name) => name.startsWith("pulse_"));
    expect(product.filter((name) => !text.includes(name))).toEqual([]);
  });
});
