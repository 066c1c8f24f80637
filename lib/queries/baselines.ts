import { queryOptions } from "@tanstack/react-query";
import { baselinesResponseSchema } from "@/lib/contracts/baselines";
import { filterSearchParams, type SeriesFilter } from "@/lib/contracts/filters";
import { fetchJson } from "./fetch-json";

export const ALL_SERIES: SeriesFilter = { operators: [], sectors: [] };

/** Report baselines change only when the seed does; they never go stale on screen. */
export function baselinesQueryOptions(filter: SeriesFilter = ALL_SERIES) {
  return queryOptions({
    queryKey: ["baselines", filter.operators, filter.sectors] as const,
    queryFn: ({ signal }) => fetchJson(`/api/baselines?${filterSearchParams(filter)}`, baselinesResponseSchema, signal),
    staleTime: Infinity,
  });
}
