import { seriesFilterQuerySchema } from "@/lib/contracts/filters";
import type { BaselinesResponse } from "@/lib/contracts/baselines";
import { fetchBaselines } from "@/lib/db/baselines";
import { handle, parseQuery, respond } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

export const GET = handle(async (request) => {
  const query = parseQuery(request, seriesFilterQuerySchema);
  const baselines = await fetchBaselines({ operators: query.operator, sectors: query.sector });
  return respond<BaselinesResponse>({ baselines });
});
