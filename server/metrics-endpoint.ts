import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApiErrorBody } from "@/lib/contracts/api";
import { createLogger } from "@/lib/logger";
import { renderMetrics } from "@/lib/observability/metrics";
import type { AccessGate } from "./access-gate";

const log = createLogger("metrics");

/**
 * GET /metrics in the Prometheus text format, after the HTTP edge (Host allow-list, method) and
 * the access decision for metrics (loopback, METRICS_TOKEN or a signed-in person). Served here
 * rather than through Next.js, so that it answers while a page or the database is in trouble.
 */
export async function serveMetrics(request: IncomingMessage, response: ServerResponse, gate: Pick<AccessGate, "decideMetrics">): Promise<void> {
  const decision = await gate.decideMetrics(request);
  if (!decision.allow) {
    log.info("metrics scrape refused", { address: request.socket.remoteAddress });
    const body: ApiErrorBody = { error: { code: "unauthorized", message: decision.reason } };
    response
      .writeHead(401, { "content-type": "application/json", "cache-control": "no-store", "www-authenticate": 'Bearer realm="metrics"' })
      .end(JSON.stringify(body));
    return;
  }
  const { body, contentType } = await renderMetrics();
  response.writeHead(200, { "content-type": contentType, "cache-control": "no-store" });
  response.end(request.method === "HEAD" ? undefined : body);
}
