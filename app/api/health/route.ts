import { z } from "zod";
import type { HealthResponse } from "@/lib/contracts/health";
import { pingDatabase } from "@/lib/db/health";
import { handle, parseQuery, respond } from "@/lib/http/respond";
import { APP_VERSION } from "@/lib/version";
import { getRealtime } from "@/server/realtime/registry";

export const dynamic = "force-dynamic";

export const GET = handle(async (request) => {
  parseQuery(request, z.object({}));
  const realtime = getRealtime();
  const [database, leaseHolder] = await Promise.all([pingDatabase(), realtime?.leaseHolder().catch(() => null)]);
  const health: HealthResponse = {
    status: database.status === "up" ? "ok" : "degraded",
    version: APP_VERSION,
    uptimeSeconds: Math.round(process.uptime()),
    database,
    ...(realtime ? { cluster: { leaseHolder: leaseHolder ?? null } } : {}),
  };
  // 503 tells a load balancer or monitor to look; the process itself stays up.
  return respond(health, { status: database.status === "up" ? 200 : 503 });
});
