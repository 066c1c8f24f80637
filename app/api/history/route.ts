import { historyQuerySchema, resolveHistoryRange } from "@/lib/contracts/history";
import { fetchHistory } from "@/lib/db/rollups";
import { HttpError, handle, parseQuery, respond, respondText } from "@/lib/http/respond";
import { chinaIsoTime, historyCsv } from "@/lib/domain/history-csv";
import { MESSAGES } from "@/lib/i18n/messages";
import { getRealtime } from "@/server/realtime/registry";

export const dynamic = "force-dynamic";

export const GET = handle(async (request) => {
  const query = parseQuery(request, historyQuerySchema);
  // "Now" is the stream's clock, which runs ahead of the wall clock when the simulator is sped up.
  const range = resolveHistoryRange(query, getRealtime()?.currentInstant() ?? Date.now());
  if ("error" in range) throw new HttpError("bad_request", range.error);
  const history = await fetchHistory({ ...range, filter: { operators: query.operator, sectors: query.sector }, maxPoints: query.points });
  if (query.format === "csv") {
    const csv = historyCsv(history, MESSAGES[query.lang ?? "en"].exports.csvHeaders);
    const name = `m2m-pulse-${chinaIsoTime(range.fromMs).slice(0, 16).replace(/:/g, "")}-${chinaIsoTime(range.toMs).slice(0, 16).replace(/:/g, "")}.csv`;
    return respondText(csv, "text/csv; charset=utf-8", { "content-disposition": `attachment; filename="${name}"` });
  }
  return respond(history);
});
