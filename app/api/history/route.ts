import { historyQuerySchema, resolveHistoryRange, type HistoryResponse } from "@/lib/contracts/history";
import { fetchHistoryBuckets } from "@/lib/db/rollups";
import { bucketStarts, toHistorySeries } from "@/lib/domain/history";
import { chooseResolutionSeconds } from "@/lib/domain/rollups";
import { HttpError, handle, parseQuery, respond } from "@/lib/http/respond";
import { getRealtime } from "@/server/realtime/registry";

export const dynamic = "force-dynamic";

export const GET = handle(async (request) => {
  const query = parseQuery(request, historyQuerySchema);
  // "Now" is the stream's clock, which runs ahead of the wall clock when the simulator is sped up.
  const range = resolveHistoryRange(query, getRealtime()?.currentInstant() ?? Date.now());
  if ("error" in range) throw new HttpError("bad_request", range.error);

  const filter = { operators: query.operator, sectors: query.sector };
  const stepSeconds = chooseResolutionSeconds(range.toMs - range.fromMs);
  const buckets = bucketStarts(range.fromMs, range.toMs, stepSeconds);
  // Read from the start of the first bucket, so that it is as complete as the others.
  const rows = await fetchHistoryBuckets({ fromMs: buckets[0] ?? range.fromMs, toMs: range.toMs, stepSeconds, filter });
  return respond<HistoryResponse>({
    from: new Date(range.fromMs).toISOString(),
    to: new Date(range.toMs).toISOString(),
    resolutionSeconds: stepSeconds,
    provenance: "simulated",
    buckets,
    series: toHistorySeries(rows, buckets, filter),
  });
});
