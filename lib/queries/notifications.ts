import { queryOptions } from "@tanstack/react-query";
import { contactPointsResponseSchema, deliveriesResponseSchema } from "@/lib/contracts/notifications";
import { fetchJson } from "./fetch-json";

export function contactPointsQueryOptions() {
  return queryOptions({
    queryKey: ["contact-points"] as const,
    queryFn: ({ signal }) => fetchJson("/api/notifications/contact-points", contactPointsResponseSchema, signal),
  });
}

/** The outbox changes on its own (sends, retries): refreshed every few seconds while the page is open. */
export function deliveriesQueryOptions() {
  return queryOptions({
    queryKey: ["notification-deliveries"] as const,
    queryFn: ({ signal }) => fetchJson("/api/notifications/deliveries?limit=50", deliveriesResponseSchema, signal),
    refetchInterval: 3_000,
  });
}
