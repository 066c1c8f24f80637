import { createHash, randomBytes } from "node:crypto";

/**
 * Sessions live in PostgreSQL (lib/db/sessions.ts); the cookie holds only a random id of 32
 * bytes. Nothing is signed or parsed out of it: the whole value must equal a stored session's id,
 * so a forged, extended or truncated cookie is simply unknown.
 */
export const SESSION_COOKIE = "pulse_session";
export const DISPLAY_COOKIE = "pulse_display";
export const SESSION_TTL_MS = 12 * 3_600_000;

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

export function newSessionId(): string {
  return randomBytes(32).toString("base64url");
}

/** What the database keeps of a session id: its SHA-256, so a dump of the table signs nobody in. */
export function sessionKey(sessionId: string): string {
  return createHash("sha256").update(sessionId).digest("hex");
}

/** The session key a cookie value stands for, or null when it cannot be a session id at all. */
export function sessionKeyOf(cookieValue: string | undefined): string | null {
  return cookieValue !== undefined && SESSION_ID.test(cookieValue) ? sessionKey(cookieValue) : null;
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? "").split(";")) {
    const index = part.indexOf("=");
    if (index <= 0) continue;
    const name = part.slice(0, index).trim();
    try {
      cookies[name] = decodeURIComponent(part.slice(index + 1).trim());
    } catch {
      // a malformed cookie is ignored, like a missing one
    }
  }
  return cookies;
}

/**
 * HttpOnly (no script reads it), SameSite=Lax (not sent on cross-site sub-requests; a top-level
 * link still opens a wall), Secure when the browser reached us over TLS.
 */
export function cookieHeader(name: string, value: string, maxAgeSeconds: number, options: { secure: boolean }): string {
  return `${name}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${options.secure ? "; Secure" : ""}`;
}
