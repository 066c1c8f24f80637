import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import next from "next";
import type { AccessGate } from "./access-gate";
import { createHttpEdge } from "./http-edge";
import { startMqttIngest, type MqttIngest, type MqttIngestOptions } from "./ingest/mqtt";
import { createPageAvailability } from "./page-availability";
import { createRealtimeServer, type RealtimeDeps, type RealtimeServer } from "./realtime";
import type { ApiErrorBody } from "@/lib/contracts/api";
import { isDatabaseUnreachable } from "@/lib/db/unreachable";
import { createLogger } from "@/lib/logger";

const log = createLogger("http");

export interface ApplicationOptions {
  /** Next.js development mode (HMR) rather than the production build. */
  dev: boolean;
  /** The project directory holding app/ and .next/. */
  dir: string;
  hostname: string;
  port: number;
  gate: AccessGate;
  /** PULSE_ALLOWED_HOSTS: host names requests may address besides the defaults. */
  allowedHosts?: readonly string[];
  /** PULSE_FRAME_ANCESTORS: who may embed wall screens in a frame. */
  frameAncestors?: readonly string[];
  /** The live stream's configuration; the gate and the Host allow-list above guard its sockets too. */
  realtime: Pick<RealtimeDeps, "config" | "buildId">;
  /** MQTT_URL set: subscribe to the broker for measured samples once listening. */
  mqtt?: MqttIngestOptions;
}

export interface Application {
  httpServer: HttpServer;
  realtime: RealtimeServer;
  /** The MQTT subscriber, once listening (when configured). */
  mqtt(): MqttIngest | undefined;
  /** Starts listening; resolves with the bound port (useful with port 0). */
  listen(): Promise<number>;
  /** Stops the MQTT subscriber, stops accepting connections, closes every open socket and HTTP connection, then flushes the live stream. */
  close(): Promise<void>;
}

/**
 * One HTTP server carrying both Next.js (pages and API routes) and socket.io, so the whole
 * product runs in one process on one port.
 */
export async function createApplication(options: ApplicationOptions): Promise<Application> {
  const httpServer = createServer();
  const nextApp = next({
    dev: options.dev,
    dir: options.dir,
    hostname: options.hostname,
    port: options.port,
    httpServer,
  });
  await nextApp.prepare();
  const handleRequest = nextApp.getRequestHandler();
  const edge = createHttpEdge({
    listenHost: options.hostname,
    port: () => (httpServer.address() as AddressInfo | null)?.port ?? options.port,
    allowedHosts: options.allowedHosts,
    frameAncestors: options.frameAncestors,
    dev: options.dev,
  });

  const pages = createPageAvailability();

  httpServer.on("request", (request, response) => {
    // Host, method, path and body size are settled before anyone reads the request.
    if (edge.handle(request, response)) return;
    (async () => {
      if (await pages.refuseWhileDown((request.url ?? "/").split("?", 1)[0]!, response)) return;
      if (await options.gate.handleHttp(request, response)) return;
      await handleRequest(request, response);
    })().catch((error: unknown) => {
      // The access gate looks display tokens up in the database: unreachable, that is a 503.
      const unavailable = isDatabaseUnreachable(error);
      if (unavailable) log.warn("database unreachable", { url: request.url?.slice(0, 200) });
      else log.error("unhandled request error", { url: request.url?.slice(0, 200), error: error instanceof Error ? error.message : String(error) });
      if (!response.headersSent) {
        const body: ApiErrorBody = unavailable
          ? { error: { code: "unavailable", message: "the database cannot be reached; try again shortly" } }
          : { error: { code: "internal", message: "the server could not complete the request; the error is logged" } };
        response.writeHead(unavailable ? 503 : 500, { "content-type": "application/json", "cache-control": "no-store" }).end(JSON.stringify(body));
      }
    });
  });

  const realtime = createRealtimeServer(httpServer, { ...options.realtime, gate: options.gate, isAllowedHost: edge.isAllowedHost });
  let mqttIngest: MqttIngest | undefined;

  return {
    httpServer,
    realtime,
    mqtt: () => mqttIngest,
    listen: () =>
      new Promise((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(options.port, options.hostname, () => {
          httpServer.off("error", reject);
          // Samples from the broker go to the live stream, so it starts once the stream runs.
          if (options.mqtt) mqttIngest = startMqttIngest(options.mqtt);
          resolve((httpServer.address() as AddressInfo).port);
        });
      }),
    close: async () => {
      // First, while the database and the stream still take samples: a message being stored
      // finishes (and is acknowledged); later ones stay with the broker for the next start.
      await mqttIngest?.close();
      await realtime.close();
      await nextApp.close();
    },
  };
}
