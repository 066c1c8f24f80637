import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * A signed session cookie: `<expiry ms>.<HMAC-SHA256 of it>`. Nothing but the expiry is in
 * it: there is one operators' account, and the signature is what says "signed in".
 */
export const SESSION_COOKIE = "pulse_session";
export const DISPLAY_COOKIE = "pulse_display";
export const SESSION_TTL_MS = 12 * 3_600_000;

function sign(payload: string, secret: string): string {
  return createHmac("sha256", secret).update(payload).digest("base64url");
}

export function createSessionValue(nowMs: number, secret: string): string {
  const payload = String(nowMs + SESSION_TTL_MS);
  return `${payload}.${sign(payload, secret)}`;
}

export function isValidSession(value: string | undefined, nowMs: number, secret: string): boolean {
  if (!value) return false;
  const [payload, signature] = value.split(".");
  if (!payload || !signature || !/^\d+$/.test(payload)) return false;
  const expected = Buffer.from(sign(payload, secret));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given) && Number(payload) > nowMs;
}

/** Compares a password in constant time (length aside). */
export function passwordMatches(given: string, expected: string): boolean {
  const a = createHmac("sha256", "password").update(given).digest();
  const b = createHmac("sha256", "password").update(expected).digest();
  return timingSafeEqual(a, b);
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

export function cookieHeader(name: string, value: string, maxAgeSeconds: number): string {
  return `${name}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}`;
}
