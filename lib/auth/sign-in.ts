import { SESSION_COOKIE, SESSION_TTL_MS, cookieHeader, newSessionId, sessionKey } from "@/lib/auth/session";
import { createSession } from "@/lib/db/sessions";

/** Starts a session for `accountId`; the Set-Cookie header that carries it. */
export async function startSession(accountId: number, origin: { address: string | null; tls: boolean }): Promise<string> {
  const id = newSessionId();
  await createSession({ key: sessionKey(id), accountId, expiresAt: new Date(Date.now() + SESSION_TTL_MS), createdFrom: origin.address });
  return cookieHeader(SESSION_COOKIE, id, SESSION_TTL_MS / 1000, { secure: origin.tls });
}

export function clearSessionCookie(tls: boolean): string {
  return cookieHeader(SESSION_COOKIE, "", 0, { secure: tls });
}
