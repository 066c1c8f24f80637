import { alertsQuerySchema, type AlertsResponse } from "@/lib/contracts/alerts";
import { fetchAlerts } from "@/lib/db/alerts";
import { handle, parseQuery, respond } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

export const GET = handle(async (request) => {
  const query = parseQuery(request, alertsQuerySchema);
  const alerts = await fetchAlerts({
    filter: { operators: query.operator, sectors: query.sector },
    limit: query.limit,
    beforeMs: query.before === undefined ? undefined : Date.parse(query.before),
    activeOnly: query.active === "true",
  });
  return respond<AlertsResponse>({ alerts });
});
