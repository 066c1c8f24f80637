/**
 * Who may reach what. A pure decision, so that every rule is unit-tested; server/access-gate.ts
 * applies it to HTTP requests and socket connections.
 *
 * - Signed in (session cookie): everything.
 * - A wall screen (display token), when sign-in is on: its own playlist's wall page and the
 *   read-only data it draws. Nothing else. A revoked token opens nothing, sign-in on or off.
 * - Nobody: with PULSE_AUTH=off, everything except what a revoked or foreign token asks for;
 *   with PULSE_AUTH=on, only the sign-in page, health and static files.
 */
export type Principal = { kind: "session" } | { kind: "display"; playlistSlug: string } | { kind: "anonymous" } | { kind: "invalid-display" };

export type AccessDecision = { allow: true } | { allow: false; status: 401 | 403; reason: string; signIn: boolean };

const PUBLIC_PATHS = [/^\/_next\//, /^\/favicon\.ico$/, /^\/signin$/, /^\/api\/session$/, /^\/api\/health$/];
const DISPLAY_READ_API = /^\/api\/(live|history|alerts|baselines)$/;

export function decideAccess(request: { method: string; path: string }, principal: Principal, authRequired: boolean): AccessDecision {
  const { method, path } = request;
  if (PUBLIC_PATHS.some((pattern) => pattern.test(path))) return { allow: true };
  if (principal.kind === "session") return { allow: true };

  if (principal.kind === "invalid-display") {
    return { allow: false, status: 403, reason: "this display's token is not valid or has been revoked", signIn: false };
  }
  if (principal.kind === "display" && authRequired) {
    const wall = /^\/wall\/([^/]+)$/.exec(path);
    const allowed =
      (method === "GET" && wall?.[1] === principal.playlistSlug) ||
      (method === "GET" && DISPLAY_READ_API.test(path)) ||
      (method === "GET" && path === `/api/playlists/${principal.playlistSlug}`);
    return allowed ? { allow: true } : { allow: false, status: 403, reason: `a display token opens only the wall of playlist '${principal.playlistSlug}'`, signIn: false };
  }
  if (!authRequired) return { allow: true };
  return { allow: false, status: 401, reason: "sign in first", signIn: true };
}
