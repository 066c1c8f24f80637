import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { hostname as machineName, networkInterfaces } from "node:os";
import type { ApiErrorBody, ApiErrorCode } from "@/lib/contracts/api";
import { parseAndValidateFlightRouterState } from "next/dist/server/app-render/parse-and-validate-flight-router-state.js";
import { API_ERROR_CODES } from "@/lib/contracts/api";
import { METRICS_PATH, allowedMethods, matchApiRoute } from "@/lib/http/routes";
import { createLogger } from "@/lib/logger";

const log = createLogger("edge");

/**
 * No request body may be larger than this, whatever the route; routes cut theirs off sooner
 * (parseJsonBody: 64 KiB). A declared length above it is refused before anything is read.
 */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
const PAGE_METHODS = ["GET", "HEAD"];

export interface HttpEdgeOptions {
  /** The address the server listens on (HOST). */
  listenHost: string;
  /** The port it is bound to; a function because port 0 is only known after listening. */
  port: () => number;
  /** PULSE_ALLOWED_HOSTS: more host names (any port) or host:port, lower case. */
  allowedHosts?: readonly string[];
  /** PULSE_FRAME_ANCESTORS: who may frame /wall…; unset, nobody. */
  frameAncestors?: readonly string[];
  /** Next's development server needs eval and its HMR WebSocket. */
  dev: boolean;
}

const bracket = (address: string) => (address.includes(":") ? `[${address}]` : address);

/** The names the server answers to when nothing is configured: where it listens, and loopback. */
export function defaultHostNames(listenHost: string): string[] {
  const names = new Set(["localhost", "127.0.0.1", "[::1]"]);
  if (listenHost === "0.0.0.0" || listenHost === "::") {
    names.add(machineName().toLowerCase());
    for (const addresses of Object.values(networkInterfaces())) {
      for (const { address } of addresses ?? []) {
        // A link-local IPv6 address needs a zone id, which a Host header cannot carry.
        if (!address.includes("%")) names.add(bracket(address.toLowerCase()));
      }
    }
  } else {
    names.add(bracket(listenHost.toLowerCase()));
  }
  return [...names];
}

/** Splits a Host header into name and port (80 when absent, as a browser omits it). */
function parseHostHeader(header: string): { name: string; port: number } | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9._-]+?)\.?(?::(\d{1,5}))?$/.exec(header.trim().toLowerCase());
  if (!match) return undefined;
  return { name: match[1]!, port: match[2] === undefined ? 80 : Number(match[2]) };
}

/** How much of a refused body is read and dropped, and for how long, before the connection is cut. */
const LINGER_BYTES = 16 * 1024 * 1024;
const LINGER_MS = 2_000;

/**
 * After an answer sent before its request's body was read (a refusal, a 413): read and drop some
 * more of the body (never keeping it), so that the client, still sending, reads the answer before
 * the connection goes (cut at once, its write fails and the answer is lost with it); then cut the
 * connection rather than take the rest of a body nobody wants. The connection stays open for
 * the next request when the body ends sooner.
 */
function lingerThenClose(request: IncomingMessage): void {
  if (request.complete) return;
  const socket = request.socket;
  let dropped = 0;
  const cut = () => socket.destroy();
  const timer = setTimeout(cut, LINGER_MS);
  timer.unref();
  socket.once("close", () => clearTimeout(timer));
  request.on("data", (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > LINGER_BYTES) cut();
  });
  request.once("end", () => clearTimeout(timer));
  request.resume();
}

/**
 * A CSP for a page: scripts only with this response's nonce (Next.js reads it from the request's
 * content-security-policy header and puts it on its own inline and chunk scripts), and
 * 'strict-dynamic' so the scripts those load are trusted too. Inline style attributes stay
 * allowed: React and Chart.js write them, and they cannot run code.
 */
export function pageContentSecurityPolicy(nonce: string, frameAncestors: string, dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    // The chart worker (components/charts/chart.worker.ts): Turbopack starts it from a script of
    // this origin (its worker bootstrap chunk). Without this, 'strict-dynamic' would refuse it.
    "worker-src 'self'",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors}`,
  ].join("; ");
}

/** For JSON and anything else that is not a page: nothing may load, nothing may frame it. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/**
 * Everything checked about a request before the access gate and Next.js see it: the Host it
 * addresses (DNS rebinding), its method, its path's escapes and its body's size; and the security
 * headers every response carries. Refusals are the API's uniform error body.
 */
export function createHttpEdge(options: HttpEdgeOptions) {
  const defaults = defaultHostNames(options.listenHost);
  // A configured entry without a port matches the name on any port (kept as port 0).
  const extra = (options.allowedHosts ?? [])
    .map((entry) => ({ parsed: parseHostHeader(entry), portGiven: /:\d+$/.test(entry) }))
    .flatMap(({ parsed, portGiven }) => (parsed ? [{ name: parsed.name, port: portGiven ? parsed.port : 0 }] : []));
  const wallAncestors = options.frameAncestors?.length ? options.frameAncestors.join(" ") : "'none'";

  /** True when the Host header names this server: a default name on its port, or a configured one. */
  function isAllowedHost(request: Pick<IncomingMessage, "headers">): boolean {
    const header = request.headers.host;
    if (!header) return false;
    const host = parseHostHeader(header);
    if (!host) return false;
    if (host.port === options.port() && defaults.includes(host.name)) return true;
    return extra.some((entry) => entry.name === host.name && (entry.port === 0 || entry.port === host.port));
  }

  function refuse(response: ServerResponse, code: ApiErrorCode, message: string, headers: Record<string, string> = {}): true {
    const body: ApiErrorBody = { error: { code, message } };
    response.writeHead(API_ERROR_CODES[code], { "content-type": "application/json", "cache-control": "no-store", ...headers });
    response.end(JSON.stringify(body));
    return true;
  }

  function setSecurityHeaders(request: IncomingMessage, response: ServerResponse, pathname: string): void {
    response.setHeader("x-content-type-options", "nosniff");
    response.setHeader("referrer-policy", "no-referrer");
    // /metrics is text for a scraper, not a page: nothing may load or frame it either.
    const isApi = pathname.startsWith("/api/") || pathname === "/api" || pathname === METRICS_PATH;
    const isWall = pathname === "/wall" || pathname.startsWith("/wall/");
    if (isApi) {
      response.setHeader("content-security-policy", API_CSP);
      response.setHeader("x-frame-options", "DENY");
      return;
    }
    const nonce = randomBytes(16).toString("base64");
    const policy = pageContentSecurityPolicy(nonce, isWall ? wallAncestors : "'none'", options.dev);
    response.setHeader("content-security-policy", policy);
    // X-Frame-Options cannot name an allow-list: old browsers get DENY unless walls are embeddable.
    if (!(isWall && options.frameAncestors?.length)) response.setHeader("x-frame-options", "DENY");
    // Next.js takes the nonce for its scripts from the request's policy; a client's own is replaced.
    request.headers["content-security-policy"] = policy;
    delete request.headers["content-security-policy-report-only"];
  }

  return {
    isAllowedHost,

    /** True when the edge answered the request itself (a refusal). */
    handle(request: IncomingMessage, response: ServerResponse): boolean {
      response.on("finish", () => lingerThenClose(request));
      if (!isAllowedHost(request)) {
        log.debug("refused a request for another host", { host: request.headers.host?.slice(0, 100) });
        return refuse(response, "misdirected", "this server does not answer for that Host; see PULSE_ALLOWED_HOSTS");
      }
      const target = request.url ?? "/";
      if (!target.startsWith("/")) return refuse(response, "bad_request", "expected a request target that is a path");
      const pathname = target.split("?", 1)[0]!;
      try {
        decodeURIComponent(pathname);
      } catch {
        return refuse(response, "bad_request", "the path has a malformed %-escape");
      }
      setSecurityHeaders(request, response, pathname);
      // Next.js answers a router-state header it cannot parse with a 500; check it with Next's own parser.
      if (request.headers["next-router-state-tree"] !== undefined) {
        try {
          parseAndValidateFlightRouterState(request.headers["next-router-state-tree"]);
        } catch {
          return refuse(response, "bad_request", "the next-router-state-tree header is malformed");
        }
      }
      // Next's image optimiser fetches what it is asked for from this server, past the access
      // gate; the app uses no next/image, so the route is closed (Next matches it by prefix).
      if (pathname.startsWith("/_next/image")) return refuse(response, "not_found", "image optimisation is switched off");

      const method = request.method ?? "GET";
      const route = matchApiRoute(pathname);
      const isApi = pathname.startsWith("/api/");
      const allowed = route ? allowedMethods(route) : isApi ? [...KNOWN_METHODS] : PAGE_METHODS;
      if (!allowed.includes(method)) {
        return refuse(response, "method_not_allowed", `${method} is not allowed here; allowed: ${allowed.join(", ")}`, { allow: allowed.join(", ") });
      }

      const declared = request.headers["content-length"];
      const hasBody = request.headers["transfer-encoding"] !== undefined || (declared !== undefined && declared !== "0");
      if (declared !== undefined && Number(declared) > MAX_REQUEST_BODY_BYTES) {
        return refuse(response, "payload_too_large", `body is larger than ${MAX_REQUEST_BODY_BYTES} bytes`);
      }
      // Routes outside the table (none today) may take a body; their parseJsonBody bounds it.
      const takesBody = route ? route.bodyMethods.includes(method as never) : isApi && ["POST", "PUT", "PATCH"].includes(method);
      if (hasBody && !takesBody) return refuse(response, "payload_too_large", `${method} ${pathname.slice(0, 100)} takes no request body`);
      return false;
    },
  };
}

export type HttpEdge = ReturnType<typeof createHttpEdge>;
