import { z } from "zod";
import type { HealthResponse } from "@/lib/contracts/health";
import { pingDatabase } from "@/lib/db/health";
import { handle, parseQuery, respond } from "@/lib/http/respond";
import { APP_VERSION } from "@/lib/version";
import { standaloneClusterHealth } from "@/server/cluster/bus";
import { getRealtime } from "@/server/realtime/registry";

export const dynamic = "force-dynamic";

export const GET = handle(async (request) => {
  parseQuery(request, z.object({}));
  const realtime = getRealtime();
  const [database, leaseHolder] = await Promise.all([pingDatabase(), realtime?.leaseHolder().catch(() => null)]);
  const cluster = realtime ? { ...realtime.cluster(), leaseHolder: leaseHolder ?? null } : standaloneClusterHealth();
  const health: HealthResponse = {
    status: database.status === "up" && cluster.redis?.status !== "down" ? "ok" : "degraded",
    version: APP_VERSION,
    uptimeSeconds: Math.round(process.uptime()),
    database,
    cluster,
  };
  // 503 tells a load balancer or monitor to look; the process itself stays up. A lost Redis is
  // degraded but still 200: the node serves its pages and screens, and with Redis gone every node
  // would answer 503 at once, leaving the load balancer nowhere to send anyone.
  return respond(health, { status: database.status === "up" ? 200 : 503 });
});
