import { liveQuerySchema } from "@/lib/contracts/realtime";
import { handle, parseQuery, respond } from "@/lib/http/respond";
import { requireRealtime } from "@/server/realtime/registry";

export const dynamic = "force-dynamic";

/** The recent live window for a filter: what a socket subscription would answer with. */
export const GET = handle(async (request) => {
  const query = parseQuery(request, liveQuerySchema);
  const realtime = requireRealtime();
  return respond(realtime.snapshot({ operators: query.operator, sectors: query.sector }, query.ticks));
});
