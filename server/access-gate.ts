import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";
import type { Socket } from "socket.io";
import { cameOverTls, checkOrigin, clientAddress, decideAccess, decideMetricsAccess, isStateChanging, type AccessDecision, type Principal } from "@/lib/auth/access";
import { CLIENT_ADDRESS_HEADER, CLIENT_TLS_HEADER } from "@/lib/auth/actor";
import { DISPLAY_COOKIE, SESSION_COOKIE, cookieHeader, parseCookies, sessionKeyOf } from "@/lib/auth/session";
import { findActiveDisplayToken, type ActiveDisplayToken } from "@/lib/db/display-tokens";
import { findSession, type SessionAccount } from "@/lib/db/sessions";
import type { ApiErrorBody } from "@/lib/contracts/api";
import { createLogger } from "@/lib/logger";
import { authorizeDisplayFilter, filterOfQuery } from "./display-scope";

const log = createLogger("access");
const TEN_YEARS_S = 10 * 365 * 86_400;
// Data a display token may read only for its own playlist's filters.
const DISPLAY_SCOPED_API = /^\/api\/(live|history|alerts)$/;

export interface Identity {
  principal: Principal;
  /** The display token behind a "display" principal. */
  token: ActiveDisplayToken | null;
  /** The session behind an "account" principal. */
  session: SessionAccount | null;
}

async function identify(cookieHeaderValue: string | undefined): Promise<Identity> {
  const cookies = parseCookies(cookieHeaderValue);
  // Looked up on every request: a session ended by sign-out or account removal stops at once.
  const key = sessionKeyOf(cookies[SESSION_COOKIE]);
  const session = key ? await findSession(key) : null;
  if (session) return { principal: { kind: "account", role: session.role }, token: null, session };
  const secret = cookies[DISPLAY_COOKIE];
  if (secret) {
    // Looked up on every request: a revoked token stops working at once.
    const token = await findActiveDisplayToken(secret);
    return token
      ? { principal: { kind: "display", playlistSlug: token.playlistSlug }, token, session: null }
      : { principal: { kind: "invalid-display" }, token: null, session: null };
  }
  return { principal: { kind: "anonymous" }, token: null, session: null };
}

function refuse(response: ServerResponse, path: string, status: 401 | 403, reason: string, signIn: boolean): void {
  if (path.startsWith("/api/")) {
    const body: ApiErrorBody = { error: { code: status === 401 ? "unauthorized" : "forbidden", message: reason } };
    response.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" }).end(JSON.stringify(body));
  } else if (signIn) {
    response.writeHead(303, { location: `/signin?next=${encodeURIComponent(path)}` }).end();
  } else {
    response
      .writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" })
      .end(
        `<!doctype html><html lang="en"><meta charset="utf-8"><title>M2M Pulse: access refused</title>` +
          `<body style="background:#0b1220;color:#e6edf7;font:2rem system-ui;display:grid;place-items:center;height:100vh;margin:0">` +
          `<main data-access-refused><p>This screen cannot show M2M Pulse: ${escapeHtml(reason)}.</p><p lang="zh-CN">此屏幕无法显示：访问被拒绝。</p></main>`,
      );
  }
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export interface AccessGateOptions {
  /** PULSE_AUTH=on: viewing needs a signed-in account or a display token. Changes always need an account. */
  authRequired: boolean;
  /** PULSE_TRUST_PROXY=1: X-Forwarded-For and X-Forwarded-Proto come from our own reverse proxy. */
  trustProxy?: boolean;
  /** METRICS_TOKEN: a scraper presenting it as a bearer token reads /metrics from anywhere. */
  metricsToken?: string | undefined;
}

const digest = (text: string) => createHash("sha256").update(text).digest();

/** Whether an Authorization header carries `Bearer <expected>`, compared in constant time. */
export function bearerMatches(header: string | undefined, expected: string | undefined): boolean {
  if (!expected || !header) return false;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  // Digests have one length whatever was sent, so the comparison time says nothing about the token.
  return match !== null && timingSafeEqual(digest(match[1]!), digest(expected));
}

/**
 * Applies lib/auth/access.ts in front of Next.js and socket.io: the Origin check on every
 * state-changing request and socket handshake, then one access decision per request. Also turns a
 * display token given once in the URL (`/wall/lobby?token=…`) into a long-lived HttpOnly cookie,
 * so the token leaves the address bar and every later request and socket carries it.
 */
export function createAccessGate(options: AccessGateOptions) {
  const trustProxy = options.trustProxy ?? false;
  return {
    /**
     * Who may read /metrics (lib/auth/access.ts decideMetricsAccess). Loopback and the bearer
     * token are checked first, so a scrape needs no database while nobody is signed in.
     */
    async decideMetrics(request: IncomingMessage): Promise<AccessDecision> {
      const address = clientAddress(request.socket.remoteAddress, single(request.headers["x-forwarded-for"]), trustProxy);
      const bearer = bearerMatches(single(request.headers.authorization), options.metricsToken);
      const quick = decideMetricsAccess({ address, bearerMatches: bearer, signedIn: false });
      if (quick.allow || !request.headers.cookie) return quick;
      const { principal } = await identify(request.headers.cookie);
      return decideMetricsAccess({ address, bearerMatches: bearer, signedIn: principal.kind === "account" });
    },

    /** True when the gate answered the request itself (refusal or redirect). */
    async handleHttp(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
      const url = new URL(request.url ?? "/", "http://localhost");
      const path = url.pathname;
      const method = (request.method ?? "GET").toUpperCase();
      const tls = cameOverTls(Boolean((request.socket as TLSSocket).encrypted), single(request.headers["x-forwarded-proto"]), trustProxy);
      // Route handlers learn address and TLS from these; a client's own copies are never believed.
      request.headers[CLIENT_ADDRESS_HEADER] = clientAddress(request.socket.remoteAddress, single(request.headers["x-forwarded-for"]), trustProxy);
      request.headers[CLIENT_TLS_HEADER] = tls ? "1" : "0";

      if (isStateChanging(method)) {
        const origin = checkOrigin({ origin: single(request.headers.origin), secFetchSite: single(request.headers["sec-fetch-site"]), host: request.headers.host });
        if (!origin.allow) {
          log.warn("cross-origin change refused", { method, path, origin: single(request.headers.origin)?.slice(0, 100), address: request.headers[CLIENT_ADDRESS_HEADER] });
          refuse(response, path.startsWith("/api/") ? path : `/api${path}`, 403, origin.reason, false);
          return true;
        }
      }

      const offered = url.searchParams.get("token");
      if (offered !== null && /^\/wall\/[^/]+$/.test(path)) {
        const token = await findActiveDisplayToken(offered);
        if (!token || `/wall/${token.playlistSlug}` !== path) {
          refuse(response, path, 403, "this display token is not valid for this wall, or has been revoked", false);
          return true;
        }
        url.searchParams.delete("token");
        response.writeHead(303, { location: `${path}${url.search}`, "set-cookie": cookieHeader(DISPLAY_COOKIE, offered, TEN_YEARS_S, { secure: tls }) }).end();
        log.info("display token exchanged for a cookie", { tokenId: token.id, playlist: token.playlistSlug });
        return true;
      }
      const { principal } = await identify(request.headers.cookie);
      const decision = decideAccess({ method, path }, principal, options.authRequired);
      if (!decision.allow) {
        refuse(response, path, decision.status, decision.reason, decision.signIn);
        return true;
      }
      // A wall screen reads over HTTP exactly what its socket may subscribe to.
      if (principal.kind === "display" && options.authRequired && DISPLAY_SCOPED_API.test(path)) {
        const refusal = await authorizeDisplayFilter(principal.playlistSlug, filterOfQuery(url.searchParams));
        if (refusal) {
          refuse(response, path, 403, refusal, false);
          return true;
        }
      }
      return false;
    },

    /** socket.io middleware: who the socket is, or a refusal ("forbidden origin", "unauthorized", "revoked"). */
    async authenticateSocket(socket: Socket, next: (error?: Error) => void): Promise<void> {
      try {
        const headers = socket.handshake.headers;
        const origin = checkOrigin({ origin: single(headers.origin), secFetchSite: single(headers["sec-fetch-site"]), host: single(headers.host) });
        if (!origin.allow) {
          log.warn("cross-origin socket refused", { origin: single(headers.origin)?.slice(0, 100), address: socket.handshake.address });
          return next(new Error("forbidden origin"));
        }
        const identity = await identify(headers.cookie);
        if (identity.principal.kind === "invalid-display") return next(new Error("revoked"));
        if (identity.principal.kind === "anonymous" && options.authRequired) return next(new Error("unauthorized"));
        socket.data.displayToken = identity.token;
        // Kept so that sign-out, a password change or an account's removal can close this socket.
        socket.data.sessionKey = identity.session?.key;
        socket.data.accountId = identity.session?.accountId;
        socket.data.role = identity.session?.role;
        next();
      } catch (error) {
        log.warn("socket authentication failed", { error: error instanceof Error ? error.message : String(error) });
        next(new Error("unavailable"));
      }
    },
  };
}

export type AccessGate = ReturnType<typeof createAccessGate>;
