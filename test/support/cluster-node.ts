/**
 * One cluster node as its own process, for integration tests that kill it: server/main.ts's start
 * sequence (the database claim in the node's mode, migrations, seed, the singletons' lease, the
 * realtime factory, the shutdown order) on a bare HTTP server instead of Next.js, so that tests
 * need no `next build`. It answers GET /api/health with the product's own route handler, and
 * POST /test/incident (a JSON Incident) by triggering it here — tests give every node the same
 * one, as the cluster bus does in the product.
 *
 * Run with tsx (TSX_TSCONFIG_PATH=tsconfig.node.json); configured by the product's environment.
 * Prints "cluster node listening on <port>" once ready.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { GET as getHealth } from "@/app/api/health/route";
import { closeDatabase, createDatabase, installDatabase } from "@/lib/db/client";
import { migrateDatabase } from "@/lib/db/migrate";
import { seedReferenceData } from "@/lib/db/seed";
import { claimDatabase } from "@/lib/db/server-claim";
import type { Incident } from "@/lib/domain/simulator/incidents";
import { getEnv } from "@/lib/env";
import { configureLogger, createLogger } from "@/lib/logger";
import { createAccessGate } from "@/server/access-gate";
import { postgresLease, standaloneLease } from "@/server/cluster/lease";
import { nodeName, serverMode } from "@/server/cluster/mode";
import { provideDatabase } from "@/server/database";
import { createHttpEdge } from "@/server/http-edge";
import { Lifecycle } from "@/server/lifecycle";
import { createRealtimeServer } from "@/server/realtime";

const env = getEnv();
configureLogger({ level: env.LOG_LEVEL, format: env.LOG_FORMAT ?? "json", development: false });
const log = createLogger("cluster-node");
const lifecycle = new Lifecycle();

async function start(): Promise<void> {
  const { url, kind } = await provideDatabase(env, lifecycle);
  const mode = serverMode(env);
  const claim = await claimDatabase(url, (error) => log.error("lost the claim on the database", { error: error.message }), mode);
  lifecycle.onShutdown("claim on the database", () => claim.release());
  await migrateDatabase(url);
  const database = createDatabase(url, kind);
  installDatabase(database);
  lifecycle.onShutdown("database", () => closeDatabase(database));
  await seedReferenceData(database.prisma);

  const lease = mode === "cluster" ? postgresLease({ databaseUrl: url, lease: "singletons", nodeName: nodeName() }) : standaloneLease(nodeName());
  lifecycle.onShutdown("singletons' lease", () => lease.stop());

  const httpServer = createServer();
  const gate = createAccessGate({ authRequired: false });
  const edge = createHttpEdge({ listenHost: env.HOST, port: () => (httpServer.address() as AddressInfo | null)?.port ?? env.PORT, dev: false });
  const realtime = createRealtimeServer(httpServer, { config: env, buildId: "cluster-node", gate, isAllowedHost: edge.isAllowedHost, lease, limits: { connectionsPerAddress: 10_000, connectsPerAddressPerMinute: 100_000 } });
  lifecycle.onShutdown("sockets and live stream", () => realtime.close());
  httpServer.on("request", (request, response) => {
    void (async () => {
      if (request.method === "GET" && request.url === "/api/health") {
        const answer = await getHealth(new Request(`http://127.0.0.1${request.url}`), undefined);
        response.writeHead(answer.status, { "content-type": "application/json" }).end(await answer.text());
      } else if (request.method === "POST" && request.url === "/test/incident") {
        let body = "";
        for await (const chunk of request) body += String(chunk);
        realtime.trigger(JSON.parse(body) as Incident);
        response.writeHead(204).end();
      } else response.writeHead(404).end();
    })().catch((error: unknown) => response.writeHead(500).end(String(error)));
  });
  await new Promise<void>((resolve) => httpServer.listen(env.PORT, env.HOST, resolve));
  lease.start();
  process.stdout.write(`cluster node listening on ${(httpServer.address() as AddressInfo).port}\n`);
}

const stop = (reason: string, code: number) => void lifecycle.shutdown(reason).then(() => process.exit(code));
process.on("SIGTERM", () => stop("SIGTERM", 0));
process.on("SIGINT", () => stop("SIGINT", 0));
start().catch((error: unknown) => {
  log.error("start failed", { error: error instanceof Error ? error.message : String(error) });
  stop("start failed", 1);
});
