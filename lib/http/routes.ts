/**
 * Every API route with the methods it answers and whether it reads a body: what the HTTP edge
 * (server/http-edge.ts) checks before Next.js sees a request, and what `npm run fuzz` aims at.
 * lib/http/routes.test.ts fails when this table and app/api disagree.
 */
export type HttpMethod = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS";

export interface ApiRoute {
  /** Next's file-system pattern: `/api/playlists/[slug]`. */
  pattern: string;
  /** The methods the route exports (HEAD and OPTIONS are answered by Next for every route). */
  methods: readonly HttpMethod[];
  /** The methods that read a JSON body. */
  bodyMethods: readonly HttpMethod[];
}

export const API_ROUTES: readonly ApiRoute[] = [
  { pattern: "/api/account/password", methods: ["POST"], bodyMethods: ["POST"] },
  { pattern: "/api/accounts", methods: ["GET", "POST"], bodyMethods: ["POST"] },
  { pattern: "/api/accounts/[id]", methods: ["PATCH", "DELETE"], bodyMethods: ["PATCH"] },
  { pattern: "/api/alerts", methods: ["GET"], bodyMethods: [] },
  { pattern: "/api/audit", methods: ["GET"], bodyMethods: [] },
  { pattern: "/api/baselines", methods: ["GET"], bodyMethods: [] },
  { pattern: "/api/display-tokens/[id]", methods: ["DELETE"], bodyMethods: [] },
  { pattern: "/api/displays", methods: ["GET"], bodyMethods: [] },
  { pattern: "/api/displays/[id]/reload", methods: ["POST"], bodyMethods: [] },
  { pattern: "/api/health", methods: ["GET"], bodyMethods: [] },
  { pattern: "/api/history", methods: ["GET"], bodyMethods: [] },
  { pattern: "/api/ingest", methods: ["POST"], bodyMethods: ["POST"] },
  { pattern: "/api/ingest/influx", methods: ["POST"], bodyMethods: ["POST"] },
  { pattern: "/api/ingest-keys", methods: ["GET", "POST"], bodyMethods: ["POST"] },
  { pattern: "/api/ingest-keys/[id]", methods: ["DELETE"], bodyMethods: [] },
  { pattern: "/api/live", methods: ["GET"], bodyMethods: [] },
  { pattern: "/api/notifications/contact-points", methods: ["GET", "POST"], bodyMethods: ["POST"] },
  { pattern: "/api/notifications/contact-points/[id]", methods: ["PATCH", "DELETE"], bodyMethods: ["PATCH"] },
  { pattern: "/api/notifications/contact-points/[id]/test", methods: ["POST"], bodyMethods: [] },
  { pattern: "/api/notifications/deliveries", methods: ["GET"], bodyMethods: [] },
  { pattern: "/api/notifications/deliveries/[id]/retry", methods: ["POST"], bodyMethods: [] },
  { pattern: "/api/playlists", methods: ["GET", "POST"], bodyMethods: ["POST"] },
  { pattern: "/api/playlists/[slug]", methods: ["GET", "PUT", "DELETE"], bodyMethods: ["PUT"] },
  { pattern: "/api/playlists/[slug]/tokens", methods: ["GET", "POST"], bodyMethods: ["POST"] },
  { pattern: "/api/session", methods: ["GET", "POST", "DELETE"], bodyMethods: ["POST"] },
  { pattern: "/api/simulator/incidents", methods: ["POST"], bodyMethods: ["POST"] },
];

const compiled = API_ROUTES.map((route) => ({
  route,
  regex: new RegExp(`^${route.pattern.replace(/\[[^\]]+\]/g, "[^/]+")}/?$`),
}));

/** The API route a (still encoded) path belongs to, or undefined. */
export function matchApiRoute(pathname: string): ApiRoute | undefined {
  return compiled.find(({ regex }) => regex.test(pathname))?.route;
}

/** What an `Allow` header says for a route: its methods, plus HEAD with GET, plus OPTIONS. */
export function allowedMethods(route: ApiRoute): HttpMethod[] {
  const methods = new Set<HttpMethod>(route.methods);
  if (methods.has("GET")) methods.add("HEAD");
  methods.add("OPTIONS");
  return [...methods];
}

/**
 * Prometheus metrics, served by the custom server itself (server/metrics-endpoint.ts) rather than
 * by an app route: it must answer while Next.js or the database is in trouble.
 */
export const METRICS_PATH = "/metrics";

/** Every page in app/ (Next's file-system patterns); lib/http/routes.test.ts checks them against the disk. */
export const PAGE_ROUTES: readonly string[] = [
  "/",
  "/account",
  "/admin/accounts",
  "/admin/audit",
  "/admin/ingest-keys",
  "/admin/notifications",
  "/displays",
  "/playlists",
  "/signin",
  "/wall",
  "/wall/[slug]",
];

const compiledPages = PAGE_ROUTES.map((pattern) => ({
  pattern,
  regex: new RegExp(`^${pattern.replace(/\[[^\]]+\]/g, "[^/]+")}/?$`),
}));

/**
 * The route template a path belongs to, for metric labels: an API or page pattern, /metrics,
 * Next's static files, or "other". Never the raw path, whose values are unbounded.
 */
export function routeTemplate(pathname: string): string {
  const api = matchApiRoute(pathname);
  if (api) return api.pattern;
  if (pathname === METRICS_PATH) return METRICS_PATH;
  if (pathname.startsWith("/_next/static/")) return "/_next/static";
  if (pathname.startsWith("/_next/")) return "/_next";
  if (pathname === "/favicon.ico") return "/favicon.ico";
  return compiledPages.find(({ regex }) => regex.test(pathname))?.pattern ?? "other";
}
