import { roleAllows } from "@/lib/auth/access";
import type { Role } from "@/lib/contracts/accounts";
import { SESSION_COOKIE, parseCookies, sessionKeyOf } from "@/lib/auth/session";
import { recordAudit } from "@/lib/db/audit";
import { findSession, type SessionAccount } from "@/lib/db/sessions";
import type { Prisma } from "@/lib/db/generated/prisma/client";
import { HttpError } from "@/lib/http/respond";

/**
 * Headers the access gate sets on every request it lets through, after removing any the client
 * sent: route handlers (bundled by Next, without the socket) learn the client's address and
 * whether it came over TLS from them.
 */
export const CLIENT_ADDRESS_HEADER = "x-pulse-client-address";
export const CLIENT_TLS_HEADER = "x-pulse-client-tls";

export interface RequestOrigin {
  address: string | null;
  tls: boolean;
}

export function requestOrigin(request: Request): RequestOrigin {
  return { address: request.headers.get(CLIENT_ADDRESS_HEADER), tls: request.headers.get(CLIENT_TLS_HEADER) === "1" };
}

export interface Actor extends SessionAccount, RequestOrigin {}

/** The signed-in account behind a request, or null. */
export async function currentAccount(request: Request): Promise<Actor | null> {
  const key = sessionKeyOf(parseCookies(request.headers.get("cookie") ?? undefined)[SESSION_COOKIE]);
  const session = key ? await findSession(key) : null;
  return session ? { ...session, ...requestOrigin(request) } : null;
}

/**
 * The signed-in account, refusing (401/403) anyone else. The gate has already decided by path;
 * handlers ask again so that no route that changes something can forget it.
 */
export async function requireAccount(request: Request, needed: Role): Promise<Actor> {
  const actor = await currentAccount(request);
  if (!actor) throw new HttpError("unauthorized", "sign in to change anything");
  if (!roleAllows(actor.role, needed)) throw new HttpError("forbidden", `this needs the ${needed} role; your account is a ${actor.role}`);
  // The generated first admin's one-time password must be replaced before anything else.
  if (actor.mustChangePassword && needed !== "viewer") throw new HttpError("forbidden", "change your one-time password first (/account)");
  return actor;
}

/** One audit entry for a change `actor` made. */
export function audit(actor: Actor, action: string, target: string | null, detail?: Prisma.InputJsonValue): Promise<void> {
  return recordAudit({ accountId: actor.accountId, username: actor.username, action, target, address: actor.address, detail });
}
