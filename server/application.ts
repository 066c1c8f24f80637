import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import next from "next";
import type { AccessGate } from "./access-gate";
import type { Lease } from "./cluster/lease";
import { acceptConnectionsFromPrimary } from "./cluster/worker";
import { createHttpEdge } from "./http-edge";
import { createDispatcher, type Dispatcher, type DispatcherOptions } from "./notifications/dispatcher";
import { startMqttIngest, type MqttIngest, type MqttIngestOptions } from "./ingest/mqtt";
import { upgradesForNext } from "./next-upgrades";
import { createPageAvailability } from "./page-availability";
import { connectClusterTransport, type ClusterTransportOptions } from "./cluster/transport";
import { createRealtimeServer, type RealtimeDeps, type RealtimeServer } from "./realtime";
import { createRequestListener } from "./request-pipeline";

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
  /** The notification dispatcher's settings (NOTIFY_*); false: this process sends no notifications. */
  notifications: DispatcherOptions | false;
  /** MQTT_URL set: subscribe to the broker for measured samples once listening (on the lease holder only). */
  mqtt?: MqttIngestOptions;
  /**
   * Who runs the singletons; in a cluster the lease holder, and MQTT ingest with them: one subscriber
   * per cluster, so that its persistent session is never fought over. Default: a standalone server's.
   */
  lease?: Lease;
  /** REDIS_URL and PULSE_CLUSTER: how this node reaches the others (none: one process on its own). */
  cluster?: ClusterTransportOptions;
}

export interface Application {
  httpServer: HttpServer;
  realtime: RealtimeServer;
  /** Sends the notification outbox in the background; undefined when turned off. */
  notifications: Dispatcher | undefined;
  /** The MQTT subscriber, once listening (when configured). */
  mqtt(): MqttIngest | undefined;
  /** Starts listening; resolves with the bound port (useful with port 0). */
  listen(): Promise<number>;
  /**
   * As a worker of PULSE_WORKERS: takes the connections the primary hands over (the primary
   * listens on the port) instead of listening itself.
   */
  listenThroughPrimary(): void;
  /**
   * Stops the MQTT subscriber, stops accepting connections, closes every open socket and HTTP
   * connection, flushes the live stream (its last alerts queue their notifications), then lets the
   * requests of the notification dispatcher in flight finish; what is still queued stays in the
   * outbox for the next start.
   */
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
    httpServer: upgradesForNext(httpServer),
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

  httpServer.on("request", createRequestListener({ edge, gate: options.gate, pages, handle: handleRequest }));

  // Before the stream starts: its first ticks and any incident it loads are the cluster's.
  const transport = await connectClusterTransport(options.cluster ?? { clusterName: "m2m-pulse" });
  const realtime = createRealtimeServer(httpServer, { ...options.realtime, gate: options.gate, isAllowedHost: edge.isAllowedHost, lease: options.lease, transport });
  const notifications = options.notifications === false ? undefined : createDispatcher(options.notifications);
  notifications?.start();
  let mqttIngest: MqttIngest | undefined;
  let listening = false;
  let mqttClosed: Promise<void> = Promise.resolve();
  // Samples from the broker go to the live stream, so ingest starts once the stream runs (listening),
  // and only while this node holds the lease.
  const startMqtt = (mqtt: MqttIngestOptions) => {
    if (listening && !mqttIngest) mqttIngest = startMqttIngest(mqtt);
  };
  const stopMqtt = () => {
    const ingest = mqttIngest;
    mqttIngest = undefined;
    if (ingest) mqttClosed = Promise.all([mqttClosed, ingest.close()]).then(() => {});
  };
  const stopFollowingLease = options.mqtt && options.lease ? options.lease.onChange({ acquired: () => startMqtt(options.mqtt!), lost: stopMqtt }) : () => {};

  return {
    httpServer,
    realtime,
    notifications,
    mqtt: () => mqttIngest,
    listen: () =>
      new Promise((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(options.port, options.hostname, () => {
          httpServer.off("error", reject);
          listening = true;
          if (options.mqtt && (options.lease?.isHeld ?? true)) startMqtt(options.mqtt);
          resolve((httpServer.address() as AddressInfo).port);
        });
      }),
    listenThroughPrimary: () => {
      acceptConnectionsFromPrimary(realtime.io);
      listening = true;
      if (options.mqtt && (options.lease?.isHeld ?? true)) startMqtt(options.mqtt);
    },
    close: async () => {
      // First, while the database and the stream still take samples: a message being stored
      // finishes (and is acknowledged); later ones stay with the broker for the next start.
      stopFollowingLease();
      stopMqtt();
      await mqttClosed;
      await realtime.close();
      await notifications?.stop();
      await nextApp.close();
    },
  };
}
