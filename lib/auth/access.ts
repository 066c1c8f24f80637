import type { Role } from "@/lib/contracts/accounts";

/**
 * Who may reach what. Pure decisions, so that every rule is unit-tested; server/access-gate.ts
 * applies them to HTTP requests and socket connections, and route handlers confirm the role with
 * `roleAllows` (lib/auth/actor.ts) before they change anything.
 *
 * - Changing anything (POST, PUT, PATCH, DELETE) needs a signed-in account, whatever PULSE_AUTH
 *   says: operators and admins change playlists, tokens, displays and incidents; admins manage
 *   accounts and read the audit log; every account may change its own password.
 * - Viewing (GET, HEAD) dashboards, walls and their data: with PULSE_AUTH=off anyone may; with
 *   PULSE_AUTH=on a signed-in account, or a display token for its own playlist's wall.
 * - A revoked or unknown display token opens nothing, sign-in on or off.
 * - Accounts and the audit log (pages and API) are for admins only, sign-in on or off.
 * - Notifications (contact points, deliveries: page and API) are for operators and admins, reading
 *   included, sign-in on or off: they name the teams' chat rooms and webhook receivers.
 */

export type Principal =
  | { kind: "account"; role: Role }
  | { kind: "display"; playlistSlug: string }
  | { kind: "anonymous" }
  | { kind: "invalid-display" };

export type AccessDecision = { allow: true } | { allow: false; status: 401 | 403; reason: string; signIn: boolean };

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** Whether `role` may do what `needed` may (admin ⊃ operator ⊃ viewer). */
export function roleAllows(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

const READ_METHODS = new Set(["GET", "HEAD"]);

/** True for methods that can change state; OPTIONS and TRACE change nothing but are not reads either. */
export function isStateChanging(method: string): boolean {
  return !READ_METHODS.has(method.toUpperCase()) && method.toUpperCase() !== "OPTIONS";
}

const PUBLIC_PATHS = [/^\/_next\//, /^\/favicon\.ico$/, /^\/signin$/, /^\/api\/session$/, /^\/api\/health$/];
const ADMIN_PATHS = [/^\/admin\/(accounts|audit)(\/|$)/, /^\/api\/accounts(\/|$)/, /^\/api\/audit$/];
const OPERATOR_PATHS = [/^\/admin\/notifications(\/|$)/, /^\/api\/notifications(\/|$)/];
// Every account may change its own password, and see the page that does it.
const SELF_SERVICE_PATHS = [/^\/api\/account\/password$/, /^\/account$/];
const DISPLAY_READ_API = /^\/api\/(live|history|alerts|baselines)$/;

/** The least role a path and method need from a signed-in account; null when viewing is enough. */
export function roleNeeded(request: { method: string; path: string }): Role | null {
  const { method, path } = request;
  if (ADMIN_PATHS.some((pattern) => pattern.test(path))) return "admin";
  if (OPERATOR_PATHS.some((pattern) => pattern.test(path))) return "operator";
  if (SELF_SERVICE_PATHS.some((pattern) => pattern.test(path))) return "viewer";
  return isStateChanging(method) ? "operator" : null;
}

export function decideAccess(request: { method: string; path: string }, principal: Principal, authRequired: boolean): AccessDecision {
  const { method, path } = request;
  if (PUBLIC_PATHS.some((pattern) => pattern.test(path))) return { allow: true };
  if (principal.kind === "invalid-display") {
    return { allow: false, status: 403, reason: "this display's token is not valid or has been revoked", signIn: false };
  }

  const needed = roleNeeded(request);
  if (needed !== null) {
    if (principal.kind === "account") {
      return roleAllows(principal.role, needed)
        ? { allow: true }
        : { allow: false, status: 403, reason: `this needs the ${needed} role; your account is a ${principal.role}`, signIn: false };
    }
    if (principal.kind === "display") {
      return { allow: false, status: 403, reason: "a display token can only show its wall; sign in to change anything", signIn: false };
    }
    return { allow: false, status: 401, reason: needed === "admin" ? "sign in as an admin first" : "sign in to change anything", signIn: true };
  }

  // Viewing.
  if (principal.kind === "account") return { allow: true };
  if (principal.kind === "display" && authRequired) {
    const wall = /^\/wall\/([^/]+)$/.exec(path);
    const allowed =
      READ_METHODS.has(method) &&
      (wall?.[1] === principal.playlistSlug || DISPLAY_READ_API.test(path) || path === `/api/playlists/${principal.playlistSlug}`);
    return allowed ? { allow: true } : { allow: false, status: 403, reason: `a display token opens only the wall of playlist '${principal.playlistSlug}'`, signIn: false };
  }
  if (!authRequired) return { allow: true };
  return { allow: false, status: 401, reason: "sign in first", signIn: true };
}

export type OriginDecision = { allow: true } | { allow: false; reason: string };

/**
 * A hostile page in the operator's browser can send requests that carry the operator's cookies;
 * browsers always say where such a request comes from (Origin, and Sec-Fetch-Site in current
 * browsers). A state-changing request, and every socket handshake, must come from this server's
 * own host (`host`, already checked against the allow-list at the edge). A client that sends
 * neither header is not a browser page (curl, scripts, tests) and cannot ride on a victim's
 * cookies, so it is let through.
 */
export function checkOrigin(headers: { origin?: string | undefined; secFetchSite?: string | undefined; host?: string | undefined }): OriginDecision {
  const { origin, secFetchSite, host } = headers;
  if (origin !== undefined) {
    let originHost: string;
    try {
      const parsed = new URL(origin);
      if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error("scheme");
      originHost = parsed.host;
    } catch {
      return { allow: false, reason: `cross-origin request refused: Origin '${origin.slice(0, 100)}' is not this server` };
    }
    if (host !== undefined && originHost.toLowerCase() === host.toLowerCase()) return { allow: true };
    return { allow: false, reason: `cross-origin request refused: Origin '${origin.slice(0, 100)}' is not this server (${(host ?? "no Host").slice(0, 100)})` };
  }
  if (secFetchSite !== undefined) {
    if (secFetchSite === "same-origin" || secFetchSite === "none") return { allow: true };
    return { allow: false, reason: `cross-site request refused: Sec-Fetch-Site is '${secFetchSite.slice(0, 40)}' and no Origin was sent` };
  }
  return { allow: true };
}

/**
 * The address a request came from: the socket's peer, or with PULSE_TRUST_PROXY=1 the last
 * address the proxy appended to X-Forwarded-For (the one the proxy itself saw; earlier entries
 * are whatever the client claimed).
 */
export function clientAddress(remoteAddress: string | undefined, forwardedFor: string | undefined, trustProxy: boolean): string {
  const peer = (remoteAddress ?? "unknown").replace(/^::ffff:/, "");
  if (!trustProxy || !forwardedFor) return peer;
  const last = forwardedFor.split(",").map((part) => part.trim()).filter(Boolean).pop();
  return last ? last.slice(0, 100) : peer;
}

/** Whether the browser reached us over TLS: our own TLS socket, or the trusted proxy's X-Forwarded-Proto. */
export function cameOverTls(encrypted: boolean, forwardedProto: string | undefined, trustProxy: boolean): boolean {
  if (encrypted) return true;
  return trustProxy && (forwardedProto ?? "").split(",")[0]?.trim().toLowerCase() === "https";
}

/**
 * Where to go after signing in: a path on this site, or null. Browsers read `/\host` (and `/\t/host`,
 * once they strip the tab) as `//host`, another site: only a plain absolute path passes.
 */
export function localPath(next: unknown): string | null {
  if (typeof next !== "string" || !next.startsWith("/") || next.startsWith("//")) return null;
  if (/[\\\u0000-\u001f\u007f]/.test(next)) return null;
  return next;
}

/** Whether an address (as clientAddress gives it) is this machine's loopback. */
export function isLoopbackAddress(address: string): boolean {
  const plain = address.replace(/^::ffff:/i, "");
  return plain === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(plain);
}

/**
 * GET /metrics: a Prometheus server on this machine (loopback) or one holding METRICS_TOKEN
 * scrapes without signing in; a signed-in person may read it too (any role: it holds counts, not
 * data). Everyone else is refused, sign-in on or off: the figures describe the deployment itself.
 */
export function decideMetricsAccess(request: { address: string; bearerMatches: boolean; signedIn: boolean }): AccessDecision {
  if (isLoopbackAddress(request.address) || request.bearerMatches || request.signedIn) return { allow: true };
  return {
    allow: false,
    status: 401,
    reason: "metrics are served to loopback, to a signed-in person, or with 'Authorization: Bearer <METRICS_TOKEN>'",
    signIn: false,
  };
}
