import { z } from "zod";
import { listDisplays } from "@/lib/db/displays";
import { handle, parseQuery, respond } from "@/lib/http/respond";
import { getRealtime } from "@/server/realtime/registry";

export const dynamic = "force-dynamic";

/** The fleet of wall screens with their health. */
export const GET = handle(async (request) => {
  parseQuery(request, z.object({}));
  const realtime = getRealtime();
  const buildId = realtime?.info.buildId ?? "unknown";
  const displays = await listDisplays({ nowMs: Date.now(), buildId, connected: realtime?.connectedDisplays() ?? new Set() });
  return respond({ displays, buildId });
});
