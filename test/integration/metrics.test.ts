import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { networkInterfaces } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Acknowledgement, StreamSubscribed, SubscribeRequest } from "@/lib/contracts/realtime";
import { createAccessGate } from "@/server/access-gate";
import { createHttpEdge } from "@/server/http-edge";
import { createPageAvailability } from "@/server/page-availability";
import { createRealtimeServer, type RealtimeServer } from "@/server/realtime";
import { createRequestListener } from "@/server/request-pipeline";
import { signedInAccount } from "../support/accounts";
import { openSeededDatabase } from "../support/database";
import { FAST, connectSocket, eventually, type TestSocket } from "../support/stream-server";

const METRICS_TOKEN = "metrics-test-token-0123456789";

/** One sample of the Prometheus text: `name{a="x",b="y"} value`, the labels given matching exactly those of the line. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels)
    .map(([key, value]) => `${key}="${value}"`)
    .sort()
    .join(",");
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? "").split(/,(?=[a-zA-Z_]\w*=")/).filter(Boolean).sort().join(",");
    if (have === wanted) return Number(match[3]);
  }
  return undefined;
}

/** This machine's first address that is not loopback, to scrape from a non-loopback peer for real. */
function outsideAddress(): string | undefined {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const entry of addresses ?? []) if (entry.family === "IPv4" && !entry.internal) return entry.address;
  }
  return undefined;
}

function subscribe(socket: TestSocket, request: unknown): Promise<Acknowledgement<StreamSubscribed>> {
  return new Promise((resolve) => socket.emit("stream:subscribe", request as SubscribeRequest, resolve));
}

/**
 * GET /metrics on the product's own request pipeline (edge, metrics access, gate) and realtime
 * factory, listening on every interface; only Next.js is absent (its place answers "passed").
 * PULSE_TRUST_PROXY=1, so a request can also claim, through the proxy header, to come from afar.
 */
describe("GET /metrics", () => {
  let closeDatabase: () => Promise<void>;
  let httpServer: HttpServer;
  let realtime: RealtimeServer;
  let port: number;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    ({ close: closeDatabase } = await openSeededDatabase());
    httpServer = createServer();
    const gate = createAccessGate({ authRequired: false, trustProxy: true, metricsToken: METRICS_TOKEN });
    const edge = createHttpEdge({ listenHost: "0.0.0.0", port: () => (httpServer.address() as AddressInfo | null)?.port ?? 0, dev: false });
    const handle = async (_request: unknown, response: import("node:http").ServerResponse) => {
      response.writeHead(200, { "content-type": "text/plain" }).end("passed");
    };
    httpServer.on("request", createRequestListener({ edge, gate, pages: createPageAvailability(), handle }));
    // Fast ticks at 60× speed: a simulated minute, and so a rollup flush, every second.
    realtime = createRealtimeServer(httpServer, { config: { ...FAST, SIM_SPEED: 60 }, buildId: "test-build", gate, isAllowedHost: edge.isAllowedHost });
    await new Promise<void>((resolve) => httpServer.listen(0, "0.0.0.0", resolve));
    port = (httpServer.address() as AddressInfo).port;
  });
  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    await realtime.close();
    await closeDatabase();
  });

  const scrape = async (host = "127.0.0.1", headers: Record<string, string> = {}) => {
    const response = await fetch(`http://${host}:${port}/metrics`, { headers });
    return { status: response.status, text: await response.text(), type: response.headers.get("content-type") };
  };
  const open = async (options: Parameters<typeof connectSocket>[1] = {}) => {
    const socket = await connectSocket(`http://127.0.0.1:${port}`, options);
    sockets.push(socket);
    return socket;
  };

  it("counts a running stream: sockets, subscriptions, ticks, bytes, refusals, HTTP, database, rollups, screens", async () => {
    const before = await scrape();
    expect(before.status).toBe(200);
    expect(before.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const counter = (text: string, name: string, labels?: Record<string, string>) => sample(text, name, labels) ?? 0;

    const operator = await signedInAccount("operator");
    const screen = await open({ extraHeaders: { cookie: operator.cookie } });
    const watcher = await open();
    const ticks = { screen: 0, watcher: 0 };
    screen.on("stream:tick", () => ticks.screen++);
    watcher.on("stream:tick", () => ticks.watcher++);
    expect(await subscribe(screen, { filter: { operators: [], sectors: [] } })).toMatchObject({ ok: true });
    expect(await subscribe(watcher, { filter: { operators: ["china-mobile"], sectors: [] } })).toMatchObject({ ok: true });
    expect(await subscribe(watcher, { filter: "not a filter" })).toMatchObject({ ok: false, error: { code: "bad_request" } });
    const heartbeat = { displayId: "metrics-screen-01", playlist: null, viewIndex: null, viewTitle: null, buildId: "test-build", jsHeapBytes: null, fps: null };
    expect(await new Promise((resolve) => screen.emit("display:heartbeat", heartbeat, resolve))).toMatchObject({ ok: true });
    await eventually("ticks on both sockets", () => ticks.screen >= 5 && ticks.watcher >= 5);
    expect((await fetch(`http://127.0.0.1:${port}/api/live?operator=china-mobile`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/wall/lobby`)).status).toBe(200);

    // Counters that only move with the stream: waited for, not slept for.
    const after = await eventually("a rollup flush to be counted", async () => {
      const scraped = await scrape();
      return counter(scraped.text, "pulse_rollup_flush_duration_seconds_count", { outcome: "ok" }) > counter(before.text, "pulse_rollup_flush_duration_seconds_count", { outcome: "ok" }) && scraped.text;
    });
    expect(counter(after, "pulse_ticks_total")).toBeGreaterThanOrEqual(counter(before.text, "pulse_ticks_total") + 5);
    expect(counter(after, "pulse_tick_lateness_seconds_count")).toBeGreaterThanOrEqual(counter(before.text, "pulse_tick_lateness_seconds_count") + 5);
    expect(counter(after, "pulse_stream_bytes_sent_total")).toBeGreaterThan(counter(before.text, "pulse_stream_bytes_sent_total") + 1000);
    expect(counter(after, "pulse_stream_packets_sent_total")).toBeGreaterThanOrEqual(counter(before.text, "pulse_stream_packets_sent_total") + 10);
    expect(sample(after, "pulse_sockets_connected", { client: "account" })).toBe(1);
    expect(sample(after, "pulse_sockets_connected", { client: "anonymous" })).toBe(1);
    expect(sample(after, "pulse_stream_subscriptions", { room_kind: "all" })).toBe(1);
    expect(sample(after, "pulse_stream_subscriptions", { room_kind: "operator" })).toBe(1);
    expect(sample(after, "pulse_stream_subscriptions", { room_kind: "sector" })).toBe(0);
    expect(counter(after, "pulse_client_messages_refused_total", { reason: "bad_request" })).toBe(counter(before.text, "pulse_client_messages_refused_total", { reason: "bad_request" }) + 1);
    const http = (text: string, name: string, labels: Record<string, string>) => counter(after, name, labels) - counter(text, name, labels);
    expect(http(before.text, "pulse_http_requests_total", { method: "GET", route: "/api/live", status: "200" })).toBe(1);
    expect(http(before.text, "pulse_http_requests_total", { method: "GET", route: "/wall/[slug]", status: "200" })).toBe(1);
    expect(http(before.text, "pulse_http_request_duration_seconds_count", { method: "GET", route: "/api/live" })).toBe(1);
    expect(counter(after, "pulse_db_query_duration_seconds_count", { model: "raw", operation: "$executeRaw", outcome: "ok" })).toBeGreaterThan(0);
    expect(counter(after, "pulse_db_query_duration_seconds_count", { model: "Display", operation: "upsert", outcome: "ok" })).toBeGreaterThanOrEqual(1);
    expect(sample(after, "pulse_rollup_backlog_rows")).toBeGreaterThanOrEqual(0);
    expect(sample(after, "pulse_wall_screens", { state: "live" })).toBe(1);
    expect(sample(after, "pulse_wall_screens", { state: "silent" })).toBe(0);
    // Node's own: event-loop delay from monitorEventLoopDelay, memory.
    expect(sample(after, "nodejs_eventloop_lag_p99_seconds")).toBeGreaterThan(0);
    expect(sample(after, "process_resident_memory_bytes")).toBeGreaterThan(0);
    // No raw path in any label: the query string and the slug are not there.
    expect(after).not.toContain("china-mobile");
    expect(after).not.toContain("lobby");

    // A socket that goes away leaves the gauges.
    watcher.close();
    await eventually("the closed socket to leave the gauge", async () => sample((await scrape()).text, "pulse_sockets_connected", { client: "anonymous" }) === 0);
  });

  it("echoes a plain X-Request-Id and replaces one that is not", async () => {
    const plain = await fetch(`http://127.0.0.1:${port}/api/live`, { headers: { "x-request-id": "scrape-42.a" } });
    expect(plain.headers.get("x-request-id")).toBe("scrape-42.a");
    const hostile = await fetch(`http://127.0.0.1:${port}/api/live`, { headers: { "x-request-id": "a\"b<script>" + "x".repeat(80) } });
    expect(hostile.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("refuses an anonymous scrape from beyond loopback (the proxy's X-Forwarded-For) unless it holds METRICS_TOKEN", async () => {
    const forwarded = { "x-forwarded-for": "203.0.113.7" };
    const refused = await scrape("127.0.0.1", forwarded);
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.text)).toMatchObject({ error: { code: "unauthorized", message: expect.stringContaining("METRICS_TOKEN") } });
    expect(refused.text).not.toContain("pulse_");
    expect((await scrape("127.0.0.1", { ...forwarded, authorization: "Bearer wrong-token-wrong-token" })).status).toBe(401);
    expect((await scrape("127.0.0.1", { ...forwarded, authorization: `Bearer ${METRICS_TOKEN}x` })).status).toBe(401);
    const withToken = await scrape("127.0.0.1", { ...forwarded, authorization: `Bearer ${METRICS_TOKEN}` });
    expect(withToken.status).toBe(200);
    expect(withToken.text).toContain("pulse_ticks_total");
    const viewer = await signedInAccount("viewer");
    expect((await scrape("127.0.0.1", { ...forwarded, cookie: viewer.cookie })).status).toBe(200);
    expect((await scrape("127.0.0.1", { ...forwarded, cookie: "pulse_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" })).status).toBe(401);
  });

  const outside = outsideAddress();
  // Bound to every interface, the server is reached here at this machine's own non-loopback
  // address: the peer address is then that address, not 127.0.0.1, with no header involved.
  it.runIf(outside !== undefined)(`refuses an anonymous scrape from this machine's non-loopback address (${outside ?? "none"})`, async () => {
    const refused = await scrape(outside);
    expect(refused.status).toBe(401);
    expect((await scrape(outside, { authorization: `Bearer ${METRICS_TOKEN}` })).status).toBe(200);
    // The same address may still read the dashboard's API: only /metrics is guarded so.
    expect((await fetch(`http://${outside}:${port}/api/live`)).status).toBe(200);
  });
});
