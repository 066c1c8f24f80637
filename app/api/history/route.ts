import { historyQuerySchema, resolveHistoryRange } from "@/lib/contracts/history";
import { fetchHistory } from "@/lib/db/rollups";
import { HttpError, handle, parseQuery, respond } from "@/lib/http/respond";
import { getRealtime } from "@/server/realtime/registry";

export const dynamic = "force-dynamic";

export const GET = handle(async (request) => {
  const query = parseQuery(request, historyQuerySchema);
  // "Now" is the stream's clock, which runs ahead of the wall clock when the simulator is sped up.
  const range = resolveHistoryRange(query, getRealtime()?.currentInstant() ?? Date.now());
  if ("error" in range) throw new HttpError("bad_request", range.error);
  const history = await fetchHistory({ ...range, filter: { operators: query.operator, sectors: query.sector }, maxPoints: query.points });
  return respond(history);
});
