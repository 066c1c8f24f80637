/**
 * One node of a test cluster, run as its own process (`node --import tsx`, TSX_TSCONFIG_PATH set):
 * the product's realtime server (createRealtimeServer) with the product's cluster transport
 * (connectClusterTransport: REDIS_URL, PULSE_CLUSTER), and the product's own route handlers for the
 * requests the cluster tests make, served on a bare HTTP server (no Next.js build needed). Prints
 * `listening <port>` once it serves. The database must already be migrated and seeded.
 *
 * The singletons run on the holder of the product's PostgreSQL lease, as on a real cluster node.
 * One request is the test's own: POST /test/alert publishes an alert change on the bus exactly as
 * the lease holder's alert service does after storing one, so a test can follow one alert to every
 * node's clients without waiting for the simulator to raise one.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { alertSchema } from "@/lib/contracts/alerts";
import { closeDatabase, createDatabase, installDatabase } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { configureLogger } from "@/lib/logger";
import { DELETE as revokeDisplayToken } from "@/app/api/display-tokens/[id]/route";
import { POST as reloadDisplay } from "@/app/api/displays/[id]/reload/route";
import { GET as health } from "@/app/api/health/route";
import { POST as ingest } from "@/app/api/ingest/route";
import { POST as triggerIncident } from "@/app/api/simulator/incidents/route";
import { createAccessGate } from "@/server/access-gate";
import { postgresLease } from "@/server/cluster/lease";
import { nodeName } from "@/server/cluster/mode";
import { connectClusterTransport } from "@/server/cluster/transport";
import { createHttpEdge } from "@/server/http-edge";
import { createRealtimeServer } from "@/server/realtime";

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
const ROUTES: [method: string, pattern: RegExp, handler: Handler][] = [
  ["POST", /^\/api\/simulator\/incidents$/, triggerIncident as Handler],
  ["DELETE", /^\/api\/display-tokens\/(?<id>[^/]+)$/, revokeDisplayToken as Handler],
  ["POST", /^\/api\/displays\/(?<id>[^/]+)\/reload$/, reloadDisplay as Handler],
  ["POST", /^\/api\/ingest$/, ingest as Handler],
  ["GET", /^\/api\/health$/, health as Handler],
];

async function bodyOf(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function main(): Promise<void> {
  const env = getEnv();
  configureLogger({ level: env.LOG_LEVEL, format: "json", development: false });
  const database = createDatabase(env.DATABASE_URL!, "external");
  installDatabase(database);

  const httpServer = createServer();
  const gate = createAccessGate({ authRequired: env.PULSE_AUTH === "on" });
  const edge = createHttpEdge({ listenHost: "127.0.0.1", port: () => (httpServer.address() as AddressInfo | null)?.port ?? 0, dev: false });
  const transport = await connectClusterTransport({ redisUrl: env.REDIS_URL, clusterName: env.PULSE_CLUSTER });
  const lease = postgresLease({ databaseUrl: env.DATABASE_URL!, lease: "singletons", nodeName: nodeName() });
  const realtime = createRealtimeServer(httpServer, {
    config: env,
    buildId: "cluster-test",
    gate,
    isAllowedHost: edge.isAllowedHost,
    transport,
    lease,
    limits: { connectionsPerAddress: 1000, connectsPerAddressPerMinute: 10_000, subscriptionsPerAddressPerMinute: 10_000 },
  });

  httpServer.on("request", (incoming, response) => {
    void (async () => {
      const url = new URL(incoming.url ?? "/", "http://127.0.0.1");
      const body = incoming.method === "GET" || incoming.method === "HEAD" ? undefined : await bodyOf(incoming);
      if (incoming.method === "POST" && url.pathname === "/test/alert") {
        const { change, alert } = JSON.parse(body!.toString()) as { change: "raised"; alert: unknown };
        const reached = await realtime.bus.publish("alert:changed", { change, alert: alertSchema.parse(alert) });
        response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ reached }));
        return;
      }
      for (const [method, pattern, handler] of ROUTES) {
        const match = incoming.method === method ? pattern.exec(url.pathname) : null;
        if (!match) continue;
        const headers = new Headers();
        for (const [name, value] of Object.entries(incoming.headers)) if (typeof value === "string") headers.set(name, value);
        const answer = await handler(new Request(url, { method, headers, body: body && new Uint8Array(body) }), { params: Promise.resolve({ ...match.groups }) });
        response.writeHead(answer.status, Object.fromEntries(answer.headers)).end(Buffer.from(await answer.arrayBuffer()));
        return;
      }
      response.writeHead(404).end();
    })().catch((error: unknown) => response.writeHead(500).end(String(error)));
  });

  await new Promise<void>((resolve) => httpServer.listen(env.PORT, "127.0.0.1", resolve));
  await realtime.source.ready;
  lease.start();
  process.stdout.write(`listening ${(httpServer.address() as AddressInfo).port}\n`);

  process.once("SIGTERM", () => {
    void realtime
      .close()
      .then(() => lease.stop())
      .then(() => closeDatabase(database))
      .finally(() => process.exit(0));
  });
}

void main().catch((error: unknown) => {
  process.stderr.write(`cluster node failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
