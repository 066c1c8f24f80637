import { QueryClient, defaultShouldDehydrateQuery, isServer } from "@tanstack/react-query";

function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Server-prefetched data is fresh on arrival; refetching it at once would only flicker.
        staleTime: 60_000,
      },
      dehydrate: {
        shouldDehydrateQuery: (query) => defaultShouldDehydrateQuery(query) || query.state.status === "pending",
      },
    },
  });
}

let browserQueryClient: QueryClient | undefined;

/** A fresh client per server request; one client for the life of the browser tab. */
export function getQueryClient(): QueryClient {
  if (isServer) return makeQueryClient();
  browserQueryClient ??= makeQueryClient();
  return browserQueryClient;
}

/**
 * `throwOnError` for a panel's queries: a failure with nothing on screen goes to the panel's error
 * boundary (which offers a retry); a failed background refetch keeps the values already shown.
 */
export function throwWhenEmpty(_error: unknown, query: { state: { data: unknown } }): boolean {
  return query.state.data === undefined;
}
