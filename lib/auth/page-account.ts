import { cookies } from "next/headers";
import { SESSION_COOKIE, sessionKeyOf } from "@/lib/auth/session";
import { findSession, type SessionAccount } from "@/lib/db/sessions";

/** The account signed in for the page being rendered (server components), or null. */
export async function pageAccount(): Promise<SessionAccount | null> {
  const key = sessionKeyOf((await cookies()).get(SESSION_COOKIE)?.value);
  return key ? findSession(key) : null;
}
