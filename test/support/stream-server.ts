import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { io as connect, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "@/lib/contracts/realtime";
import { createAccessGate } from "@/server/access-gate";
import { createHttpEdge } from "@/server/http-edge";
import { createRealtimeServer, type Realtime, type RealtimeConfig } from "@/server/realtime";
import type { SocketLimits, StreamIo } from "@/server/realtime/stream-server";

export const FAST: RealtimeConfig = {
  SIM_SEED: "integration",
  SIM_TICK_MS: 50,
  SIM_SPEED: 1,
  HISTORY_BACKFILL_HOURS: 0,
  HISTORY_RETENTION_DAYS: 30,
  ROLLUP_FLUSH_MS: 200,
  PULSE_AUTH: "off",
  SIMULATOR: "on",
  MEASURED_STALE_SECONDS: 180,
  MEASURED_EXPIRE_SECONDS: 3600,
  INGEST_MAX_SKEW_SECONDS: 30,
};

export interface TestStreamServer {
  url: string;
  port: number;
  io: StreamIo;
  realtime: Realtime;
  /** Stops like the real server does: sockets closed, then rollups and alerts flushed. */
  stop(): Promise<void>;
}

/**
 * The live stream on a bare HTTP server (no Next.js) on `port` (0 picks one), with the database
 * already installed by the test. Built by the product's factory (createRealtimeServer) with the
 * same access gate and Host allow-list; requests the gate lets through are answered "passed".
 * `limits` override the per-socket and per-address limits (the defaults are the environment's,
 * as in the product).
 */
export async function startStreamServer(config: Partial<RealtimeConfig> = {}, port = 0, limits: Partial<SocketLimits> = {}): Promise<TestStreamServer> {
  const httpServer: HttpServer = createServer();
  const merged = { ...FAST, ...config };
  const gate = createAccessGate({ authRequired: merged.PULSE_AUTH === "on" });
  const edge = createHttpEdge({ listenHost: "127.0.0.1", port: () => (httpServer.address() as AddressInfo | null)?.port ?? port, dev: false });
  httpServer.on("request", (request, response) => {
    void gate.handleHttp(request, response).then((handled) => {
      // Behind the gate there is no Next.js here: "passed" stands for the page or API it would serve.
      if (!handled) response.writeHead(200, { "content-type": "text/plain" }).end("passed");
    });
  });
  const realtime = createRealtimeServer(httpServer, { config: merged, buildId: "test-build", gate, isAllowedHost: edge.isAllowedHost, limits });
  await new Promise<void>((resolve) => httpServer.listen(port, "127.0.0.1", resolve));
  const bound = (httpServer.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    io: realtime.io,
    realtime,
    stop: () => realtime.close(),
  };
}

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export async function connectSocket(url: string, options: Parameters<typeof connect>[1] = {}): Promise<TestSocket> {
  const socket: TestSocket = connect(url, { transports: ["websocket"], reconnection: false, forceNew: true, ...options });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  return socket;
}

/** Resolves with the probe's value once it is truthy, polling every 20 ms; fails with `what` after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
