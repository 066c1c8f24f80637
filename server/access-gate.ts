import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "socket.io";
import { decideAccess, type Principal } from "@/lib/auth/access";
import { sessionSecret } from "@/lib/auth/secret";
import { DISPLAY_COOKIE, SESSION_COOKIE, cookieHeader, isValidSession, parseCookies } from "@/lib/auth/session";
import { findActiveDisplayToken, type ActiveDisplayToken } from "@/lib/db/display-tokens";
import type { ApiErrorBody } from "@/lib/contracts/api";
import { createLogger } from "@/lib/logger";

const log = createLogger("access");
const TEN_YEARS_S = 10 * 365 * 86_400;

export interface Identity {
  principal: Principal;
  /** The display token behind a "display" principal. */
  token: ActiveDisplayToken | null;
}

async function identify(cookieHeaderValue: string | undefined): Promise<Identity> {
  const cookies = parseCookies(cookieHeaderValue);
  if (isValidSession(cookies[SESSION_COOKIE], Date.now(), sessionSecret())) return { principal: { kind: "session" }, token: null };
  const secret = cookies[DISPLAY_COOKIE];
  if (secret) {
    // Looked up on every request: a revoked token stops working at once.
    const token = await findActiveDisplayToken(secret);
    return token ? { principal: { kind: "display", playlistSlug: token.playlistSlug }, token } : { principal: { kind: "invalid-display" }, token: null };
  }
  return { principal: { kind: "anonymous" }, token: null };
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
          `<main data-access-refused><p>This screen cannot show M2M Pulse: ${reason}.</p><p lang="zh-CN">此屏幕无法显示：访问令牌无效或已被撤销。</p></main>`,
      );
  }
}

/**
 * Applies lib/auth/access.ts in front of Next.js and socket.io. Also turns a display token given
 * once in the URL (`/wall/lobby?token=…`) into a long-lived HttpOnly cookie, so the token leaves
 * the address bar and every later request and socket carries it.
 */
export function createAccessGate(options: { authRequired: boolean }) {
  return {
    /** True when the gate answered the request itself (refusal or redirect). */
    async handleHttp(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
      const url = new URL(request.url ?? "/", "http://localhost");
      const path = url.pathname;
      const offered = url.searchParams.get("token");
      if (offered !== null && /^\/wall\/[^/]+$/.test(path)) {
        const token = await findActiveDisplayToken(offered);
        if (!token || `/wall/${token.playlistSlug}` !== path) {
          refuse(response, path, 403, "this display token is not valid for this wall, or has been revoked", false);
          return true;
        }
        url.searchParams.delete("token");
        response.writeHead(303, { location: `${path}${url.search}`, "set-cookie": cookieHeader(DISPLAY_COOKIE, offered, TEN_YEARS_S) }).end();
        log.info("display token exchanged for a cookie", { tokenId: token.id, playlist: token.playlistSlug });
        return true;
      }
      const { principal } = await identify(request.headers.cookie);
      const decision = decideAccess({ method: request.method ?? "GET", path }, principal, options.authRequired);
      if (decision.allow) return false;
      refuse(response, path, decision.status, decision.reason, decision.signIn);
      return true;
    },

    /** socket.io middleware: who the socket is, or a refusal ("unauthorized", "revoked"). */
    async authenticateSocket(socket: Socket, next: (error?: Error) => void): Promise<void> {
      try {
        const identity = await identify(socket.handshake.headers.cookie);
        if (identity.principal.kind === "invalid-display") return next(new Error("revoked"));
        if (identity.principal.kind === "anonymous" && options.authRequired) return next(new Error("unauthorized"));
        socket.data.displayToken = identity.token;
        next();
      } catch (error) {
        log.warn("socket authentication failed", { error: error instanceof Error ? error.message : String(error) });
        next(new Error("unavailable"));
      }
    },
  };
}

export type AccessGate = ReturnType<typeof createAccessGate>;
