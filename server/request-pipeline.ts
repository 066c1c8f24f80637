import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApiErrorBody } from "@/lib/contracts/api";
import { isDatabaseUnreachable } from "@/lib/db/unreachable";
import { METRICS_PATH, routeTemplate } from "@/lib/http/routes";
import { acceptableRequestId, createLogger, withRequestId } from "@/lib/logger";
import { metrics } from "@/lib/observability/metrics";
import type { AccessGate } from "./access-gate";
import type { HttpEdge } from "./http-edge";
import { serveMetrics } from "./metrics-endpoint";
import type { PageAvailability } from "./page-availability";

const log = createLogger("http");

const LABELLED_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
/** What a log line may say about a request target: its path, never its query (`?token=` on a wall URL). */
const pathOf = (url: string | undefined) => (url ?? "/").split("?", 1)[0]!.slice(0, 200);

/**
 * Gives the request an id (the client's X-Request-Id when it is short and plain, else a new one),
 * echoed in the answer and carried by every log line written while it is handled; and counts the
 * answer into pulse_http_requests_total and pulse_http_request_duration_seconds by route template.
 */
function observeRequest(request: IncomingMessage, response: ServerResponse): string {
  const requestId = acceptableRequestId(request.headers["x-request-id"]) ?? randomUUID();
  request.headers["x-request-id"] = requestId;
  response.setHeader("x-request-id", requestId);
  const method = LABELLED_METHODS.has(request.method ?? "") ? request.method! : "other";
  const route = routeTemplate(pathOf(request.url));
  const stop = metrics.httpDuration.startTimer({ method, route });
  response.once("close", () => {
    const seconds = stop();
    metrics.httpRequests.inc({ method, route, status: String(response.statusCode) });
    // Static files would drown the log; everything else leaves one line.
    if (route !== "/_next/static" && route !== "/_next") {
      withRequestId(requestId, () =>
        log.info("request", { method, path: pathOf(request.url), route, status: response.statusCode, ms: Math.round(seconds * 1000) }),
      );
    }
  });
  return requestId;
}

export interface RequestPipeline {
  edge: Pick<HttpEdge, "handle">;
  gate: Pick<AccessGate, "handleHttp" | "decideMetrics">;
  pages: Pick<PageAvailability, "refuseWhileDown">;
  /** What serves the requests the checks let through: Next.js in the product. */
  handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>;
}

/**
 * Every HTTP request's way through the server, in order: a request id and its metrics; the edge
 * (Host, method, path, body size); /metrics; the database check for pages; the access gate;
 * then Next.js. An error nobody answered becomes a 503 (database away) or a 500, never a hang.
 */
export function createRequestListener({ edge, gate, pages, handle }: RequestPipeline): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => withRequestId(observeRequest(request, response), () => {
    // Host, method, path and body size are settled before anyone reads the request.
    if (edge.handle(request, response)) return;
    (async () => {
      const pathname = pathOf(request.url);
      if (pathname === METRICS_PATH) return serveMetrics(request, response, gate);
      if (await pages.refuseWhileDown((request.url ?? "/").split("?", 1)[0]!, response)) return;
      if (await gate.handleHttp(request, response)) return;
      await handle(request, response);
    })().catch((error: unknown) => {
      // The access gate looks display tokens up in the database: unreachable, that is a 503.
      const unavailable = isDatabaseUnreachable(error);
      if (unavailable) log.warn("database unreachable", { path: pathOf(request.url) });
      else log.error("unhandled request error", { path: pathOf(request.url), error: error instanceof Error ? error.message : String(error) });
      if (!response.headersSent) {
        const body: ApiErrorBody = unavailable
          ? { error: { code: "unavailable", message: "the database cannot be reached; try again shortly" } }
          : { error: { code: "internal", message: "the server could not complete the request; the error is logged" } };
        response.writeHead(unavailable ? 503 : 500, { "content-type": "application/json", "cache-control": "no-store" }).end(JSON.stringify(body));
      }
    });
  });
}
